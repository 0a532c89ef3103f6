/**
 * The Microsoft Graph writes of the write-back actions (issue 17), each preceded by the read the action needs
 * (idempotency: a change already in place is "no change"; the privileged-role check). Sources for each call and
 * its permission: src/domain/write-back.ts and fakes/entra/write-routes.ts. Failures become AppErrors:
 * 403 -> WRITE_BACK_PERMISSION_MISSING naming the permission (or, for a target Graph protects, WRITE_BACK_TARGET_REFUSED),
 * 400 -> WRITE_BACK_VALUE_INVALID, 404 -> WRITE_BACK_NOT_FOUND; throttling and outages as every Graph call.
 * Microsoft's messages are never copied (they can echo values).
 */
import { z } from 'zod';

import { AppError } from '../../domain/errors';
import { readJson } from '../http';
import { failureContext, type GraphFailure, graphFailure } from './graph-errors';
import { createGraphCall, type GraphClientDeps } from './graph-transport';

export const TARGET_SELECT = 'id,accountEnabled,userType,jobTitle,department,officeLocation,businessPhones,mobilePhone,employeeId';

const targetSchema = z.looseObject({
  id: z.string().min(1),
  accountEnabled: z.boolean().nullable().optional(),
  userType: z.string().nullable().optional(),
  jobTitle: z.string().nullable().optional(),
  department: z.string().nullable().optional(),
  officeLocation: z.string().nullable().optional(),
  businessPhones: z.array(z.string()).nullable().optional(),
  mobilePhone: z.string().nullable().optional(),
  employeeId: z.string().nullable().optional(),
});
const managerSchema = z.looseObject({ id: z.string().min(1) });
const rolesSchema = z.looseObject({
  value: z.array(
    z.looseObject({ id: z.string(), displayName: z.string().nullable().optional(), roleTemplateId: z.string().nullable().optional() }),
  ),
});

/** What the app reads of a target before writing (no name, no email). */
export interface WriteTarget {
  readonly id: string;
  readonly accountEnabled: boolean;
  readonly guest: boolean;
  /** The scope's properties asked for (readTarget's `scopeProperties`, and userType), for scope evaluation. */
  readonly profile: Readonly<Record<string, string | null>>;
  readonly values: {
    readonly jobTitle: string | null;
    readonly department: string | null;
    readonly officeLocation: string | null;
    readonly businessPhone: string | null;
    readonly mobilePhone: string | null;
    readonly employeeId: string | null;
    readonly manager: string | null;
  };
}

export type UserPatch = Partial<Record<'jobTitle' | 'department' | 'officeLocation' | 'mobilePhone' | 'employeeId', string | null>> & {
  readonly accountEnabled?: boolean;
  readonly businessPhones?: string[];
};

/** A write Graph accepted: its request-id (for the audit trail), and whether it changed anything. */
export interface WriteOutcome {
  readonly changed: boolean;
  readonly requestId: string | null;
}

export interface GraphWrites {
  /** The current token's roles claim (null when unreadable). */
  grantedRoles(): Promise<readonly string[] | null>;
  /** The target's current values; `scopeProperties` (the sync scope's, scope.ts) are read into `profile`. */
  readTarget(id: string, scopeProperties?: readonly string[]): Promise<WriteTarget>;
  /** Display names of the directory roles the user is a direct member of ([] for none). */
  directoryRoles(id: string): Promise<string[]>;
  patchUser(id: string, patch: UserPatch, permission: string): Promise<WriteOutcome>;
  setManager(id: string, managerId: string): Promise<WriteOutcome>;
  revokeSessions(id: string): Promise<WriteOutcome>;
  /** changed false: the user already was a member (Graph's documented 400). */
  addGroupMember(groupId: string, userId: string): Promise<WriteOutcome>;
  /** changed false: the user was not a member (404 after the group was found). */
  removeGroupMember(groupId: string, userId: string): Promise<WriteOutcome>;
}

