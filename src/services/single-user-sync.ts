/**
 * Sync one user now (like Entra's "provision on demand"): reads one person from Entra ID and Jira, decides with the
 * sync's own rules (the scope, the email matching, the planner: planSync over a one-person input, so no rule is
 * written twice) and writes that one Employee object, nothing else. Every step is answered with its result, in a
 * fixed order (SYNC_USER_STEPS); a step that fails stops the sync before anything is written.
 *
 * It runs under the run lock (startSingleUserRun: refused with RUN_ALREADY_ACTIVE while a full run or Create Schema
 * holds it) and is recorded as a run of mode 'single-user', so History lists it. It never deletes anything and never
 * inactivates another object: the planner's other operations (the manager's, duplicates', groups') are left to the
 * next full run.
 */
import { createGraphUserLookup } from '../clients/graph/graph-user-lookup';
import { createJiraUserLookup } from '../clients/jira/jira-user-lookup';
import { createJiraUsersClient } from '../clients/jira/jira-users-client';
import type { AssetsObject } from '../domain/assets-object';
import type { AtlassianAccount } from '../domain/atlassian-account';
import { matchAccounts, type MatchLevel, normaliseEmail, smtpAddress } from '../domain/email-match';
import { entraIdKey } from '../domain/entra-id';
import type { EntraUser } from '../domain/entra-user';
import { AppError, type ErrorCode, type PublicError } from '../domain/errors';
import { computeMemberships, scopeMembershipLookup } from '../domain/group-membership';
import { MICROSOFT_CLOUDS } from '../domain/microsoft-cloud';
import { isReferenceTarget, type PlannedValue, type PlannedValues, type StoredValue, textOf } from '../domain/object-values';
import type { GroupPlanInput } from '../domain/plan-groups';
import { planSync } from '../domain/plan-sync';
import { MISSING_MANAGER_REASON_TEXT, type ReportCounts, reportCountsSchema } from '../domain/report';
import { attributeOf, type ObjectTypeDefinition, objectTypeOf, type SchemaDefinition } from '../domain/schema-definition';
import { evaluateScope, type Scope, scopeGroupIds, type ScopeMembershipLookup } from '../domain/scope';
import type { StoredSettings } from '../domain/settings';
import type { SyncOperation } from '../domain/sync-operations';
import type { PipelineDeps } from '../pipeline/deps';
import { readGroupDirectory, readGroupDirectoryMeta } from '../pipeline/group-cache';
import { readLayout } from '../pipeline/layout-store';
import type { SchemaLayout } from '../pipeline/ports';
import { startSingleUserRun } from '../pipeline/run-control';
import { runDefinition, runProfile, type RunState } from '../pipeline/run-state';
import { finalizeRun, readLastRun } from '../pipeline/run-store';
import { toWriteRequest } from '../pipeline/write-request';
import { type ConnectionDeps, createAssets, createMicrosoftClients } from './connections';
import { requireSettings } from './settings-service';

export const SYNC_USER_STEPS = ['entra', 'scope', 'match', 'account', 'employee', 'attributes', 'manager', 'groups', 'write'] as const;
export type SyncUserStepName = (typeof SYNC_USER_STEPS)[number];
/** ok: done; warning: done, with something the admin should know; failed: the sync stopped here; skipped: not reached or not applicable. */
export type SyncUserStepStatus = 'ok' | 'warning' | 'failed' | 'skipped';

export interface SyncUserStep {
  readonly step: SyncUserStepName;
  readonly status: SyncUserStepStatus;
  readonly detail: string;
}

/** Exactly one way to name the person. */
export type SyncUserInput = { readonly accountId: string } | { readonly email: string } | { readonly entraId: string };

export interface SyncUserChange {
  readonly attribute: string;
  readonly from: string | null;
  readonly to: string | null;
}

export interface SyncUserResult {
  readonly runId: string;
  readonly runNumber: number;
  /** True when the Employee object was created or updated (or inactivated: the person is disabled in Entra ID). */
  readonly written: boolean;
  readonly outcome: 'created' | 'updated' | 'inactivated' | 'unchanged' | 'failed';
  /** The Employee object written or found; null when none exists (yet). */
  readonly objectKey: string | null;
  readonly matchLevel: MatchLevel | null;
  /** Every attribute the write sets (a create: all of them), old -> new. */
  readonly changes: readonly SyncUserChange[];
  readonly steps: readonly SyncUserStep[];
  /** Why it stopped (the failed step's code and message); null when it did not fail. */
  readonly error: PublicError | null;
}

