/**
 * Diagnostics: read-only checks of everything only a live site and tenant can answer (docs/platform-assumptions.md
 * names, for each assumption the app relies on, the check that settles it here). Each check ends pass, fail or
 * unknown with one sentence of what was found and, unless it passed, what to do. Nothing is written to Assets,
 * Jira or Entra; the only thing stored is the clock skew measured, beside the other platform observations.
 *
 * The report is for a support ticket: codes, counts, sizes, rates and times only. No email, name, account id,
 * tenant id, token or secret ever enters it (the probes return none, and error messages carry none).
 */
import { GROUP_READ_ROLES } from '../clients/graph/graph-groups';
import { toAppError } from '../domain/errors';
import type { SchemaDiff } from '../domain/schema-diff';
import { CAPABILITY_LABELS, capabilityPermissions, type WriteBackCapability } from '../domain/write-back';
import { ASSETS_CACHE_MAX_AGE_MS } from '../pipeline/assets-cache';
import type { PlatformObservations } from '../pipeline/platform-observations';
import { USER_READ_ROLES } from './connection-check';

export type DiagnosticStatus = 'pass' | 'fail' | 'unknown';

export const DIAGNOSTIC_IDS = [
  'assets-reachable',
  'assets-schema',
  'assets-date-format',
  'admin-check',
  'email-api',
  'graph-permissions',
  'graph-groups-permission',
  'graph-hire-date-readable',
  'graph-delta-optional-properties',
  'graph-page-size',
  'assets-page-size',
  'assets-write-rate',
  'clock-skew',
  // Added after the sandbox contract fixed the order above (docs/sandbox.md): new checks go at the end.
  'graph-write-back-permissions',
  'assets-updated-query',
] as const;
export type DiagnosticId = (typeof DIAGNOSTIC_IDS)[number];

export interface DiagnosticCheck {
  readonly id: DiagnosticId;
  readonly title: string;
  readonly status: DiagnosticStatus;
  /** What was found, one or two sentences, no personal data. */
  readonly detail: string;
  /** What to do, or null when nothing is needed. */
  readonly action: string | null;
  /** The app's error code when the check failed on an error. */
  readonly code: string | null;
}

export interface DiagnosticsResult {
  readonly checkedAt: string;
  readonly checks: readonly DiagnosticCheck[];
  readonly summary: { readonly pass: number; readonly fail: number; readonly unknown: number };
  /** Plain text for a support ticket. */
  readonly report: string;
}

/** A clock difference above this can make tokens look not yet valid or expired, and skews every wait. */
export const CLOCK_SKEW_LIMIT_MS = 5 * 60 * 1000;

/** One live read each; every probe may throw (an AppError whose message says what to do). */
export interface DiagnosticsProbes {
  /** The Assets workspace and the ENTRA schema as Assets reports it (read-only inspection). */
  inspectSchema(): Promise<{ workspaceFound: true; schemaExists: boolean; diff: SchemaDiff }>;
  /** Asks Jira, as the calling user, whether they hold Administer Jira (never from a cache). */
  adminCheck(): Promise<{ admin: boolean }>;
  /** Asks Jira's email API (as the app) for the calling user's own address; only whether it answered is kept. */
  emailApi(): Promise<{ enabled: true } | { enabled: false; message: string }>;
  /**
   * null when the Microsoft connection is not set up yet; groupSync: group sync is on in the saved settings;
   * writeBack: the write-back capabilities switched on.
   */
  graphRoles(): Promise<{ roles: readonly string[]; groupSync?: boolean; writeBack?: readonly WriteBackCapability[] } | null>;
  /** The servers' Date headers (epoch ms) from one small read each, and the app clock when each answered. */
  jiraClock(): Promise<{ serverMs: number | null; localMs: number }>;
  graphClock(): Promise<{ serverMs: number | null; localMs: number } | null>;
  observations(): Promise<PlatformObservations>;
  /**
   * What the saved settings choose that these checks look at; null when the settings are not saved yet.
   * `deltaUntracked`: how many chosen attributes read a property delta may not track (G10); `hireDate`: Hire Date is chosen.
   */
  chosenAttributes(): Promise<{ deltaUntracked: number; hireDate: boolean } | null>;
  /**
   * Assets, read-only: the raw value of the first Employee object holding a Hire Date among the first few pages;
   * `schemaReady: false` when the schema or its Hire Date attribute does not exist yet.
   */
  assetsHireDate(): Promise<{ schemaReady: false } | { schemaReady: true; read: number; value: string | null }>;
  /** Graph, read-only: one page of users with `$select=id,employeeHireDate`, counted (no value is kept). */
  graphHireDates(): Promise<{ users: number; withValue: number }>;
  /** Keeps the skew measured (server minus app clock, ms) with the other platform observations. */
  recordClockSkew(skewMs: { jira?: number; graph?: number }): Promise<void>;
  now(): number;
}

