/**
 * The admin's settings: validated with the same zod schemas the admin page uses, stored in KVS without the
 * secret; the client secret goes to the Forge secret store only and is never returned. Saving without a new
 * secret keeps the stored one. A change of tenant, client, cloud or secret drops the cached Graph token.
 */
import { EXTENSION_NAME_HINT } from '../clients/graph/graph-errors';
import { buildSchemaDefinition, type ExtensionChoice, EXTENSIONS_FIELD_LABEL, parseAttributeChoice } from '../domain/attribute-catalogue';
import { AppError } from '../domain/errors';
import { GROUP_SYNC_OFF, type GroupMembership, GROUPS_FIELD_LABEL, isGroupSyncOn, printGroupSelection } from '../domain/group-sync';
import type { MicrosoftCloud } from '../domain/microsoft-cloud';
import type { SchemaDefinition } from '../domain/schema-definition';
import { parseScopeText, printScope, scopeGroupIds } from '../domain/scope';
import { parseSettingsInput, type StoredSettings } from '../domain/settings';
import { WRITE_BACK_OFF, type WriteBackSettings } from '../domain/write-back';
import { keys, secretKeys } from '../pipeline/keys';
import type { Clock, KeyValueStore, SecretStore } from '../pipeline/ports';
import { readStoredSettings } from '../pipeline/settings-store';

export interface SettingsDeps {
  readonly store: KeyValueStore;
  readonly secrets: SecretStore;
  readonly clock: Clock;
  /**
   * Looks the chosen Entra groups up in Microsoft Graph with the settings being saved (group sync "chosen groups"),
   * before anything is stored; absent (tests of other settings): chosen ids are not checked.
   */
  readonly findGroups?: GroupFinder;
  /**
   * Asks Graph which of the chosen directory extension properties the tenant does not know, with the settings being
   * saved, before anything is stored; absent (tests of other settings): not checked.
   */
  readonly findUnknownExtensions?: ExtensionChecker;
}

/** `clientSecret`: the secret being saved, undefined to use the stored one. Returns the properties Graph does not know. */
export type ExtensionChecker = (
  settings: StoredSettings,
  clientSecret: string | undefined,
  properties: readonly string[],
) => Promise<{ readonly unknown: readonly string[] }>;

/** `clientSecret`: the secret being saved, undefined to use the stored one. */
export type GroupFinder = (
  settings: StoredSettings,
  clientSecret: string | undefined,
  ids: readonly string[],
) => Promise<{ readonly notFound: readonly string[] }>;

/** What the admin page may see: never the secret, only whether one is stored and when it was set. */
export interface PublicSettings {
  readonly tenantId: string;
  readonly clientId: string;
  readonly cloud: MicrosoftCloud;
  readonly intervalDays: number;
  readonly secretStored: boolean;
  readonly secretSetAt: string | null;
  readonly updatedAt: string;
  /** The sync scope in its text form (scope.ts); '' when everyone is synced. */
  readonly scope: string;
  /** The optional attributes chosen (catalogue keys, catalogue order) and the directory extension properties. */
  readonly attributes: readonly string[];
  readonly extensions: readonly ExtensionChoice[];
  /** Group sync in its text form (group-sync.ts): off, all, ids:<id>,<id>, prefix:<text>. */
  readonly groups: string;
  readonly groupMembership: GroupMembership;
  /** Write-back actions (issue 17): the capabilities switched on and their limits. */
  readonly writeBack: WriteBackSettings;
}

export async function readSettings(deps: Pick<SettingsDeps, 'store'>): Promise<StoredSettings | null> {
  return readStoredSettings(deps.store);
}

/** The schema definition the stored settings ask for (the core attributes when there are no settings yet). */
export async function readSchemaDefinition(deps: Pick<SettingsDeps, 'store'>): Promise<SchemaDefinition> {
  const settings = await readSettings(deps);
  return buildSchemaDefinition(settings?.attributes ?? [], settings?.extensions ?? [], { groups: isGroupSyncOn(settings?.groups) });
}

