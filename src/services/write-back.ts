/**
 * Write-back to Entra ID (issue 17): one action attempt, under every safety rule of the issue, in this order:
 * the capability is switched on (settings writeBack) -> the per-site rate (KVS claims per minute) -> the token's roles
 * hold the capability's permission -> the target resolves from the synced directory (account id or email -> Employee
 * object -> Entra id; no object: outside the sync scope) -> not the rule actor's own account (enable/disable) -> read
 * from Graph: not a guest (unless allowed), not a member of a directory role (unless an exception) -> values and
 * groups allowed -> the change, skipped when already in place ("no change"). Every attempt that got past the
 * settings is recorded in the audit trail (rule, actor, target ids, capability, before -> after, result, Graph
 * request id), kept as long as run history; never a secret or a token (there is none in any of it).
 */
import { z } from 'zod';

import type { GraphWrites, UserPatch, WriteTarget } from '../clients/graph/graph-writes';
import { AppError, toAppError } from '../domain/errors';
import { scopeMembershipLookup } from '../domain/group-membership';
import { AUTOMATION_STARTED_BY, ERASED_ACCOUNT } from '../domain/run-starter';
import { evaluateScope, type Scope, scopeGroupIds, scopeProfileProperties } from '../domain/scope';
import type { StoredSettings } from '../domain/settings';
import {
  attributeValueProblem,
  CAPABILITY_LABELS,
  leastPermission,
  permissionGranted,
  type UpdatableAttribute,
  WRITE_BACK_CAPABILITIES,
  type WriteBackCapability,
} from '../domain/write-back';
import { readGroupDirectory, readGroupDirectoryMeta } from '../pipeline/group-cache';
import { keys } from '../pipeline/keys';
import type { Clock, KeyValueStore, Logger } from '../pipeline/ports';
import { RETENTION_SECONDS } from '../pipeline/retention';
import { type ConnectionDeps, createMicrosoftClients } from './connections';
import { type DirectoryPerson, openDirectory } from './directory-queries';
import { requireSettings } from './settings-service';

export const WRITE_BACK_ACTIONS = ['disable', 'enable', 'revokeSessions', 'update', 'addToGroup', 'removeFromGroup'] as const;
export type WriteBackAction = (typeof WRITE_BACK_ACTIONS)[number];

export const ACTION_CAPABILITY: Readonly<Record<WriteBackAction, WriteBackCapability>> = {
  disable: 'accountStatus',
  enable: 'accountStatus',
  revokeSessions: 'revokeSessions',
  update: 'updateAttributes',
  addToGroup: 'groupMembership',
  removeFromGroup: 'groupMembership',
};

export interface PersonRef {
  readonly accountId?: string | undefined;
  readonly email?: string | undefined;
}

export interface WriteBackRequest {
  readonly action: WriteBackAction;
  readonly person: PersonRef;
  /** The rule's name as the rule passes it ({{rule.name}}); recorded only. */
  readonly rule?: string | undefined;
  /** update: the attributes to write ('' clears). */
  readonly values?: Partial<Record<Exclude<UpdatableAttribute, 'manager'>, string>>;
  /** update: the new manager, named like the target. */
  readonly manager?: PersonRef | undefined;
  /** addToGroup / removeFromGroup. */
  readonly groupId?: string | undefined;
}

export interface WriteBackDeps {
  readonly store: KeyValueStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly connectionDeps: ConnectionDeps;
}

export interface WriteBackAnswer {
  /** True when Entra ID was changed; false: "no change", it was already in place. */
  readonly changed: boolean;
  readonly result: 'changed' | 'no change';
  readonly entraUserId: string;
  readonly objectKey: string;
  /** What was changed, e.g. "accountEnabled: true -> false" (attribute names and values, never a secret). */
  readonly detail: string;
  readonly graphRequestId: string | null;
}

/** One attempt of the audit trail as stored (KVS: parsed on every read; an entry that does not parse is left out). */
export const auditEntrySchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  rule: z.string().nullable(),
  /** The rule's actor when Forge names one, else AUTOMATION_STARTED_BY ('automation'); ERASED_ACCOUNT once closed. */
  actor: z.string(),
  action: z.enum(WRITE_BACK_ACTIONS),
  capability: z.enum(WRITE_BACK_CAPABILITIES),
  target: z.object({ accountId: z.string().nullable(), entraUserId: z.string().nullable(), objectKey: z.string().nullable() }),
  before: z.string().nullable(),
  after: z.string().nullable(),
  result: z.enum(['changed', 'no change', 'refused', 'failed']),
  code: z.string().nullable(),
  graphRequestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

