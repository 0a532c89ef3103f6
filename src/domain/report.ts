/**
 * The run report an admin reads after a preview or a sync: exact counts, and per category a list of what happened
 * to whom. It is stored as one KVS value (240 KiB max) and read back as unknown, so it has a versioned zod schema and
 * a size bound: each list keeps at most `listCap` entries, and if the whole report would still serialise over
 * REPORT_MAX_BYTES every list is cut to the same smaller length. Counts are never cut; `truncated` says where
 * entries are missing. The report is shown only to Jira admins, so entries may name users; logs must not.
 */
import { z } from 'zod';

import type { UnmatchedReason } from './email-match';
import { AppError } from './errors';
import { fitText } from './object-values';
import { type InactivationReason, inactivationReasonSchema } from './sync-operations';

/** 2: create entries list the definition's shown attributes (`attributes`, `createColumns`); 1 is read as 2. */
export const REPORT_VERSION = 2;
export const DEFAULT_REPORT_LIST_CAP = 100;
export const REPORT_MAX_BYTES = 200 * 1024;
/** Free text (warning and failure messages) is cut to this many characters. */
export const REPORT_MESSAGE_MAX_LENGTH = 1000;
/** A warning names at most this many subjects (a manager cycle can span thousands of users). */
export const WARNING_SUBJECT_IDS_MAX = 10;

export const WARNING_CODES = [
  'atlassian-email-missing',
  'ambiguous-email-match',
  'duplicate-match',
  'manager-cycle',
  'duplicate-entra-user-id',
  'missing-entra-user-id',
  'value-truncated',
  'safety-threshold-exceeded',
  // added by the pipeline
  'hidden-emails-unavailable',
  'schema-not-created',
] as const;
export const warningCodeSchema = z.enum(WARNING_CODES);
export type WarningCode = z.infer<typeof warningCodeSchema>;

export const UNMATCHED_REASONS = [
  'no-email',
  'no-entra-match',
  'ambiguous',
  'duplicate-match',
  /** The email belongs only to Entra ID users outside the sync scope (scope.ts). */
  'out-of-scope',
] as const satisfies readonly (UnmatchedReason | 'out-of-scope')[];
export type ReportUnmatchedReason = (typeof UNMATCHED_REASONS)[number];
export const MISSING_MANAGER_REASONS = ['manager-not-in-directory', 'manager-not-matched', 'manager-out-of-scope'] as const;
export type MissingManagerReason = (typeof MISSING_MANAGER_REASONS)[number];

export const UNMATCHED_REASON_TEXT: Readonly<Record<ReportUnmatchedReason, string>> = {
  'no-email': 'The Atlassian account has no email address the app can read.',
  'no-entra-match': 'No Entra ID user has this email as mail, user principal name, SMTP proxy address or other email.',
  ambiguous: 'Several Entra ID users have this email at the same matching level, so none was chosen.',
  'duplicate-match': 'Another Atlassian account matches the same Entra ID user, so neither was linked.',
  'out-of-scope': 'The Entra ID user with this email is outside the sync scope (Setup tab).',
};

/** Why an Entra Group object is inactivated (plan-groups.ts). */
export const GROUP_INACTIVATION_TEXT = {
  'entra-group-missing': 'The Entra ID group no longer exists (deleted), or the app can no longer read it.',
  'group-not-selected': 'The group is no longer selected by group sync (Setup tab).',
  'duplicate-entra-group-id': 'Another Entra Group object has the same Entra Group ID; the app keeps the one with the lowest object id.',
} as const satisfies Partial<Record<InactivationReason, string>>;

export const INACTIVATION_REASON_TEXT: Readonly<Record<InactivationReason, string>> = {
  'entra-user-disabled': 'The Entra ID user is disabled.',
  'entra-user-missing': 'The Entra ID user no longer exists (deleted, or outside what the app can read).',
  'atlassian-account-inactive': 'The Atlassian account is deactivated or is not a user account.',
  'atlassian-account-missing': 'The Atlassian account no longer exists on this site.',
  'no-longer-matched': 'The Atlassian account no longer matches this Entra ID user by email.',
  'missing-entra-user-id': 'The object has no Entra User ID, so the app cannot tell whom it describes.',
  'duplicate-entra-user-id': 'Another Employee object has the same Entra User ID; the app keeps the one with the lowest object id.',
  'out-of-scope': 'Outside the sync scope (Setup tab).',
  'entra-group-missing': GROUP_INACTIVATION_TEXT['entra-group-missing'],
  'group-not-selected': GROUP_INACTIVATION_TEXT['group-not-selected'],
  'duplicate-entra-group-id': GROUP_INACTIVATION_TEXT['duplicate-entra-group-id'],
};

