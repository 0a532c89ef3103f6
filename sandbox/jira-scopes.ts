/**
 * Which manifest scope a requestJira call needs, so the sandbox refuses what Forge would refuse. Jira and JSM rows
 * come from the OpenAPI specs' x-atlassian-oauth2-scopes (the "Current" classic scopes; the granular "Beta" set is
 * accepted as an alternative where the spec lists one); Assets rows follow the cmdb scope of each endpoint group.
 * A path missing from this table is refused too: add a row (with its source) when the app starts calling it.
 */

export interface ScopeRule {
  readonly method: string;
  /** Site-relative path without the query string. */
  readonly pattern: RegExp;
  /** Any one alternative satisfies the rule when the manifest declares every scope in it ([] = no scope needed). */
  readonly anyOf: readonly (readonly string[])[];
}

const ASSETS = '/jsm/assets/workspace/[^/]+/v1';
const ID = '[^/]+';

function rule(method: string, path: string, ...anyOf: (readonly string[])[]): ScopeRule {
  return { method, pattern: new RegExp(`^${path}$`), anyOf };
}

export const JIRA_SCOPE_RULES: readonly ScopeRule[] = [
  // Jira platform (jira-platform.swagger-v3.json)
  rule(
    'GET',
    '/rest/api/3/users/search',
    ['read:jira-user'],
    ['read:user:jira', 'read:application-role:jira', 'read:avatar:jira', 'read:group:jira'],
  ),
  // The single-user sync's lookups (src/clients/jira/jira-user-lookup.ts): Current scope read:jira-user for both.
  rule(
    'GET',
    '/rest/api/3/user',
    ['read:jira-user'],
    ['read:application-role:jira', 'read:group:jira', 'read:user:jira', 'read:avatar:jira'],
  ),
  rule(
    'GET',
    '/rest/api/3/user/search',
    ['read:jira-user'],
    ['read:user:jira', 'read:user.property:jira', 'read:application-role:jira', 'read:avatar:jira', 'read:group:jira'],
  ),
  rule('GET', '/rest/api/3/user/email/bulk', ['read:email-address:jira']),
  rule('GET', '/rest/api/3/user/email', ['read:email-address:jira']),
  // permissions/check: the spec's Current scopes are [] (its deprecation notice names read:jira-work / read:permission:jira).
  rule('POST', '/rest/api/3/permissions/check', [], ['read:permission:jira']),
  rule('GET', '/rest/api/3/mypermissions', ['read:jira-work'], ['read:permission:jira']),
  // JSM (jira-service-management.swagger-v3.json)
  rule('GET', '/rest/servicedeskapi/assets/workspace', ['read:servicedesk-request']),
  // Assets REST API (cmdb scopes by endpoint group)
  rule('GET', `${ASSETS}/objectschema/list`, ['read:cmdb-schema:jira']),
  rule('GET', `${ASSETS}/objectschema/${ID}`, ['read:cmdb-schema:jira']),
  rule('POST', `${ASSETS}/objectschema/create`, ['write:cmdb-schema:jira']),
  rule('PUT', `${ASSETS}/objectschema/${ID}`, ['write:cmdb-schema:jira']),
  rule('GET', `${ASSETS}/objectschema/${ID}/objecttypes(/flat)?`, ['read:cmdb-type:jira']),
  rule('GET', `${ASSETS}/objectschema/${ID}/attributes`, ['read:cmdb-attribute:jira']),
  rule('POST', `${ASSETS}/objecttype/create`, ['write:cmdb-type:jira']),
  rule('GET', `${ASSETS}/objecttype/${ID}`, ['read:cmdb-type:jira']),
  rule('PUT', `${ASSETS}/objecttype/${ID}`, ['write:cmdb-type:jira']),
  rule('GET', `${ASSETS}/objecttype/${ID}/attributes`, ['read:cmdb-attribute:jira']),
  rule('POST', `${ASSETS}/objecttypeattribute/${ID}`, ['write:cmdb-attribute:jira']),
  rule('PUT', `${ASSETS}/objecttypeattribute/${ID}/${ID}`, ['write:cmdb-attribute:jira']),
  rule('GET', `${ASSETS}/icon/global`, ['read:cmdb-icon:jira']),
  rule('GET', `${ASSETS}/icon/${ID}`, ['read:cmdb-icon:jira']),
  rule('GET', `${ASSETS}/config/referencetype`, ['read:cmdb-config:jira']),
  rule('POST', `${ASSETS}/config/referencetype`, ['write:cmdb-config:jira']),
  rule('POST', `${ASSETS}/object/aql`, ['read:cmdb-object:jira']),
  rule('POST', `${ASSETS}/aql/totalcount`, ['read:cmdb-object:jira']),
  rule('POST', `${ASSETS}/object/create`, ['write:cmdb-object:jira']),
  rule('GET', `${ASSETS}/object/${ID}`, ['read:cmdb-object:jira']),
  rule('GET', `${ASSETS}/object/${ID}/attributes`, ['read:cmdb-object:jira']),
  rule('PUT', `${ASSETS}/object/${ID}`, ['write:cmdb-object:jira']),
  rule('DELETE', `${ASSETS}/object/${ID}`, ['delete:cmdb-object:jira']),
];

export type ScopeDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export function checkJiraScope(method: string, path: string, declared: ReadonlySet<string>): ScopeDecision {
  const bare = path.split('?')[0] ?? path;
  const rules = JIRA_SCOPE_RULES.filter((r) => r.method === method.toUpperCase() && r.pattern.test(bare));
  if (rules.length === 0)
    return { allowed: false, reason: `${method.toUpperCase()} ${bare} is not an endpoint the sandbox knows the scope of` };
  for (const r of rules) {
    if (r.anyOf.some((scopes) => scopes.every((s) => declared.has(s)))) return { allowed: true };
  }
  const needed = rules.flatMap((r) => r.anyOf.map((scopes) => scopes.join(' + '))).join(' or ');
  return { allowed: false, reason: `${method.toUpperCase()} ${bare} needs the scope ${needed}, which manifest.yml does not declare` };
}