type Outcome = Omit<DiagnosticCheck, 'id' | 'title'>;

const TITLES: Record<DiagnosticId, string> = {
  'assets-reachable': 'Assets reachable as the app',
  'assets-schema': 'Entra Directory schema and attributes readable',
  'admin-check': 'Administrator check, asked as you',
  'email-api': 'Jira email API enabled for the app',
  'graph-permissions': 'Microsoft Graph application permission',
  'graph-groups-permission': 'Microsoft Graph permission to read groups',
  'graph-write-back-permissions': 'Microsoft Graph permissions of the write-back actions switched on',
  'assets-updated-query': 'Assets answers the incremental read (objects updated since the last run)',
  'assets-date-format': 'Date values as Assets returns them',
  'graph-hire-date-readable': 'Hire dates readable from Microsoft Graph',
  'graph-delta-optional-properties': 'Incremental reads report changes to the optional attributes chosen',
  'graph-page-size': 'Page size Microsoft Graph serves',
  'assets-page-size': 'Page size Assets serves',
  'assets-write-rate': 'Assets write rate this site allows',
  'clock-skew': 'Clock difference between Forge, Jira and Microsoft',
};

const pass = (detail: string): Outcome => ({ status: 'pass', detail, action: null, code: null });
const unknown = (detail: string, action: string): Outcome => ({ status: 'unknown', detail, action, code: null });
const fail = (detail: string, action: string, code: string | null = null): Outcome => ({ status: 'fail', detail, action, code });

function failed(error: unknown, action: string): Outcome {
  const appError = toAppError(error, 'The check failed unexpectedly.');
  return fail(appError.message, action, appError.code);
}

export async function runDiagnostics(probes: DiagnosticsProbes): Promise<DiagnosticsResult> {
  const checkedAt = new Date(probes.now()).toISOString();
  const observations = await probes.observations().catch((): PlatformObservations => ({}));

  const schema = probes.inspectSchema().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const chosen = probes.chosenAttributes().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const outcomes: Record<DiagnosticId, Promise<Outcome>> = {
    'assets-reachable': schema.then((s) =>
      s.ok
        ? pass('The app found the Assets workspace and listed the object schemas.')
        : failed(s.error, 'Follow the message above; the Assets checks below cannot run until Assets answers the app.'),
    ),
    'assets-schema': schema.then((s) =>
      s.ok
        ? schemaOutcome(s.value)
        : unknown('Assets did not answer, so the schema could not be read.', 'Fix "Assets reachable as the app" first.'),
    ),
    'assets-date-format': chosen.then((c) => dateFormatOutcome(probes, c)),
    'admin-check': probes.adminCheck().then(
      (a) =>
        a.admin
          ? pass('Jira confirmed, asked as you, that you hold the Administer Jira global permission.')
          : fail(
              'Jira answered that you do not hold the Administer Jira global permission.',
              'Ask a Jira administrator to run Diagnostics.',
            ),
      (error: unknown) =>
        failed(error, 'Try again in a minute; if it repeats, check that the app version installed has the scopes in its manifest.'),
    ),
    'email-api': probes.emailApi().then(
      (e) =>
        e.enabled
          ? pass('Jira returned an email address to the app, so hidden addresses can still be matched.')
          : fail(e.message, 'Until it is enabled, only accounts whose email is visible in their Atlassian profile can be matched.'),
      (error: unknown) => failed(error, 'Try again in a minute.'),
    ),
    'graph-permissions': probes.graphRoles().then(
      (r) =>
        r === null
          ? unknown(
              'The Microsoft connection is not set up.',
              'Enter and save the Microsoft connection on the Setup tab, then run Diagnostics again.',
            )
          : rolesOutcome(r.roles),
      (error: unknown) => failed(error, 'Fix the Microsoft connection (see Test connection), then run Diagnostics again.'),
    ),
    'graph-groups-permission': probes.graphRoles().then(
      (r) =>
        r === null
          ? unknown(
              'The Microsoft connection is not set up.',
              'Enter and save the Microsoft connection on the Setup tab, then run Diagnostics again.',
            )
          : groupRolesOutcome(r.roles, r.groupSync ?? false),
      (error: unknown) => failed(error, 'Fix the Microsoft connection (see Test connection), then run Diagnostics again.'),
    ),
    'graph-write-back-permissions': probes.graphRoles().then(
      (r) =>
        r === null
          ? unknown(
              'The Microsoft connection is not set up.',
              'Enter and save the Microsoft connection on the Setup tab, then run Diagnostics again.',
            )
          : writeBackOutcome(r.roles, r.writeBack ?? []),
      (error: unknown) => failed(error, 'Fix the Microsoft connection (see Test connection), then run Diagnostics again.'),
    ),
    'graph-hire-date-readable': chosen.then((c) => hireDateOutcome(probes, c)),
    'graph-delta-optional-properties': chosen.then((c) => deltaOptionalOutcome(observations, c)),
    'graph-page-size': Promise.resolve(graphPageOutcome(observations)),
    'assets-page-size': Promise.resolve(assetsPageOutcome(observations)),
    'assets-updated-query': Promise.resolve(updatedQueryOutcome(observations, probes.now())),
    'assets-write-rate': Promise.resolve(writeRateOutcome(observations)),
    'clock-skew': clockOutcome(probes),
  };

  const checks: DiagnosticCheck[] = [];
  for (const id of DIAGNOSTIC_IDS) checks.push({ id, title: TITLES[id], ...(await outcomes[id]) });
  const summary = {
    pass: checks.filter((c) => c.status === 'pass').length,
    fail: checks.filter((c) => c.status === 'fail').length,
    unknown: checks.filter((c) => c.status === 'unknown').length,
  };
  return { checkedAt, checks, summary, report: formatReport(checkedAt, checks, summary) };
}