export const MISSING_MANAGER_REASON_TEXT: Readonly<Record<MissingManagerReason, string>> = {
  'manager-not-in-directory': 'The manager is not an Entra ID user the app reads (for example an organisational contact).',
  'manager-not-matched': 'The manager is not matched to an active Atlassian account.',
  'manager-out-of-scope': 'The manager is outside the sync scope (Setup tab).',
};

const text = z.string();
const optionalText = z.string().nullable();
const count0 = () => z.number().int().nonnegative().default(0);

export const reportWarningSchema = z.object({
  code: warningCodeSchema,
  message: text,
  /** Entra user ids, Atlassian account ids or Assets object ids the warning is about. */
  subjectIds: z.array(text),
});
export type ReportWarning = z.infer<typeof reportWarningSchema>;

export const attributeValueSchema = z.object({ attribute: text, value: optionalText });
export type AttributeValue = z.infer<typeof attributeValueSchema>;

/** What version 1 reports showed of a create, in its order: read back as the same columns. */
const V1_CREATE_COLUMNS = [
  ['email', 'Email'],
  ['jobTitle', 'Job Title'],
  ['department', 'Department'],
] as const;

export const reportCreateSchema = z.preprocess(
  (raw) => {
    if (typeof raw !== 'object' || raw === null || 'attributes' in raw) return raw;
    const v1 = raw as Record<string, unknown>;
    return { ...v1, attributes: V1_CREATE_COLUMNS.map(([key, attribute]) => ({ attribute, value: v1[key] ?? null })) };
  },
  z.object({
    entraUserId: text,
    accountId: text,
    fullName: optionalText,
    /** The definition's attributes shown on create (ReportCreate columns), by admin label. */
    attributes: z.array(attributeValueSchema),
    managerName: optionalText,
  }),
);
export type ReportCreate = z.infer<typeof reportCreateSchema>;

export const attributeChangeSchema = z.object({ attribute: text, from: optionalText, to: optionalText });
export type AttributeChange = z.infer<typeof attributeChangeSchema>;

export const reportUpdateSchema = z.object({
  objectKey: text,
  objectId: text,
  fullName: optionalText,
  accountId: text,
  changes: z.array(attributeChangeSchema),
});
export type ReportUpdate = z.infer<typeof reportUpdateSchema>;

export const reportInactivationSchema = z.object({
  objectKey: text,
  objectId: text,
  fullName: optionalText,
  entraUserId: optionalText,
  reason: inactivationReasonSchema,
  reasonText: text,
});
export type ReportInactivation = z.infer<typeof reportInactivationSchema>;

export const reportUnmatchedSchema = z.object({
  accountId: text,
  email: optionalText,
  reason: z.enum(UNMATCHED_REASONS),
  reasonText: text,
});
export type ReportUnmatched = z.infer<typeof reportUnmatchedSchema>;

export const reportMissingManagerSchema = z.object({
  entraUserId: text,
  fullName: optionalText,
  managerEntraUserId: text,
  reason: z.enum(MISSING_MANAGER_REASONS),
  reasonText: text,
});
export type ReportMissingManager = z.infer<typeof reportMissingManagerSchema>;

/** An Employee object whose user is read but outside the sync scope: it is inactivated (reason out-of-scope). */
export const reportScopeLeavingSchema = z.object({
  objectKey: text,
  objectId: text,
  fullName: optionalText,
  entraUserId: optionalText,
});
export type ReportScopeLeaving = z.infer<typeof reportScopeLeavingSchema>;

/** A user in scope who enters the synced set in this run: an Employee object is created, or made active again. */
export const reportScopeEnteringSchema = z.object({
  entraUserId: text,
  fullName: optionalText,
  accountId: text,
  action: z.enum(['create', 'reactivate']),
});
export type ReportScopeEntering = z.infer<typeof reportScopeEnteringSchema>;

/** Per clause of the run's scope, how many users read it excluded (scope.ts evaluateScope). */
export const reportScopeRuleSchema = z.object({ rule: text, excluded: z.number().int().nonnegative() });
export type ReportScopeRule = z.infer<typeof reportScopeRuleSchema>;