export interface SingleUserSyncDeps extends PipelineDeps {
  readonly connectionDeps: ConnectionDeps;
}

const MATCH_LEVEL_TEXT: Readonly<Record<MatchLevel, string>> = {
  mail: 'mail',
  userPrincipalName: 'user principal name (UPN)',
  proxyAddresses: 'proxy address',
  otherMails: 'other mail',
};

/** A step that stops the sync: its code (docs/errors.md) and its admin message become the run's error. */
class StepFailure extends Error {
  constructor(
    readonly step: SyncUserStepName,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export async function syncOneUser(deps: SingleUserSyncDeps, input: SyncUserInput, startedBy: string | null): Promise<SyncUserResult> {
  const settings = await requireSettings(deps.connectionDeps);
  const run = await startSingleUserRun(deps, { startedBy });
  const steps = new Map<SyncUserStepName, SyncUserStep>();
  const put = (step: SyncUserStepName, status: SyncUserStepStatus, detail: string): void => {
    steps.set(step, { step, status, detail });
  };
  const state: Outcome = { outcome: 'failed', written: false, objectKey: null, matchLevel: null, changes: [], counts: {}, at: 'entra' };
  let error: PublicError | null = null;
  try {
    await runSteps(deps, settings, run, input, put, state);
  } catch (cause) {
    if (cause instanceof StepFailure) {
      put(cause.step, 'failed', cause.message);
      error = { code: cause.code, message: cause.message };
    } else {
      const appError =
        cause instanceof AppError
          ? cause
          : new AppError(
              'INTERNAL',
              'The single-user sync stopped on an unexpected error. Try again; if it repeats, see Troubleshooting.',
              {
                cause,
              },
            );
      put(state.at, 'failed', appError.message);
      error = appError.toPublic();
      deps.logger.warn('sync-user.error', { runId: run.runId, code: appError.code });
    }
    state.outcome = 'failed';
  }
  const ordered = SYNC_USER_STEPS.map((name) => steps.get(name) ?? { step: name, status: 'skipped' as const, detail: 'Not reached.' });
  const counts = reportCountsSchema.parse({
    atlassianUsers: 0,
    matched: 0,
    unmatchedAtlassian: 0,
    creates: 0,
    updates: 0,
    inactivations: 0,
    unchanged: 0,
    missingManagerLinks: 0,
    warnings: ordered.filter((step) => step.status === 'warning').length,
    writeFailures: 0,
    ...state.counts,
  });
  await finalizeRun(deps, run, error === null ? 'succeeded' : 'failed', { error, counts });
  deps.logger.info('sync-user.finished', {
    runId: run.runId,
    outcome: state.outcome,
    written: state.written,
    errorCode: error?.code ?? null,
  });
  return {
    runId: run.runId,
    runNumber: run.number,
    written: state.written,
    outcome: state.outcome,
    objectKey: state.objectKey,
    matchLevel: state.matchLevel,
    changes: state.changes,
    steps: ordered,
    error,
  };
}

interface Outcome {
  outcome: SyncUserResult['outcome'];
  written: boolean;
  objectKey: string | null;
  matchLevel: MatchLevel | null;
  changes: SyncUserChange[];
  counts: Partial<ReportCounts>;
  /** The step under way: an unexpected error (Graph, Jira, Assets refusing) fails it. */
  at: SyncUserStepName;
}

type Put = (step: SyncUserStepName, status: SyncUserStepStatus, detail: string) => void;

async function runSteps(
  deps: SingleUserSyncDeps,
  settings: StoredSettings,
  run: RunState,
  input: SyncUserInput,
  put: Put,
  state: Outcome,
): Promise<void> {
  const definition = runDefinition(run);
  const employeeType = objectTypeOf(definition, 'employee');
  const scope = run.scope;
  const cd = deps.connectionDeps;
  // An admin is waiting: interactive priority, like Test connection.
  const { graph, tokens } = createMicrosoftClients(cd, settings, { priority: 'interactive', definition, profile: runProfile(run) });
  const lookup = createGraphUserLookup({
    fetch: cd.externalFetch,
    endpoints: MICROSOFT_CLOUDS[settings.cloud],
    tokens,
    policy: cd.policy,
    newRequestId: cd.newRequestId,
    priority: 'interactive',
  });
  const jira = createJiraUserLookup({ fetch: cd.jiraFetch, policy: cd.policy });
  const emails = createJiraUsersClient({ fetch: cd.jiraFetch, policy: cd.policy });
  const assets = createAssets(cd);

  /** An account with its email, the hidden one read through the email API. */
  const withEmail = async (record: { accountId: string; accountType: string; active: boolean; emailAddress: string | null }) => {
    if (record.emailAddress !== null) return { account: toAccount(record, record.emailAddress), hiddenUnavailable: null };
    const found = await emails.getEmails([record.accountId]);
    return {
      account: toAccount(record, found.emails.get(record.accountId) ?? null),
      hiddenUnavailable: found.unavailable?.message ?? null,
    };
  };

  // ---- who: the Entra ID user(s) and the Atlassian account ----
  let candidates: EntraUser[] = [];
  let account: AtlassianAccount | null = null;
  let accountNote = '';
  if ('accountId' in input) {
    state.at = 'account';
    const record = await jira.getUser(input.accountId);
    if (record === null) throw new StepFailure('account', 'SYNC_USER_NOT_FOUND', 'Jira knows no Atlassian account with this account id.');
    const read = await withEmail(record);
    account = read.account;
    checkAccount(account);
    if (account.email === null) {
      throw new StepFailure(
        'account',
        'SYNC_USER_NO_EMAIL',
        read.hiddenUnavailable === null
          ? 'The Atlassian account has no email address, so it cannot be matched to an Entra ID user.'
          : `The Atlassian account hides its email and the app cannot read hidden emails: ${read.hiddenUnavailable}`,
      );
    }
    accountNote = record.emailAddress === null ? ' (its email is hidden by profile visibility; read through the email API)' : '';
    state.at = 'entra';
    candidates = await usersByEmail(account.email);
    if (candidates.length === 0)
      throw new StepFailure(
        'entra',
        'SYNC_USER_NOT_FOUND',
        "No Entra ID user has the Atlassian account's email as mail, UPN, proxy address or other mail.",
      );
  } else {
    if ('entraId' in input) {
      const { users } = await graph.getUsersByIds([input.entraId]);
      if (users.length === 0) throw new StepFailure('entra', 'SYNC_USER_NOT_FOUND', 'No Entra ID user has this object id.');
      candidates = users;
    } else {
      candidates = await usersByEmail(input.email);
      if (candidates.length === 0)
        throw new StepFailure('entra', 'SYNC_USER_NOT_FOUND', 'No Entra ID user has this email as mail, UPN, proxy address or other mail.');
    }
    put('entra', 'ok', `Found in Entra ID: ${candidates.map(describeUser).join('; ')}.`);
    state.at = 'account';
    const keys = 'email' in input ? [input.email] : emailKeysOf(candidates[0] as EntraUser);
    const found = await accountsByEmail(keys);
    if (found.accounts.length === 0) {
      throw new StepFailure(
        'account',
        'SYNC_USER_NOT_FOUND',
        `No active Atlassian account with ${'email' in input ? 'this email' : "one of this user's email addresses"} was found. Jira's user search does not find emails that profile visibility hides: sync the person by Atlassian account id instead.`,
      );
    }
    if (found.accounts.length > 1) {
      throw new StepFailure(
        'match',
        'SYNC_USER_NOT_MATCHED',
        `${found.accounts.length} active Atlassian accounts have this email; the sync matches none of them (docs/sync-rules.md). Keep one account per person.`,
      );
    }
    account = found.accounts[0] as AtlassianAccount;
    accountNote = found.hidden ? ' (its email is hidden by profile visibility; read through the email API)' : '';
    // Everyone who holds the account's email takes part in the match, as in a full run.
    if ('entraId' in input && account.email !== null) {
      const more = await usersByEmail(account.email);
      for (const user of more) if (!candidates.some((c) => entraIdKey(c.id) === entraIdKey(user.id))) candidates.push(user);
    }
  }
  put(
    'entra',
    'ok',
    candidates.length === 1
      ? `Found in Entra ID: ${describeUser(candidates[0] as EntraUser)}.`
      : `${candidates.length} Entra ID users hold this email: ${candidates.map(describeUser).join('; ')}.`,
  );

  state.at = 'scope';
  // ---- in scope (the planner filters the same way: only users in scope are matched) ----
  const scopeMemberships = await scopeLookup(deps, scope);
  const evaluation = evaluateScope(scope, candidates, scopeMemberships);
  const inScope = candidates.filter((_, i) => evaluation.inScope[i] === 1);
  const wanted = 'entraId' in input ? candidates.find((c) => entraIdKey(c.id) === entraIdKey(input.entraId)) : undefined;
  if (inScope.length === 0 || (wanted !== undefined && !inScope.includes(wanted))) {
    const failing = evaluateScope(scope, [wanted ?? (candidates[0] as EntraUser)], scopeMemberships).clauses.filter((c) => c.excluded > 0);
    throw new StepFailure(
      'scope',
      'SYNC_USER_OUT_OF_SCOPE',
      `The person is outside the sync scope (Setup tab)${failing.length === 0 ? '' : `: fails ${failing.map((c) => c.rule).join(' and ')}`}. Nothing is written; a full run inactivates an Employee object of someone out of scope.`,
    );
  }
  put(
    'scope',
    'ok',
    scope === null ? 'In scope: the sync has no scope (everyone is synced).' : 'In scope: every rule of the sync scope holds.',
  );

  // ---- matched, with the app's own rules ----
  const match = matchAccounts([account], inScope);
  const pair = match.pairs[0];
  if (pair === undefined) {
    const unmatched = match.unmatched[0];
    const reason = unmatched?.reason ?? 'no-entra-match';
    if (reason === 'ambiguous')
      throw new StepFailure(
        'match',
        'SYNC_USER_NOT_MATCHED',
        `The email is ambiguous: ${unmatched?.entraUserIds.length ?? 2} Entra ID users hold it at the same level, so the sync matches none (docs/sync-rules.md). Make the address unique in Entra ID.`,
      );
    throw new StepFailure(
      'match',
      'SYNC_USER_NOT_MATCHED',
      'The Atlassian account and the Entra ID user are not matched by the sync rules (docs/sync-rules.md).',
    );
  }
  if (wanted !== undefined && entraIdKey(pair.entraUser.id) !== entraIdKey(wanted.id)) {
    throw new StepFailure(
      'match',
      'SYNC_USER_NOT_MATCHED',
      // The other user is named by Entra object id only: this message also reaches Automation audit logs.
      `The Atlassian account with this user's email matches another Entra ID user (object id ${pair.entraUser.id}) at a higher level, so this user is not synced to it.`,
    );
  }
  const user = pair.entraUser;
  state.matchLevel = pair.level;
  state.counts = { atlassianUsers: 1, matched: 1 };
  put('match', 'ok', `Matched by ${MATCH_LEVEL_TEXT[pair.level]}.`);
  put('account', 'ok', `Atlassian account ${account.accountId}, active${accountNote}.`);

  // ---- the Employee object ----
  state.at = 'employee';
  const layout = await readLayout(deps.store);
  if (layout === null)
    throw new StepFailure(
      'employee',
      'ASSETS_SCHEMA_MISSING',
      'The Entra Directory schema is missing. Create it on the Setup tab, then try again.',
    );
  const objects = await assets.findObjectsByAnchor(layout, employeeType, [user.id]);

  // ---- the manager: its Entra ID user, Employee object and account, so the planner can link it ----
  state.at = 'manager';
  const manager = await readManager(user, layout, employeeType);

  // ---- groups (group sync on): the cached group directory ----
  state.at = 'groups';
  const groups = await groupInput(user, layout, definition);

  // ---- decide with the planner over this one person (and the manager, for the link) ----
  const accounts = manager.account === null ? [account] : [account, manager.account];
  const entraUsers = manager.user === null ? [user] : [user, manager.user];
  const plan = planSync(
    { accounts, entraUsers, employees: [...objects, ...manager.objects], groups: groups.input },
    { definition, scope, scopeMemberships },
  );
  const op = operationOf(plan, user.id);
  const existing =
    op !== null && (op.kind === 'update' || op.kind === 'inactivate')
      ? (objects.find((o) => o.objectId === op.objectId) ?? null)
      : op?.kind === 'create'
        ? null
        : (objects[0] ?? null);
  put(
    'employee',
    objects.length > 1 ? 'warning' : 'ok',
    existing === null
      ? 'No Employee object has this Entra User ID: one will be created.'
      : `Found ${existing.objectKey}.${objects.length > 1 ? ` ${objects.length} Employee objects share this Entra User ID: only ${existing.objectKey} is written; the next full run inactivates the others.` : ''}`,
  );

  // Groups left as they are when the app cannot know them (no group directory yet).
  const changesOf = (values: PlannedValues): PlannedValues =>
    groups.keepGroups === null ? values : Object.fromEntries(Object.entries(values).filter(([key]) => key !== groups.keepGroups));
  const planned = op === null ? null : changesOf(op.kind === 'create' ? op.values : op.kind === 'manager-link' ? {} : op.changes);
  const changed = planned !== null && Object.keys(planned).length > 0 ? planned : null;
  state.changes = changed === null ? [] : describeChanges(employeeType, existing, changed, manager);
  put(
    'attributes',
    'ok',
    changed === null
      ? 'Every attribute already holds its value: nothing to write.'
      : state.changes.map((c) => `${c.attribute}: ${c.from ?? '(empty)'} -> ${c.to ?? '(empty)'}`).join('; '),
  );

  // ---- the manager link, as the planner decided it ----
  const desired = op?.kind === 'create' ? op.values : null;
  const target = desired?.manager ?? (changed?.manager as PlannedValue | undefined) ?? existing?.values.manager ?? null;
  const missing = plan.report.missingManagerLinks.items.find((item) => entraIdKey(item.entraUserId) === entraIdKey(user.id));
  if (manager.note !== null) put('manager', 'warning', manager.note);
  else if (missing !== undefined) put('manager', 'warning', `No manager link: ${MISSING_MANAGER_REASON_TEXT[missing.reason]}`);
  else if (user.managerId === null) put('manager', 'ok', 'The user has no manager in Entra ID.');
  else
    put('manager', 'ok', `Manager: ${manager.objects[0]?.objectKey ?? (isReferenceTarget(target as PlannedValue) ? 'linked' : 'none')}.`);
  state.counts = { ...state.counts, missingManagerLinks: missing !== undefined || manager.note !== null ? 1 : 0 };
  put('groups', groups.status, groups.detail);

  // ---- the write: this one object, nothing else ----
  if (op === null || changed === null) {
    state.outcome = 'unchanged';
    state.objectKey = existing?.objectKey ?? null;
    state.counts = { ...state.counts, unchanged: 1 };
    put('write', 'ok', 'Nothing to write.');
    return;
  }
  state.at = 'write';
  const request = toWriteRequest(
    employeeType,
    { ...op, ...(op.kind === 'create' ? { values: changed } : { changes: changed }) } as SyncOperation,
    new Map(),
  );
  if (request === null) throw new StepFailure('write', 'ASSETS_WRITE_FAILED', 'The write could not be built. Run a full sync.');
  const result =
    request.objectId === null
      ? await assets.createObject(layout, employeeType, request.values)
      : await assets.updateObject(layout, employeeType, request.objectId, request.values);
  if (!result.ok) {
    state.counts = { ...state.counts, writeFailures: 1 };
    throw new StepFailure('write', 'ASSETS_WRITE_FAILED', `Assets refused the write: ${result.failure.message}`);
  }
  state.written = true;
  state.objectKey = result.objectKey;
  state.outcome = op.kind === 'create' ? 'created' : op.kind === 'inactivate' ? 'inactivated' : 'updated';
  state.counts = {
    ...state.counts,
    [state.outcome === 'created' ? 'creates' : state.outcome === 'updated' ? 'updates' : 'inactivations']: 1,
  };
  put(
    'write',
    'ok',
    `${state.outcome === 'created' ? 'Created' : state.outcome === 'updated' ? 'Updated' : 'Inactivated (disabled in Entra ID)'} ${result.objectKey}.`,
  );

  // ---- helpers over this sync's clients ----
  async function usersByEmail(email: string): Promise<EntraUser[]> {
    const ids = await lookup.findUserIdsByEmail(email);
    if (ids.length === 0) return [];
    return (await graph.getUsersByIds(ids)).users;
  }

  async function accountsByEmail(keys: readonly string[]): Promise<{ accounts: AtlassianAccount[]; hidden: boolean }> {
    for (const key of keys) {
      const wantedEmail = normaliseEmail(key);
      if (wantedEmail === null) continue;
      const found: AtlassianAccount[] = [];
      let hidden = false;
      for (const record of await jira.searchUsers(wantedEmail)) {
        if (record.accountType !== 'atlassian' || !record.active) continue;
        const read = await withEmail(record);
        if (normaliseEmail(read.account.email) !== wantedEmail) continue;
        hidden ||= record.emailAddress === null;
        found.push(read.account);
      }
      if (found.length > 0) return { accounts: found, hidden };
    }
    return { accounts: [], hidden: false };
  }

  async function readManager(entraUser: EntraUser, schemaLayout: SchemaLayout, type: ObjectTypeDefinition): Promise<ManagerRead> {
    const none: ManagerRead = { user: null, objects: [], account: null, note: null };
    if (entraUser.managerId === null) return none;
    const { users } = await graph.getUsersByIds([entraUser.managerId]);
    const managerUser = users[0];
    if (managerUser === undefined) return { ...none, note: MISSING_MANAGER_REASON_TEXT['manager-not-in-directory'] };
    const managerObjects = await assets.findObjectsByAnchor(schemaLayout, type, [managerUser.id]);
    const object = managerObjects[0];
    if (object === undefined)
      return {
        ...none,
        user: managerUser,
        note: 'The manager has no Employee object yet, so the link is left empty. Sync the manager first (or run a full sync), then this person again.',
      };
    const accountId = textOf(object.values.atlassianAccountId) ?? textOf(object.values.jiraUser);
    const record = accountId === null ? null : await jira.getUser(accountId);
    const managerAccount = record === null ? null : (await withEmail(record)).account;
    // Without the manager's account the planner reports the manager as not matched (a missing link, with its reason).
    return { user: managerUser, objects: managerObjects, account: managerAccount, note: null };
  }

  async function groupInput(
    entraUser: EntraUser,
    schemaLayout: SchemaLayout,
    def: SchemaDefinition,
  ): Promise<{ input: GroupPlanInput | null; keepGroups: string | null; status: SyncUserStepStatus; detail: string }> {
    const groupType = def.objectTypes.find((type) => type.key === 'group');
    if (groupType === undefined) return { input: null, keepGroups: null, status: 'skipped', detail: 'Group sync is off.' };
    const groupsAttribute = employeeType.attributes.find((a) => a.kind.type === 'reference' && a.kind.many === true)?.key ?? null;
    const meta = await readGroupDirectoryMeta(deps.store);
    if (meta === null)
      return {
        input: null,
        keepGroups: groupsAttribute,
        status: 'warning',
        detail: 'Group sync is on but the app has no group directory yet: Groups is left as it is. Run a full sync first.',
      };
    const directory = await readGroupDirectory(deps.store, meta);
    const memberships = computeMemberships(directory, run.groups, run.groupMembership);
    const ids = memberships.groupsOf(entraUser.id);
    const groupObjects = ids.length === 0 ? [] : await assets.findObjectsByAnchor(schemaLayout, groupType, ids);
    const withObject = new Set(groupObjects.map((o) => entraIdKey(textOf(o.values.entraGroupId) ?? '')));
    const lacking = ids.filter((id) => !withObject.has(entraIdKey(id))).length;
    const last = await latestFullRun(deps);
    const stale = last !== null && Date.parse(meta.updatedAt) < Date.parse(last);
    const parts = [
      `Member of ${ids.length} synced group(s) (${run.groupMembership}), from the group directory read ${meta.updatedAt}.`,
      lacking > 0 ? `${lacking} of them have no Entra Group object yet and are left out; the next full run adds them.` : '',
      stale ? 'The group directory is older than the last full run.' : '',
    ].filter((part) => part !== '');
    return {
      input: { memberships, groupIds: new Set([...directory.groups.keys()].map(entraIdKey)), objects: groupObjects },
      keepGroups: null,
      status: lacking > 0 || stale ? 'warning' : 'ok',
      detail: parts.join(' '),
    };
  }
}

interface ManagerRead {
  readonly user: EntraUser | null;
  readonly objects: readonly AssetsObject[];
  readonly account: AtlassianAccount | null;
  /** Why the manager cannot be linked, when it is known before planning; null otherwise. */
  readonly note: string | null;
}

function toAccount(record: { accountId: string; accountType: string; active: boolean }, email: string | null): AtlassianAccount {
  return { accountId: record.accountId, accountType: record.accountType, active: record.active, email };
}

function checkAccount(account: AtlassianAccount): void {
  if (account.accountType !== 'atlassian')
    throw new StepFailure(
      'account',
      'SYNC_USER_NOT_MATCHED',
      `The account is not a person's Atlassian account (type ${account.accountType}): the sync ignores it.`,
    );
  if (!account.active)
    throw new StepFailure(
      'account',
      'SYNC_USER_NOT_MATCHED',
      'The Atlassian account is inactive: the sync ignores it (a full run inactivates its Employee object).',
    );
}

/** A user as a step shows it: the display name and object id (shown to the admin who asked; never logged). */
function describeUser(user: EntraUser): string {
  return `${user.displayName ?? '(no display name)'} (${user.id}${user.accountEnabled ? '' : ', disabled'})`;
}

/** The user's addresses the matching rules read, in their precedence. */
function emailKeysOf(user: EntraUser): string[] {
  const keys = [user.mail, user.userPrincipalName, ...user.proxyAddresses.map(smtpAddress), ...user.otherMails]
    .map((value) => normaliseEmail(value))
    .filter((value): value is string => value !== null);
  return [...new Set(keys)];
}

/** The employee operation the planner decided for the user (its own object only); null: unchanged. */
function operationOf(plan: ReturnType<typeof planSync>, entraUserId: string): SyncOperation | null {
  const key = entraIdKey(entraUserId);
  const mine = (op: SyncOperation): boolean =>
    op.objectType === 'employee' && op.entraUserId !== null && entraIdKey(op.entraUserId) === key;
  return (
    plan.creates.find(mine) ??
    plan.updates.find(mine) ??
    plan.inactivations.find((op) => mine(op) && op.reason === 'entra-user-disabled') ??
    null
  );
}

async function scopeLookup(deps: SingleUserSyncDeps, scope: Scope | null): Promise<ScopeMembershipLookup | null> {
  const ids = scopeGroupIds(scope);
  if (ids.length === 0) return null;
  const meta = await readGroupDirectoryMeta(deps.store);
  if (meta === null)
    throw new StepFailure(
      'scope',
      'SYNC_USER_SCOPE_UNKNOWN',
      'The sync scope has a group membership rule, and the app has not read the Entra groups yet, so it cannot tell whether this person is in scope. Run a full sync first.',
    );
  return scopeMembershipLookup(await readGroupDirectory(deps.store, meta), ids);
}

/** When the last full sync (manual or scheduled) started; null when none is recorded. */
async function latestFullRun(deps: SingleUserSyncDeps): Promise<string | null> {
  const runs = [await readLastRun(deps, 'manual'), await readLastRun(deps, 'scheduled')].flatMap((r) =>
    r === null ? [] : [r.entry.startedAt],
  );
  return runs.sort().at(-1) ?? null;
}

function describeChanges(
  type: ObjectTypeDefinition,
  existing: AssetsObject | null,
  changes: PlannedValues,
  manager: ManagerRead,
): SyncUserChange[] {
  return Object.entries(changes).map(([key, value]) => ({
    attribute: attributeOf(type, key)?.name ?? key,
    from: existing === null ? null : shownStored(existing.values[key], manager),
    to: shownPlanned(value, manager),
  }));
}

function shownStored(value: StoredValue | undefined, manager: ManagerRead): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.length === 0 ? null : `${value.length} object(s)`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const object = manager.objects.find((o) => o.objectId === value);
  return object === undefined ? value : object.objectKey;
}

function shownPlanned(value: PlannedValue | undefined, manager: ManagerRead): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) {
    const linked = value.filter((target) => target.objectId !== null).length;
    return value.length === 0 ? null : `${linked} object(s)`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return value;
  if (value.objectId === null) return null;
  return manager.objects.find((o) => o.objectId === value.objectId)?.objectKey ?? value.objectId;
}