export async function readClientSecret(deps: Pick<SettingsDeps, 'secrets'>): Promise<string | null> {
  const value = await deps.secrets.get(secretKeys.clientSecret());
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export async function requireSettings(deps: Pick<SettingsDeps, 'store'>): Promise<StoredSettings> {
  const settings = await readSettings(deps);
  if (settings === null) {
    throw new AppError(
      'SETTINGS_MISSING',
      'The Microsoft connection is not set up yet. Enter the tenant ID, client ID and client secret on the Setup tab.',
    );
  }
  return settings;
}

export async function requireClientSecret(deps: Pick<SettingsDeps, 'secrets'>): Promise<string> {
  const secret = await readClientSecret(deps);
  if (secret === null)
    throw new AppError('SECRET_MISSING', 'No client secret is stored. Paste the client secret Value on the Setup tab and save.');
  return secret;
}

export async function getPublicSettings(deps: SettingsDeps): Promise<PublicSettings | null> {
  const settings = await readSettings(deps);
  if (settings === null) return null;
  return toPublic(settings, (await readClientSecret(deps)) !== null);
}

export async function saveSettings(deps: SettingsDeps, payload: unknown): Promise<PublicSettings> {
  const input = parseSettingsInput(payload);
  // Before anything is stored: an unreadable scope is INPUT_INVALID and leaves every setting as it was.
  const scope = input.scope === undefined ? undefined : parseScopeText(input.scope);
  const previous = await readSettings(deps);
  // Also before anything is stored: a bad attribute choice is INPUT_INVALID. Absent keeps the stored one.
  const choice =
    input.attributes === undefined && input.extensions === undefined
      ? null
      : parseAttributeChoice(input.attributes ?? previous?.attributes ?? [], input.extensions ?? previous?.extensions ?? []);
  const storedSecret = await readClientSecret(deps);
  if (input.clientSecret === undefined && storedSecret === null) {
    throw new AppError('SECRET_MISSING', 'Client secret is required: paste the secret Value from Certificates & secrets.', {
      context: { fields: 'clientSecret' },
    });
  }
  const now = new Date(deps.clock.now()).toISOString();
  const secretChanged = input.clientSecret !== undefined && input.clientSecret !== storedSecret;
  const settings: StoredSettings = {
    tenantId: input.tenantId,
    clientId: input.clientId,
    cloud: input.cloud,
    intervalDays: input.intervalDays,
    secretSetAt: input.clientSecret !== undefined ? now : (previous?.secretSetAt ?? null),
    updatedAt: now,
    // Absent from the payload: kept as they were.
    attributes: choice?.attributes ?? previous?.attributes ?? [],
    extensions: choice?.extensions ?? previous?.extensions ?? [],
    scope: scope === undefined ? (previous?.scope ?? null) : scope,
    groups: input.groups ?? previous?.groups ?? GROUP_SYNC_OFF,
    groupMembership: input.groupMembership ?? previous?.groupMembership ?? 'direct',
    writeBack: input.writeBack ?? previous?.writeBack ?? WRITE_BACK_OFF,
  };
  // Newly chosen groups must exist and be readable with these settings: checked before anything is stored (a
  // stored choice is not checked again on every save: a group deleted since is the sync's business, not the form's).
  const groupsChanged = input.groups !== undefined && JSON.stringify(input.groups) !== JSON.stringify(previous?.groups ?? GROUP_SYNC_OFF);
  if (groupsChanged && deps.findGroups !== undefined && settings.groups.mode === 'ids')
    await checkGroupsExist(deps.findGroups, settings, input.clientSecret, settings.groups.ids, `${GROUPS_FIELD_LABEL}:`, 'groups');
  // So must the groups of a new scope's membership rules (memberOf): asking Graph needs GroupMember.Read.All, which
  // is asked for only when such a rule is used.
  const scopeGroups = scope === undefined ? [] : scopeGroupIds(scope).filter((id) => !scopeGroupIds(previous?.scope ?? null).includes(id));
  if (scopeGroups.length > 0 && deps.findGroups !== undefined)
    await checkGroupsExist(deps.findGroups, settings, input.clientSecret, scopeGroups, 'The sync scope was not saved:', 'scope');
  // A changed choice of directory extension properties: Graph must know every one chosen (a mistyped name would
  // fail every read of users), asked before anything is stored.
  const extensionProperties = settings.extensions.map((extension) => extension.property);
  const extensionsChanged =
    input.extensions !== undefined &&
    JSON.stringify(extensionProperties) !== JSON.stringify((previous?.extensions ?? []).map((extension) => extension.property));
  if (extensionsChanged && extensionProperties.length > 0 && deps.findUnknownExtensions !== undefined)
    await checkExtensionsExist(deps.findUnknownExtensions, settings, input.clientSecret, extensionProperties);
  if (input.clientSecret !== undefined) await deps.secrets.set(secretKeys.clientSecret(), input.clientSecret);
  await deps.store.set(keys.settings(), settings);
  const connectionChanged =
    secretChanged ||
    previous === null ||
    previous.tenantId !== settings.tenantId ||
    previous.clientId !== settings.clientId ||
    previous.cloud !== settings.cloud;
  if (connectionChanged) await deps.secrets.delete(secretKeys.graphToken());
  return toPublic(settings, true);
}

async function checkGroupsExist(
  findGroups: GroupFinder,
  settings: StoredSettings,
  clientSecret: string | undefined,
  ids: readonly string[],
  prefix: string,
  field: string,
): Promise<void> {
  const { notFound } = await findGroups(settings, clientSecret, ids);
  if (notFound.length === 0) return;
  throw new AppError(
    'INPUT_INVALID',
    `${prefix} no Entra group has the object id ${notFound.join(', ')} (or the app registration cannot read it). ` +
      "Copy the Object ID from the group's Overview page in the Microsoft Entra admin center. Nothing was saved.",
    { context: { field, notFound: notFound.length } },
  );
}

async function checkExtensionsExist(
  findUnknown: ExtensionChecker,
  settings: StoredSettings,
  clientSecret: string | undefined,
  properties: readonly string[],
): Promise<void> {
  const { unknown } = await findUnknown(settings, clientSecret, properties);
  if (unknown.length === 0) return;
  throw new AppError(
    'INPUT_INVALID',
    `${EXTENSIONS_FIELD_LABEL}: Microsoft Entra ID has no directory extension property named ${unknown.join(', ')}. ${EXTENSION_NAME_HINT} Nothing was saved.`,
    { context: { field: 'extensions', unknown: unknown.length } },
  );
}

function toPublic(settings: StoredSettings, secretStored: boolean): PublicSettings {
  return {
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    cloud: settings.cloud,
    intervalDays: settings.intervalDays,
    secretStored,
    secretSetAt: settings.secretSetAt,
    updatedAt: settings.updatedAt,
    scope: printScope(settings.scope),
    attributes: settings.attributes,
    extensions: settings.extensions,
    groups: printGroupSelection(settings.groups),
    groupMembership: settings.groupMembership,
    writeBack: settings.writeBack,
  };
}