/** An Entra Group object the run creates, updates, reactivates or inactivates (group sync). */
export const reportGroupChangeSchema = z.object({
  action: z.enum(['create', 'update', 'reactivate', 'inactivate']),
  entraGroupId: text,
  name: text,
  objectKey: optionalText,
  /** What changes (update: "Attribute: old -> new; ..."), or why it is inactivated. */
  detail: optionalText,
});
export type ReportGroupChange = z.infer<typeof reportGroupChangeSchema>;

/** Group names a membership change lists per direction; `more` counts the rest. */
export const MEMBERSHIP_NAMES_MAX = 10;

/** An Employee whose Groups the run changes: the groups it gains and loses, by name. */
export const reportMembershipChangeSchema = z.object({
  entraUserId: text,
  fullName: optionalText,
  objectKey: optionalText,
  gained: z.array(text),
  lost: z.array(text),
  /** Names left out of gained and lost beyond MEMBERSHIP_NAMES_MAX each. */
  more: count0(),
});
export type ReportMembershipChange = z.infer<typeof reportMembershipChangeSchema>;

export const reportWriteFailureSchema = z.object({
  objectKey: optionalText,
  entraUserId: text,
  /** Admin label of the attribute Assets rejected, null when the failure is not about one attribute. */
  attribute: optionalText,
  code: text,
  message: text,
});
export type ReportWriteFailure = z.infer<typeof reportWriteFailureSchema>;

export const safetyCheckSchema = z.object({
  /** True when the plan would inactivate more than `limit` objects: nothing is written until an admin confirms. */
  tripped: z.boolean(),
  inactivations: z.number().int().nonnegative(),
  /** Employee objects with Active = true before the run. */
  activeObjects: z.number().int().nonnegative(),
  /** max(5, 10% of activeObjects rounded down). */
  limit: z.number().int().nonnegative(),
});
export type SafetyCheck = z.infer<typeof safetyCheckSchema>;

const count = z.number().int().nonnegative();
export const reportCountsSchema = z.object({
  atlassianUsers: count,
  matched: count,
  unmatchedAtlassian: count,
  creates: count,
  updates: count,
  inactivations: count,
  unchanged: count,
  missingManagerLinks: count,
  warnings: count,
  writeFailures: count,
  /** Entra ID users read but excluded by the sync scope (0 in reports stored before the scope existed). */
  outOfScope: count.default(0),
  scopeLeaving: count.default(0),
  scopeEntering: count.default(0),
  /** Group sync (0 in reports stored before it existed, and while it is off). */
  groupCreates: count.default(0),
  groupUpdates: count.default(0),
  groupInactivations: count.default(0),
  /** Entra Group objects the run creates, updates, reactivates or inactivates (the groupChanges list). */
  groupChanges: count.default(0),
  /** Employee objects whose Groups the run changes (created with groups, or updated). */
  membershipChanges: count.default(0),
  /** Members of synced groups that are not users or groups (devices, contacts, service principals): skipped. */
  groupMembersSkipped: count.default(0),
});
export type ReportCounts = z.infer<typeof reportCountsSchema>;

const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), truncated: z.boolean() });
/** A list stored reports may lack (added after version 2 was stored): read as empty. */
const laterListOf = <T extends z.ZodType>(item: T) => listOf(item).default({ items: [], truncated: false });

export const runReportSchema = z.object({
  v: z.union([z.literal(1), z.literal(REPORT_VERSION)]).transform((): typeof REPORT_VERSION => REPORT_VERSION),
  listCap: count,
  /** Column labels of the create list, from the run's definition (a version 1 report showed these three). */
  createColumns: z.array(text).default(V1_CREATE_COLUMNS.map(([, label]) => label)),
  counts: reportCountsSchema,
  safety: safetyCheckSchema,
  creates: listOf(reportCreateSchema),
  updates: listOf(reportUpdateSchema),
  inactivations: listOf(reportInactivationSchema),
  unmatchedAtlassian: listOf(reportUnmatchedSchema),
  missingManagerLinks: listOf(reportMissingManagerSchema),
  warnings: listOf(reportWarningSchema),
  writeFailures: listOf(reportWriteFailureSchema),
  /** The run's scope in its text form ('' = everyone) and what each clause excluded. */
  scope: z.object({ text, rules: z.array(reportScopeRuleSchema) }).default({ text: '', rules: [] }),
  scopeLeaving: laterListOf(reportScopeLeavingSchema),
  scopeEntering: laterListOf(reportScopeEnteringSchema),
  /** Whether the run synced groups (its group lists are shown only then). */
  groupSync: z.boolean().default(false),
  groupChanges: laterListOf(reportGroupChangeSchema),
  membershipChanges: laterListOf(reportMembershipChangeSchema),
});
export type RunReport = z.infer<typeof runReportSchema>;