const refused = (reason: string, message: string, context: Record<string, string | number | boolean | null> = {}) =>
  new AppError('WRITE_BACK_TARGET_REFUSED', message, { context: { reason, ...context } });

/** Claims one of the minute's N slots (FAIL_IF_EXISTS: two invocations never take the same one). */
async function claimRate(store: KeyValueStore, now: number, perMinute: number): Promise<void> {
  const minute = Math.floor(now / 60_000);
  for (let slot = 0; slot < perMinute; slot++) {
    if (await store.setIfAbsent(keys.writeBackRateSlot(minute, slot), now, { ttlSeconds: 120 })) return;
  }
  throw new AppError(
    'WRITE_BACK_RATE_LIMITED',
    `More than ${perMinute} write-back actions this minute on this site: this one was refused and nothing was changed. ` +
      'Let the rule run again in a minute, or raise the limit on the Setup tab (Actions).',
    { context: { perMinute }, retry: 'later', retryAfterSeconds: 60 - Math.floor((now % 60_000) / 1000) },
  );
}

/**
 * The audit trail keeps the latest AUDIT_KEEP attempts (each for as long as run history, RETENTION_SECONDS.history):
 * appending one deletes the one AUDIT_KEEP before it, so storage and the privacy report's reads stay bounded.
 */
export const AUDIT_KEEP = 1000;

export async function appendAudit(store: KeyValueStore, entry: Omit<AuditEntry, 'seq'>): Promise<void> {
  const next = await store.get(keys.writeBackAuditNext());
  let seq = typeof next === 'number' && Number.isInteger(next) && next > 0 ? next : 1;
  while (!(await store.setIfAbsent(keys.writeBackAudit(seq), { ...entry, seq }, { ttlSeconds: RETENTION_SECONDS.history }))) seq++;
  await store.set(keys.writeBackAuditNext(), seq + 1);
  if (seq > AUDIT_KEEP) await store.delete(keys.writeBackAudit(seq - AUDIT_KEEP));
}

/** The latest audit entries, newest first (at most `limit`, at most AUDIT_KEEP). */
export async function readAudit(store: KeyValueStore, limit = 100): Promise<AuditEntry[]> {
  const next = await store.get(keys.writeBackAuditNext());
  if (typeof next !== 'number' || !Number.isInteger(next)) return [];
  const entries: AuditEntry[] = [];
  for (let seq = next - 1; seq >= Math.max(1, next - AUDIT_KEEP) && entries.length < limit; seq--) {
    const value = await store.get(keys.writeBackAudit(seq));
    if (value === undefined || value === null) break;
    const parsed = auditEntrySchema.safeParse(value);
    if (parsed.success) entries.push(parsed.data);
  }
  return entries;
}

/**
 * Personal data reporting: of `entries` (readAudit's, read once by the caller), those naming one of `closed` as actor
 * or target lose that accountId (the Entra id and object key stay: they are the customer's directory, not Atlassian
 * personal data). Returns how many.
 */
export async function eraseAuditAccounts(
  store: KeyValueStore,
  entries: readonly AuditEntry[],
  closed: ReadonlySet<string>,
): Promise<number> {
  let erased = 0;
  for (const entry of entries) {
    const actorClosed = closed.has(entry.actor);
    const targetClosed = entry.target.accountId !== null && closed.has(entry.target.accountId);
    if (!actorClosed && !targetClosed) continue;
    await store.set(
      keys.writeBackAudit(entry.seq),
      {
        ...entry,
        actor: actorClosed ? ERASED_ACCOUNT : entry.actor,
        target: { ...entry.target, accountId: targetClosed ? null : entry.target.accountId },
      },
      { ttlSeconds: RETENTION_SECONDS.history },
    );
    erased++;
  }
  return erased;
}