function schemaOutcome(inspection: { schemaExists: boolean; diff: SchemaDiff }): Outcome {
  if (!inspection.schemaExists)
    return unknown('The Entra Directory (ENTRA) schema does not exist yet.', 'Use Create Schema on the Setup tab.');
  switch (inspection.diff.kind) {
    case 'ok':
      return pass(
        'The app read the ENTRA schema, its Employee object type and every attribute it writes, each of a type that can hold its values.',
      );
    case 'changes':
      return fail(
        `The ENTRA schema is incomplete: ${inspection.diff.actions.length} item(s) to create or repair.`,
        'Use Repair Schema on the Setup tab.',
      );
    case 'conflict':
      return fail(inspection.diff.message, 'Follow the message; the app never deletes an attribute or a schema.', 'ASSETS_SCHEMA_CONFLICT');
  }
}

function rolesOutcome(roles: readonly string[]): Outcome {
  const granted = USER_READ_ROLES.filter((role) => roles.includes(role));
  if (granted.length > 0)
    return pass(`The app registration's token carries ${granted.join(', ')}: the app can read every user's profile and manager.`);
  const held = roles.length === 0 ? 'no application permissions' : `only ${[...roles].sort().join(', ')}`;
  return fail(
    `The app registration's token carries ${held}; reading users needs User.Read.All.`,
    'In the Entra admin center, open the app registration -> API permissions -> Add a permission -> Microsoft Graph -> Application permissions -> User.Read.All, then Grant admin consent.',
    'GRAPH_CONSENT_MISSING',
  );
}

const GROUPS_ACTION =
  'In the Entra admin center, open the app registration -> API permissions -> Add a permission -> Microsoft Graph -> Application permissions -> GroupMember.Read.All, then Grant admin consent.';

/** Granted: pass. Not granted: a failure only when group sync is on; otherwise a pass that says what group sync will need. */
function groupRolesOutcome(roles: readonly string[], groupSync: boolean): Outcome {
  const granted = GROUP_READ_ROLES.filter((role) => roles.includes(role));
  if (granted.length > 0)
    return pass(`The app registration's token carries ${granted.join(', ')}: the app can read groups and their members.`);
  if (!groupSync) {
    return {
      ...pass('Group sync is off; the token carries no permission to read groups (GroupMember.Read.All), which group sync needs.'),
      action: `Before turning group sync on: ${GROUPS_ACTION}`,
    };
  }
  return fail(
    'Group sync is on, but the token carries no permission to read groups and their members; reading them needs GroupMember.Read.All.',
    GROUPS_ACTION,
    'GRAPH_GROUPS_FORBIDDEN',
  );
}