export interface ReportEntries {
  creates: ReportCreate;
  updates: ReportUpdate;
  inactivations: ReportInactivation;
  unmatchedAtlassian: ReportUnmatched;
  missingManagerLinks: ReportMissingManager;
  warnings: ReportWarning;
  writeFailures: ReportWriteFailure;
  scopeLeaving: ReportScopeLeaving;
  scopeEntering: ReportScopeEntering;
  groupChanges: ReportGroupChange;
  membershipChanges: ReportMembershipChange;
}
export type ReportListName = keyof ReportEntries;
export const REPORT_LIST_NAMES: readonly ReportListName[] = [
  'creates',
  'updates',
  'inactivations',
  'unmatchedAtlassian',
  'missingManagerLinks',
  'warnings',
  'writeFailures',
  'scopeLeaving',
  'scopeEntering',
  'groupChanges',
  'membershipChanges',
];

/** A warning as callers give it: the message is cut and the subjects are capped here. */
export function makeWarning(code: WarningCode, message: string, subjectIds: readonly string[] = []): ReportWarning {
  return {
    code,
    message: fitText(message, REPORT_MESSAGE_MAX_LENGTH),
    subjectIds: subjectIds.slice(0, WARNING_SUBJECT_IDS_MAX),
  };
}

/** Collects entries while counting them all; only the first listCap entries of each list are built. */
export interface ReportCollector {
  /** `first`: put the entry at the head of its list (dropping the last one when full), for run-wide news. */
  add<K extends ReportListName>(list: K, make: () => ReportEntries[K], placement?: 'last' | 'first'): void;
  count(list: ReportListName): number;
  build(figures: {
    atlassianUsers: number;
    matched: number;
    unchanged: number;
    safety: SafetyCheck;
    createColumns: readonly string[];
    /** Users read but outside the scope, and the scope's figures (none when the run has no scope). */
    outOfScope?: number;
    scope?: RunReport['scope'];
    /** Group sync's figures; absent while it is off. */
    groups?: { creates: number; updates: number; inactivations: number; membersSkipped: number };
  }): RunReport;
}

export function createReportCollector(listCap = DEFAULT_REPORT_LIST_CAP): ReportCollector {
  if (!Number.isInteger(listCap) || listCap < 0) {
    throw new AppError('INTERNAL', 'The report list cap must be a non-negative integer.', { context: { listCap } });
  }
  const items: { [K in ReportListName]: ReportEntries[K][] } = {
    creates: [],
    updates: [],
    inactivations: [],
    unmatchedAtlassian: [],
    missingManagerLinks: [],
    warnings: [],
    writeFailures: [],
    scopeLeaving: [],
    scopeEntering: [],
    groupChanges: [],
    membershipChanges: [],
  };
  const counts: Record<ReportListName, number> = {
    creates: 0,
    updates: 0,
    inactivations: 0,
    unmatchedAtlassian: 0,
    missingManagerLinks: 0,
    warnings: 0,
    writeFailures: 0,
    scopeLeaving: 0,
    scopeEntering: 0,
    groupChanges: 0,
    membershipChanges: 0,
  };
  return {
    add(list, make, placement = 'last') {
      counts[list]++;
      const target = items[list] as ReportEntries[typeof list][];
      if (listCap === 0) return;
      if (placement === 'first') {
        target.unshift(make());
        if (target.length > listCap) target.pop();
      } else if (target.length < listCap) {
        target.push(make());
      }
    },
    count: (list) => counts[list],
    build({
      atlassianUsers,
      matched,
      unchanged,
      safety,
      createColumns,
      outOfScope = 0,
      scope = { text: '', rules: [] },
      groups: groupSync,
    }) {
      const groups = groupSync ?? { creates: 0, updates: 0, inactivations: 0, membersSkipped: 0 };
      const list = <K extends ReportListName>(name: K) => ({ items: items[name], truncated: counts[name] > items[name].length });
      return fitReport({
        v: REPORT_VERSION,
        listCap,
        createColumns: [...createColumns],
        counts: {
          atlassianUsers,
          matched,
          unmatchedAtlassian: counts.unmatchedAtlassian,
          creates: counts.creates,
          updates: counts.updates,
          inactivations: counts.inactivations,
          unchanged,
          missingManagerLinks: counts.missingManagerLinks,
          warnings: counts.warnings,
          writeFailures: counts.writeFailures,
          outOfScope,
          scopeLeaving: counts.scopeLeaving,
          scopeEntering: counts.scopeEntering,
          groupCreates: groups.creates,
          groupUpdates: groups.updates,
          groupInactivations: groups.inactivations,
          groupChanges: counts.groupChanges,
          membershipChanges: counts.membershipChanges,
          groupMembersSkipped: groups.membersSkipped,
        },
        safety,
        creates: list('creates'),
        updates: list('updates'),
        inactivations: list('inactivations'),
        unmatchedAtlassian: list('unmatchedAtlassian'),
        missingManagerLinks: list('missingManagerLinks'),
        warnings: list('warnings'),
        writeFailures: list('writeFailures'),
        scope,
        scopeLeaving: list('scopeLeaving'),
        scopeEntering: list('scopeEntering'),
        groupSync: groupSync !== undefined,
        groupChanges: list('groupChanges'),
        membershipChanges: list('membershipChanges'),
      });
    },
  };
}