async function resolvePerson(deps: WriteBackDeps, ref: PersonRef, what: string): Promise<DirectoryPerson> {
  const directory = await openDirectory({
    store: deps.store,
    jiraFetch: deps.connectionDeps.jiraFetch,
    policy: deps.connectionDeps.policy,
  });
  const found = ref.accountId !== undefined ? await directory.byAccountId(ref.accountId) : await directory.byEmail(ref.email ?? '');
  if (found.length > 1)
    throw new AppError(
      'INPUT_INVALID',
      `More than one Employee object in the Entra Directory matches the ${what}: name them by accountId instead.`,
      {
        context: { matches: found.length },
      },
    );
  const person = found[0];
  if (person === undefined || person.entraUserId === null)
    throw refused(
      'not-synced',
      `The ${what} is not in the synced Entra Directory (outside the sync scope, or not synced yet): the app acts only on people it syncs. Nothing was changed.`,
    );
  return person;
}

/**
 * The sync scope as saved now, evaluated on the target as Graph has it now (its Employee object may be a run old):
 * an action never reaches someone the sync would not sync. Group rules read the cached group directory.
 */
async function requireInScope(store: KeyValueStore, scope: Scope | null, target: WriteTarget): Promise<void> {
  if (scope === null) return;
  let memberships = null;
  const groupIds = scopeGroupIds(scope);
  if (groupIds.length > 0) {
    const meta = await readGroupDirectoryMeta(store);
    if (meta === null)
      throw refused(
        'scope-unknown',
        'The sync scope has a group membership rule and the app has not read the Entra groups yet, so it cannot tell whether the person is in scope: run a sync first. Nothing was changed.',
      );
    memberships = scopeMembershipLookup(await readGroupDirectory(store, meta), groupIds);
  }
  const user = {
    id: target.id,
    accountEnabled: target.accountEnabled,
    department: target.values.department,
    jobTitle: target.values.jobTitle,
    profile: target.profile,
  };
  const evaluation = evaluateScope(scope, [user], memberships);
  if (evaluation.inScope[0] !== 1) {
    const failing = evaluation.clauses.filter((clause) => clause.excluded > 0).length;
    throw refused(
      'out-of-scope',
      `The person is outside the sync scope (Setup tab, Who is synced: ${failing} rule(s) fail for them in Entra ID now); the app acts only on people it syncs. Nothing was changed.`,
      { rules: failing },
    );
  }
}