const WRITE_BACK_ACTION =
  'In the Entra admin center, open the app registration -> API permissions -> Add a permission -> Microsoft Graph -> Application permissions, add each permission named, then Grant admin consent; or switch the capability off on the Setup tab (Actions).';

/**
 * Write-back (issue 17): each switched-on capability's least permission in the token's roles. Nothing switched on:
 * a pass (write-back is off). A missing one fails: every action of that capability is refused until it is granted.
 */
function writeBackOutcome(roles: readonly string[], switchedOn: readonly WriteBackCapability[]): Outcome {
  const lines = capabilityPermissions(switchedOn, roles).filter((line) => line.switchedOn);
  if (lines.length === 0)
    return pass('Write-back is off (no capability switched on on the Setup tab, Actions): the app never writes to Entra ID.');
  const missing = lines.filter((line) => line.granted !== true);
  const said = (line: (typeof lines)[number]) => `${CAPABILITY_LABELS[line.capability]} (${line.permission})`;
  if (missing.length === 0) return pass(`Granted for every capability switched on: ${lines.map(said).join('; ')}.`);
  return fail(
    `Switched on without its permission: ${missing.map(said).join('; ')}. Those actions are refused until it is granted.`,
    WRITE_BACK_ACTION,
    'WRITE_BACK_PERMISSION_MISSING',
  );
}

/**
 * ADR 0008 / platform assumption A11: whether Assets answered the AQL `Updated > now(-<n>m)` the incremental read
 * sends. Refused: every run reads every Employee object (correct, slower) and asks again after the cache's maximum age.
 */
function updatedQueryOutcome(o: PlatformObservations, now: number): Outcome {
  const seen = o.assetsUpdatedQuery;
  if (seen === undefined)
    return unknown(
      'Not observed yet: the second sync after the schema exists asks Assets for the objects updated since the first.',
      'Run two syncs, then run Diagnostics again.',
    );
  if (!seen.refused)
    return pass(`Assets answered the "Updated" query at ${seen.at}: each sync reads only the objects changed since the last one.`);
  const retryAt = new Date(Date.parse(seen.at) + ASSETS_CACHE_MAX_AGE_MS).toISOString();
  const retry = now >= Date.parse(seen.at) + ASSETS_CACHE_MAX_AGE_MS ? 'at the next sync' : `after ${retryAt}`;
  return unknown(
    `Assets refused the "Updated" query at ${seen.at}: each sync reads every Employee object (correct, slower on large directories).`,
    `Nothing to do; the app asks again ${retry}. If it keeps being refused, tell support (platform assumption A11).`,
  );
}

type Chosen = { ok: true; value: { deltaUntracked: number; hireDate: boolean } | null } | { ok: false; error: unknown };

const SETTINGS_MISSING = unknown(
  'The Microsoft connection is not set up.',
  'Enter and save the Microsoft connection on the Setup tab, then run Diagnostics again.',
);
const NO_HIRE_DATE = pass('Hire Date is not chosen on the Setup tab, so this does not apply.');

/**
 * A9: what the app compares a Date attribute's value against is the ISO date; Assets' read form is undocumented.
 * Accepted: what the codec reads as that date (object-codec.ts decodeDate: YYYY-MM-DD, or a UTC date-time whose date
 * part is kept). Anything else never compares equal, so every sync would write it again.
 */
const READABLE_DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]00:?00)?)?$/;

/** The form of a value without the value (a hire date is personal): digits as 9, letters as A. */
export function valueShape(value: string): string {
  return value
    .slice(0, 40)
    .replace(/[0-9]/g, '9')
    .replace(/[A-Za-z]/g, 'A');
}