/**
 * Adds a warning found outside the planner (e.g. hidden emails could not be fetched). It goes first in the list:
 * such warnings concern the whole run, so they must survive the list cap. Returns a new report.
 */
export function addWarning(report: RunReport, warning: ReportWarning): RunReport {
  const entry = makeWarning(warning.code, warning.message, warning.subjectIds);
  const kept = [entry, ...report.warnings.items].slice(0, report.listCap);
  const total = report.counts.warnings + 1;
  return fitReport({
    ...report,
    counts: { ...report.counts, warnings: total },
    warnings: { items: kept, truncated: total > kept.length },
  });
}

export interface WriteFailureInput {
  readonly objectKey: string | null;
  readonly entraUserId: string;
  /** Admin label of the attribute Assets rejected (from the run's definition), null when not about one. */
  readonly attribute: string | null;
  readonly code: string;
  readonly message: string;
}

/** Adds the failures the writer met (after the plan was made). Returns a new report. */
export function recordWriteFailures(report: RunReport, failures: readonly WriteFailureInput[]): RunReport {
  if (failures.length === 0) return report;
  const room = Math.max(0, report.listCap - report.writeFailures.items.length);
  const added = failures.slice(0, room).map(
    (failure): ReportWriteFailure => ({
      objectKey: failure.objectKey,
      entraUserId: failure.entraUserId,
      attribute: failure.attribute,
      code: failure.code,
      message: fitText(failure.message, REPORT_MESSAGE_MAX_LENGTH),
    }),
  );
  const items = [...report.writeFailures.items, ...added];
  const total = report.counts.writeFailures + failures.length;
  return fitReport({
    ...report,
    counts: { ...report.counts, writeFailures: total },
    writeFailures: { items, truncated: total > items.length },
  });
}

/** Size of the report as stored: UTF-8 bytes of its JSON. */
export function reportSizeBytes(report: RunReport): number {
  return utf8Length(JSON.stringify(report));
}

/**
 * Keeps the report within maxBytes by cutting every list to the same length, the largest that fits. Lists keep
 * their first entries; counts are untouched.
 */
export function fitReport(report: RunReport, maxBytes = REPORT_MAX_BYTES): RunReport {
  if (reportSizeBytes(report) <= maxBytes) return report;
  const longest = Math.max(...REPORT_LIST_NAMES.map((name) => report[name].items.length));
  let low = 0;
  let high = longest - 1;
  let best = cutLists(report, 0);
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const candidate = cutLists(report, mid);
    if (reportSizeBytes(candidate) <= maxBytes) {
      best = candidate;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return best;
}

function cutLists(report: RunReport, length: number): RunReport {
  return {
    ...report,
    creates: cutList(report.creates, length),
    updates: cutList(report.updates, length),
    inactivations: cutList(report.inactivations, length),
    unmatchedAtlassian: cutList(report.unmatchedAtlassian, length),
    missingManagerLinks: cutList(report.missingManagerLinks, length),
    warnings: cutList(report.warnings, length),
    writeFailures: cutList(report.writeFailures, length),
    scopeLeaving: cutList(report.scopeLeaving, length),
    scopeEntering: cutList(report.scopeEntering, length),
    groupChanges: cutList(report.groupChanges, length),
    membershipChanges: cutList(report.membershipChanges, length),
  };
}

function cutList<T>(list: { items: T[]; truncated: boolean }, length: number): { items: T[]; truncated: boolean } {
  return list.items.length <= length ? list : { items: list.items.slice(0, length), truncated: true };
}

function utf8Length(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