export function createGraphWrites(deps: GraphClientDeps): GraphWrites {
  const call = createGraphCall(deps);
  const graph = `${deps.endpoints.graph}/v1.0`;
  const id = (value: string) => encodeURIComponent(value);

  function writeFailure(failure: GraphFailure, operation: string, permission: string): AppError {
    const context = failureContext(failure, operation);
    if (failure.status === 403)
      return new AppError(
        'WRITE_BACK_PERMISSION_MISSING',
        `Microsoft Entra ID refused the change (403). The app registration needs the Microsoft Graph application permission ${permission} with admin consent ` +
          '(API permissions > Add a permission > Grant admin consent); a user holding an administrator role can only be changed by an administrator, never by this app.',
        { context: { ...context, permission } },
      );
    if (failure.status === 400)
      return new AppError(
        'WRITE_BACK_VALUE_INVALID',
        'Microsoft Entra ID refused the value (400 invalid value): check the length and characters of the value the rule sends.',
        { context },
      );
    if (failure.status === 404)
      return new AppError(
        'WRITE_BACK_NOT_FOUND',
        'Microsoft Entra ID does not know this user or group (404): it may have been deleted since the last sync. Run a sync and check the rule.',
        { context },
      );
    return graphFailure(failure, operation);
  }

  async function write(
    operation: string,
    request: Parameters<typeof call>[1],
    permission: string,
    noChange?: (failure: GraphFailure) => boolean,
  ) {
    const result = await call(operation, {
      ...request,
      headers: { ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...request.headers },
    });
    if (result.ok) {
      await result.response.text().catch(() => undefined);
      return { changed: true, requestId: result.context['requestId'] as string | null };
    }
    if (noChange !== undefined && noChange(result.failure)) return { changed: false, requestId: result.failure.requestId };
    throw writeFailure(result.failure, operation, permission);
  }

  return {
    grantedRoles: () => deps.tokens.grantedRoles(),

    async readTarget(userId, scopeProperties = []) {
      const operation = 'readWriteTarget';
      const extra = scopeProperties.filter((property) => !TARGET_SELECT.split(',').includes(property));
      const select = [TARGET_SELECT, ...extra].join(',');
      const result = await call(operation, { method: 'GET', url: `${graph}/users/${id(userId)}?$select=${select}` });
      if (!result.ok) throw writeFailure(result.failure, operation, 'User.Read.All');
      const user = await readJson(result.response, targetSchema, 'Microsoft Graph (get user)', result.context);
      const managerResult = await call('readWriteTargetManager', { method: 'GET', url: `${graph}/users/${id(userId)}/manager` });
      let manager: string | null = null;
      if (managerResult.ok)
        manager = (await readJson(managerResult.response, managerSchema, 'Microsoft Graph (get manager)', managerResult.context)).id;
      else if (managerResult.failure.status !== 404) throw writeFailure(managerResult.failure, 'readWriteTargetManager', 'User.Read.All');
      const profile: Record<string, string | null> = {};
      for (const property of ['userType', ...scopeProperties]) {
        const value: unknown = (user as Record<string, unknown>)[property];
        profile[property] = typeof value === 'string' ? value : value === null || value === undefined ? null : String(value);
      }
      return {
        id: user.id,
        accountEnabled: user.accountEnabled !== false,
        guest: (user.userType ?? '').toLowerCase() === 'guest',
        profile,
        values: {
          jobTitle: user.jobTitle ?? null,
          department: user.department ?? null,
          officeLocation: user.officeLocation ?? null,
          businessPhone: user.businessPhones?.[0] ?? null,
          mobilePhone: user.mobilePhone ?? null,
          employeeId: user.employeeId ?? null,
          manager,
        },
      };
    },

    async directoryRoles(userId) {
      const operation = 'readDirectoryRoles';
      const result = await call(operation, {
        method: 'GET',
        url: `${graph}/users/${id(userId)}/memberOf/microsoft.graph.directoryRole?$select=id,displayName,roleTemplateId`,
      });
      if (!result.ok) throw writeFailure(result.failure, operation, 'User.Read.All');
      const page = await readJson(result.response, rolesSchema, 'Microsoft Graph (directory roles)', result.context);
      return page.value.map((role) => role.displayName ?? role.roleTemplateId ?? role.id);
    },

    patchUser: (userId, patch, permission) =>
      write('patchUser', { method: 'PATCH', url: `${graph}/users/${id(userId)}`, body: JSON.stringify(patch) }, permission),

    setManager: (userId, managerId) =>
      write(
        'setManager',
        {
          method: 'PUT',
          url: `${graph}/users/${id(userId)}/manager/$ref`,
          body: JSON.stringify({ '@odata.id': `${graph}/users/${managerId}` }),
        },
        'User.ReadWrite.All',
      ),

    revokeSessions: (userId) =>
      write(
        'revokeSignInSessions',
        { method: 'POST', url: `${graph}/users/${id(userId)}/revokeSignInSessions` },
        'User.RevokeSessions.All',
      ),

    addGroupMember: (groupId, userId) =>
      write(
        'addGroupMember',
        {
          method: 'POST',
          url: `${graph}/groups/${id(groupId)}/members/$ref`,
          body: JSON.stringify({ '@odata.id': `${graph}/directoryObjects/${userId}` }),
        },
        'GroupMember.ReadWrite.All',
        (failure) => failure.alreadyMember === true,
      ),

    async removeGroupMember(groupId, userId) {
      // The group first: a 404 on the removal then means "not a member" (no change), not "no such group".
      const group = await call('readWriteGroup', { method: 'GET', url: `${graph}/groups/${id(groupId)}?$select=id` });
      if (!group.ok) throw writeFailure(group.failure, 'readWriteGroup', 'GroupMember.ReadWrite.All');
      await group.response.text().catch(() => undefined);
      return write(
        'removeGroupMember',
        { method: 'DELETE', url: `${graph}/groups/${id(groupId)}/members/${id(userId)}/$ref` },
        'GroupMember.ReadWrite.All',
        (failure) => failure.status === 404,
      );
    },
  };
}