async function dateFormatOutcome(probes: DiagnosticsProbes, c: Chosen): Promise<Outcome> {
  if (!c.ok) return failed(c.error, 'Try again in a minute.');
  if (c.value === null || !c.value.hireDate) return NO_HIRE_DATE;
  try {
    const sample = await probes.assetsHireDate();
    if (!sample.schemaReady)
      return unknown(
        'The Hire Date attribute does not exist in the ENTRA schema yet.',
        'Use Create Schema (or Repair Schema) on the Setup tab and run a Sync, then run Diagnostics again.',
      );
    if (sample.value === null)
      return unknown(
        `None of the ${sample.read} Employee object(s) read holds a Hire Date yet.`,
        'Run a Sync that fills Hire Date, then run Diagnostics again.',
      );
    const shape = valueShape(sample.value);
    if (READABLE_DATE.test(sample.value.trim()))
      return pass(`Assets returned a Hire Date in the form ${shape}, the ISO date the app writes and compares against.`);
    return fail(
      `Assets returned a Hire Date in the form ${shape}, not the ISO date (9999-99-99) the app writes: it never compares equal, so every sync would write Hire Date on every Employee object again.`,
      'Turn Hire Date off on the Setup tab (the values already in Assets are kept) and report this to support with this report.',
    );
  } catch (error) {
    return failed(error, 'Fix "Assets reachable as the app" first, then run Diagnostics again.');
  }
}

/**
 * Microsoft's user resource lists employeeHireDate as "Returned only on $select" with no permission of its own
 * (https://learn.microsoft.com/graph/api/resources/user#properties; unlike employeeLeaveDateTime, which needs
 * User-LifeCycleInfo.Read.All): it is read with the List users permission, User.Read.All
 * (https://learn.microsoft.com/graph/api/user-list#permissions).
 */
const HIRE_DATE_ACTION =
  'In the Entra admin center, open the app registration -> API permissions -> Add a permission -> Microsoft Graph -> Application permissions -> User.Read.All, then Grant admin consent.';

async function hireDateOutcome(probes: DiagnosticsProbes, c: Chosen): Promise<Outcome> {
  if (!c.ok) return failed(c.error, 'Try again in a minute.');
  if (c.value === null) return SETTINGS_MISSING;
  if (!c.value.hireDate) return NO_HIRE_DATE;
  try {
    const { users, withValue } = await probes.graphHireDates();
    if (users === 0) return unknown('Microsoft Graph returned no users.', 'Run Diagnostics again once the tenant has users.');
    if (withValue === 0)
      return unknown(
        `None of the ${users} user(s) read carries an employeeHireDate. Microsoft Entra ID may answer null when the app may not read it, or when HR never set it.`,
        'Check in the Microsoft Entra admin center that hire dates are set (a user -> Properties -> Job information -> Employee hire date) and that the app registration holds User.Read.All with admin consent.',
      );
    return pass(`${withValue} of the ${users} user(s) read carry an employeeHireDate: the app can read hire dates.`);
  } catch (error) {
    const appError = toAppError(error, 'The check failed unexpectedly.');
    if (appError.code === 'GRAPH_CONSENT_MISSING')
      return fail(
        'Microsoft Graph refused to read users with employeeHireDate (HTTP 403): reading it needs the application permission User.Read.All.',
        HIRE_DATE_ACTION,
        appError.code,
      );
    return failed(error, 'Fix the Microsoft connection (see Test connection), then run Diagnostics again.');
  }
}

/**
 * G10: Microsoft does not document whether users/delta reports changes to employeeHireDate, employeeOrgData,
 * onPremisesExtensionAttributes or directory extensions. Observed at each full read that follows incremental ones
 * (platform-observations.ts optionalPropertyDrift). Drift is not a fault (the full read corrects it, as designed),
 * so it is reported as unknown (not red), with what it means.
 */
function deltaOptionalOutcome(o: PlatformObservations, c: Chosen): Outcome {
  if (!c.ok) return failed(c.error, 'Try again in a minute.');
  if (c.value === null) return SETTINGS_MISSING;
  if (c.value.deltaUntracked === 0)
    return pass(
      'No attribute is chosen whose changes incremental reads may miss (Hire Date, Cost Center, Division, Extension Attribute 1-15, directory extensions), so this does not apply.',
    );
  const seen = o.optionalPropertyDrift;
  if (seen === undefined)
    return unknown(
      'Not observed yet: it is measured at a full directory read (weekly) that follows incremental syncs.',
      'Nothing to do: keep syncing as usual and run Diagnostics again after the next weekly full read (the Overview shows when it is due).',
    );
  if (seen.differed === 0)
    return pass(
      `At the last full read (${seen.at}) the ${seen.compared} user(s) compared held the same values for the ${seen.attributes} attribute(s) incremental reads may miss as the incremental syncs had kept.`,
    );
  return unknown(
    `At the last full read (${seen.at}) ${seen.differed} of ${seen.compared} user(s) held other values for those ${seen.attributes} attribute(s) than the incremental syncs had kept: Microsoft's incremental reads did not report those changes. They reach Assets at the weekly full read, which corrected them.`,
    'Nothing is required. With a sync interval above 7 days they reach Assets only as often as syncs run: shorten the interval to 7 days or less to have them corrected weekly.',
  );
}