function describe(values: Record<string, string | null>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}: ${value === null || value === '' ? '(empty)' : value}`)
    .join(', ');
}

export async function runWriteBack(
  deps: WriteBackDeps,
  request: WriteBackRequest,
  caller: { readonly accountId: string | null },
): Promise<WriteBackAnswer> {
  const capability = ACTION_CAPABILITY[request.action];
  const settings = await requireSettings(deps);
  const writeBack = settings.writeBack;
  if (!writeBack.capabilities.includes(capability))
    throw new AppError(
      'WRITE_BACK_DISABLED',
      `"${CAPABILITY_LABELS[capability]}" is switched off: a Jira administrator switches it on in Apps -> Entra ID Sync -> Setup -> Actions. Nothing was changed.`,
      { context: { capability } },
    );
  let person: DirectoryPerson | null = null;
  let before: string | null = null;
  let after: string | null = null;
  try {
    await claimRate(deps.store, deps.clock.now(), writeBack.ratePerMinute);
    const { writes, tokens } = createMicrosoftClients(deps.connectionDeps, settings, { priority: 'interactive' });
    let roles = await writes.grantedRoles();
    if (roles !== null && !permissionGranted(capability, roles)) {
      // The cached token may predate the consent: sign in once more and read its roles again.
      await tokens.invalidate();
      roles = await writes.grantedRoles();
    }
    if (roles !== null && !permissionGranted(capability, roles))
      throw new AppError(
        'WRITE_BACK_PERMISSION_MISSING',
        `"${CAPABILITY_LABELS[capability]}" is switched on but the app registration lacks the Microsoft Graph application permission ${leastPermission(capability)}: ` +
          'add it in the Microsoft Entra admin center (API permissions > Add a permission > Grant admin consent), then run the rule again. Nothing was changed.',
        { context: { capability, permission: leastPermission(capability) } },
      );
    person = await resolvePerson(deps, request.person, 'person');
    const entraId = person.entraUserId as string;
    if (capability === 'accountStatus' && caller.accountId !== null && person.accountId === caller.accountId)
      throw refused('self', "A rule may not enable or disable its own actor's account. Nothing was changed.");
    if (request.action !== 'enable' && !person.active)
      throw refused(
        'inactive',
        'The person is inactive in the Entra Directory (disabled, or outside the sync scope): only "Enable Entra account" acts on them. Nothing was changed.',
      );
    // "Enable" is how a disabled user comes back: for it, a scope of enabled users only is read without that rule.
    const scope = settings.scope === null || request.action !== 'enable' ? settings.scope : { ...settings.scope, enabledOnly: false };
    const target = await writes.readTarget(entraId, scopeProfileProperties(scope));
    await requireInScope(deps.store, scope, target);
    if (target.guest && !writeBack.allowGuests)
      throw refused(
        'guest',
        'The person is a guest in Entra ID and guests are not allowed on the Setup tab (Actions). Nothing was changed.',
      );
    const adminRoles = await writes.directoryRoles(entraId);
    if (adminRoles.length > 0 && !writeBack.exceptions.some((id) => id.toLowerCase() === entraId.toLowerCase()))
      throw refused(
        'privileged',
        `The person holds ${adminRoles.length} Entra administrator role(s); the app never changes administrators unless a Jira administrator lists them as an exception on the Setup tab (Actions). Nothing was changed.`,
        { roles: adminRoles.length },
      );
    const outcome = await perform(deps, writes, settings, request, target, (b, a) => {
      before = b;
      after = a;
    });
    await appendAudit(
      deps.store,
      auditOf(request, caller, person, before, after, outcome.changed ? 'changed' : 'no change', null, outcome.requestId, deps.clock.now()),
    );
    return {
      changed: outcome.changed,
      result: outcome.changed ? 'changed' : 'no change',
      entraUserId: entraId,
      objectKey: person.objectKey,
      detail: outcome.changed ? `${before ?? ''} -> ${after ?? ''}` : `No change: ${after ?? ''} already in place.`,
      graphRequestId: outcome.requestId,
    };
  } catch (error) {
    const appError = toAppError(error);
    const result =
      appError.code === 'WRITE_BACK_TARGET_REFUSED' ||
      appError.code === 'WRITE_BACK_RATE_LIMITED' ||
      appError.code === 'WRITE_BACK_PERMISSION_MISSING' ||
      appError.code === 'INPUT_INVALID'
        ? 'refused'
        : 'failed';
    const requestId = typeof appError.context['requestId'] === 'string' ? appError.context['requestId'] : null;
    await appendAudit(deps.store, auditOf(request, caller, person, before, after, result, appError.code, requestId, deps.clock.now()));
    deps.logger.warn('writeBack.refused', { action: request.action, code: appError.code });
    throw appError;
  }
}

function auditOf(
  request: WriteBackRequest,
  caller: { readonly accountId: string | null },
  person: DirectoryPerson | null,
  before: string | null,
  after: string | null,
  result: AuditEntry['result'],
  code: string | null,
  graphRequestId: string | null,
  now: number,
): Omit<AuditEntry, 'seq'> {
  return {
    at: new Date(now).toISOString(),
    rule: request.rule ?? null,
    actor: caller.accountId ?? AUTOMATION_STARTED_BY,
    action: request.action,
    capability: ACTION_CAPABILITY[request.action],
    target: {
      accountId: person?.accountId ?? request.person.accountId ?? null,
      entraUserId: person?.entraUserId ?? null,
      objectKey: person?.objectKey ?? null,
    },
    before,
    after,
    result,
    code,
    graphRequestId,
  };
}

async function perform(
  deps: WriteBackDeps,
  writes: GraphWrites,
  settings: StoredSettings,
  request: WriteBackRequest,
  target: WriteTarget,
  record: (before: string, after: string) => void,
): Promise<{ changed: boolean; requestId: string | null }> {
  const id = target.id;
  switch (request.action) {
    case 'disable':
    case 'enable': {
      const wanted = request.action === 'enable';
      record(`accountEnabled: ${target.accountEnabled}`, `accountEnabled: ${wanted}`);
      if (target.accountEnabled === wanted) return { changed: false, requestId: null };
      return writes.patchUser(id, { accountEnabled: wanted }, 'User.EnableDisableAccount.All');
    }
    case 'revokeSessions':
      // Revoking is not a state Graph reports: each call signs the user out again (nothing to compare).
      record('sessions: active', 'sessions: revoked');
      return writes.revokeSessions(id);
    case 'update':
      return update(deps, writes, settings, request, target, record);
    case 'addToGroup':
    case 'removeFromGroup': {
      // The id as the admin allowed it (GUIDs compare without case; the stored form is the one sent to Graph).
      const groupId = settings.writeBack.groupIds.find((allowed) => allowed.toLowerCase() === (request.groupId ?? '').toLowerCase());
      if (groupId === undefined)
        throw refused(
          'group-not-allowed',
          'This group is not one the group actions may change: a Jira administrator allows it on the Setup tab (Actions). Nothing was changed.',
        );
      const add = request.action === 'addToGroup';
      record(`member of ${groupId}: ${add ? 'no' : 'yes'}`, `member of ${groupId}: ${add ? 'yes' : 'no'}`);
      return add ? writes.addGroupMember(groupId, id) : writes.removeGroupMember(groupId, id);
    }
  }
}

async function update(
  deps: WriteBackDeps,
  writes: GraphWrites,
  settings: StoredSettings,
  request: WriteBackRequest,
  target: WriteTarget,
  record: (before: string, after: string) => void,
): Promise<{ changed: boolean; requestId: string | null }> {
  const allowed = settings.writeBack.attributes;
  const values = request.values ?? {};
  const asked = [...Object.keys(values), ...(request.manager === undefined ? [] : ['manager'])] as UpdatableAttribute[];
  if (asked.length === 0)
    throw new AppError('INPUT_INVALID', 'Give at least one attribute to write, e.g. jobTitle = {{issue.customfield_10050}}.');
  const notAllowed = asked.filter((name) => !allowed.includes(name));
  if (notAllowed.length > 0)
    throw refused(
      'attribute-not-allowed',
      `Not allowed to write ${notAllowed.join(', ')}: a Jira administrator chooses the attributes on the Setup tab (Actions). Nothing was changed.`,
    );
  for (const [name, value] of Object.entries(values) as [Exclude<UpdatableAttribute, 'manager'>, string][]) {
    const problem = attributeValueProblem(name, value);
    if (problem !== null)
      throw new AppError('WRITE_BACK_VALUE_INVALID', `${problem} Nothing was changed.`, { context: { attribute: name } });
  }
  let managerId: string | null = null;
  if (request.manager !== undefined) {
    const manager = await resolvePerson(deps, request.manager, 'manager');
    if (!manager.active) throw refused('manager-inactive', 'The new manager is inactive in the Entra Directory. Nothing was changed.');
    managerId = manager.entraUserId;
  }
  const beforeValues: Record<string, string | null> = {};
  const afterValues: Record<string, string | null> = {};
  const patch: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values) as [Exclude<UpdatableAttribute, 'manager'>, string][]) {
    const current = target.values[name];
    if ((current ?? '') === value) continue;
    beforeValues[name] = current;
    afterValues[name] = value;
    if (name === 'businessPhone') patch['businessPhones'] = value === '' ? [] : [value];
    else patch[name] = value === '' ? null : value;
  }
  const managerChanges = managerId !== null && (target.values.manager ?? '').toLowerCase() !== managerId.toLowerCase();
  if (managerChanges) {
    beforeValues['manager'] = target.values.manager;
    afterValues['manager'] = managerId;
  }
  if (Object.keys(afterValues).length === 0) {
    record(
      describe({}),
      describe(
        Object.fromEntries(
          asked.map((name) => [name, name === 'manager' ? managerId : (values[name as Exclude<UpdatableAttribute, 'manager'>] ?? null)]),
        ),
      ),
    );
    return { changed: false, requestId: null };
  }
  record(describe(beforeValues), describe(afterValues));
  let requestId: string | null = null;
  if (Object.keys(patch).length > 0) requestId = (await writes.patchUser(target.id, patch as UserPatch, 'User.ReadWrite.All')).requestId;
  if (managerChanges && managerId !== null) requestId = (await writes.setManager(target.id, managerId)).requestId;
  return { changed: true, requestId };
}
