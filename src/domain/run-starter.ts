/**
 * Who started a run, as History keeps it (`startedBy`): an Atlassian account id, null for the schedule, or
 * AUTOMATION_STARTED_BY for a Jira Automation rule whose actor Forge did not name (the "Sync this user now" action,
 * docs/platform-assumptions.md R1). The marker is not an account: it is never reported to Forge's personal data
 * reporting and the admin page shows it as "an Automation rule".
 */
export const AUTOMATION_STARTED_BY = 'automation';

/** In the write-back audit trail, the actor of an attempt whose account Atlassian reported closed (privacy-service.ts). */
export const ERASED_ACCOUNT = 'erased';

/** True when `startedBy` names an Atlassian account (not the schedule, not an Automation rule without an actor). */
export function isAccountStarter(startedBy: string | null): startedBy is string {
  return startedBy !== null && startedBy !== AUTOMATION_STARTED_BY && startedBy !== ERASED_ACCOUNT;
}