function graphPageOutcome(o: PlatformObservations): Outcome {
  const seen = o.graphPageSize;
  if (seen === undefined)
    return unknown(
      'Not measured yet: it is measured during a full directory read.',
      'Run a Preview or a Sync, then run Diagnostics again.',
    );
  // Delta rounds take no page size ($top is ignored): Graph alone decides, and `requested` is 0.
  const asked = seen.requested === 0 ? 'Graph chooses the size of delta pages' : `asked for ${seen.requested}`;
  return pass(
    `In the last full directory read (${seen.endpoint}, ${seen.at}) Microsoft Graph served pages of up to ${seen.served} users (${asked}); the app follows every page link.`,
  );
}

function assetsPageOutcome(o: PlatformObservations): Outcome {
  const seen = o.assetsAqlPageSize;
  if (seen === undefined)
    return unknown(
      'Not measured yet: it is measured when a run reads more Employee objects than one page holds.',
      'Nothing to do while the directory is small; with more objects, a Preview or a Sync measures it.',
    );
  return pass(
    `In the last read (${seen.at}) Assets served AQL pages of up to ${seen.served} objects (asked for ${seen.requested}); the app pages until Assets says the last page was served.`,
  );
}

function writeRateOutcome(o: PlatformObservations): Outcome {
  const seen = o.assetsWriteRate;
  if (seen === undefined)
    return unknown('Not measured yet: it is learned while a sync writes to Assets.', 'Run a Sync that writes, then run Diagnostics again.');
  return pass(
    `The last sync (${seen.at}) wrote ${seen.writes} time(s) and settled at ${Math.round(seen.perMinute)} write requests a minute (a redirect it followed counts as one more) after ${seen.throttled} throttled answer(s); the next sync starts from that rate.`,
  );
}

async function clockOutcome(probes: DiagnosticsProbes): Promise<Outcome> {
  const skews: string[] = [];
  const measured: { jira?: number; graph?: number } = {};
  const [jira, graph] = await Promise.all([probes.jiraClock().catch(() => null), probes.graphClock().catch(() => null)]);
  for (const [server, name, clock] of [
    ['jira', 'Jira', jira],
    ['graph', 'Microsoft', graph],
  ] as const) {
    if (clock === null || clock.serverMs === null) continue;
    const skew = clock.serverMs - clock.localMs;
    measured[server] = skew;
    // Date headers drop the milliseconds: a skew under a second reads as 0.
    const seconds = Math.trunc(skew / 1000);
    skews.push(`${name} ${seconds > 0 ? '+' : ''}${seconds} s`);
  }
  const values = Object.values(measured);
  if (values.length === 0) return unknown('No server Date header could be read.', 'Run Diagnostics again once Jira and Microsoft answer.');
  await probes.recordClockSkew(measured).catch(() => undefined);
  const worst = Math.max(...values.map(Math.abs));
  const detail = `Server clock minus the app's clock: ${skews.join(', ')} (Date headers have one-second resolution).`;
  if (worst > CLOCK_SKEW_LIMIT_MS) {
    return fail(
      detail,
      "The app measures every wait against the server's own Date header, so a skew cannot shorten a wait; report this to Atlassian support with this report if syncs keep waiting.",
    );
  }
  return pass(detail);
}

const STATUS_LABEL: Record<DiagnosticStatus, string> = { pass: 'PASS   ', fail: 'FAIL   ', unknown: 'UNKNOWN' };

function formatReport(checkedAt: string, checks: readonly DiagnosticCheck[], summary: DiagnosticsResult['summary']): string {
  const lines = [
    `Entra ID Sync diagnostics, ${checkedAt}`,
    `${summary.pass} passed, ${summary.fail} failed, ${summary.unknown} unknown`,
    '',
    ...checks.flatMap((c) => [
      `${STATUS_LABEL[c.status]} ${c.id}${c.code === null ? '' : ` [${c.code}]`}: ${c.detail}`,
      ...(c.action === null ? [] : [`        what to do: ${c.action}`]),
    ]),
  ];
  return lines.join('\n');
}
