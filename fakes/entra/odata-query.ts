/**
 * The subset of OData query options the fake Graph understands, parsed the way Graph does for users: $select
 * (unknown property -> 400), $top (1..999), $expand=manager with an optional nested $select, and the plain $filter
 * forms that need no ConsistencyLevel header. Anything outside the subset is a QueryError the route answers with
 * Graph's error code, so a client relying on more than the real API allows fails here first.
 */
import type { FakeGraphUser } from '../world/types';

export class QueryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Properties of microsoft.graph.user the fake can return. */
export const USER_PROPERTIES = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'userPrincipalName',
  'proxyAddresses',
  'otherMails',
  'jobTitle',
  'department',
  'officeLocation',
  'accountEnabled',
  'userType',
  'employeeId',
  'businessPhones',
  'mobilePhone',
  'preferredLanguage',
  // The attribute catalogue's properties (src/domain/attribute-catalogue.ts). Microsoft's user resource page
  // (https://learn.microsoft.com/graph/api/resources/user#properties) marks all but businessPhones, mobilePhone,
  // officeLocation and userPrincipalName "Returned only on $select", so none is in DEFAULT_USER_PROPERTIES.
  'employeeType',
  'companyName',
  'city',
  'country',
  'usageLocation',
  'employeeHireDate',
  'employeeOrgData',
  'onPremisesExtensionAttributes',
] as const;
export type UserProperty = (typeof USER_PROPERTIES)[number];
/**
 * A directory extension property: `extension_{appId without hyphens}_{name}` (Microsoft, "Add custom data to
 * users using directory extensions", https://learn.microsoft.com/graph/extensibility-overview#directory-microsoft-entra-id-extensions:
 * v1.0 returns one only when named in $select). Only the ones registered in the tenant can be selected.
 */
export type ExtensionProperty = `extension_${string}`;
export const EXTENSION_PROPERTY_PATTERN = /^extension_[0-9a-f]{32}_[A-Za-z0-9_]+$/;
/** What $select may name: a user property or a registered directory extension property. */
export type SelectableProperty = UserProperty | ExtensionProperty;

/** What Graph returns for a user when no $select is given. */
export const DEFAULT_USER_PROPERTIES: readonly UserProperty[] = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

const KNOWN = new Set<string>(USER_PROPERTIES);

export function isExtensionProperty(name: string): name is ExtensionProperty {
  return EXTENSION_PROPERTY_PATTERN.test(name);
}

export interface Selection {
  readonly properties: readonly SelectableProperty[];
  /** `manager` listed in $select: meaningful only to delta (list and get ignore it, as Graph does). */
  readonly manager: boolean;
  readonly explicit: boolean;
}

/** `extensions`: the directory extension properties registered in the tenant (others are unknown, as in Graph). */
export function parseSelect(value: string | null, extensions: ReadonlySet<string> = new Set()): Selection {
  if (value === null) return { properties: DEFAULT_USER_PROPERTIES, manager: false, explicit: false };
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const properties: SelectableProperty[] = [];
  let manager = false;
  for (const name of names) {
    if (name === 'manager') manager = true;
    else if (KNOWN.has(name)) properties.push(name as UserProperty);
    else if (extensions.has(name) && isExtensionProperty(name)) properties.push(name);
    else throw new QueryError(400, 'Request_BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.user'.`);
  }
  // Graph always returns id, listed or not.
  if (!properties.includes('id')) properties.push('id');
  return { properties, manager, explicit: true };
}

export interface ManagerExpansion {
  /** Nested $select inside the expansion, or null for the full object. */
  readonly select: readonly string[] | null;
}

export function parseExpand(value: string | null): ManagerExpansion | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed === 'manager') return { select: null };
  const nested = /^manager\(\$select=([A-Za-z,]+)\)$/.exec(trimmed);
  if (nested?.[1] !== undefined) return { select: nested[1].split(',') };
  throw new QueryError(
    400,
    'Request_BadRequest',
    `Parsing OData Select and Expand failed: the fake supports only $expand=manager, got '${value}'.`,
  );
}

export const MAX_PAGE_SIZE = 999;
export const DEFAULT_PAGE_SIZE = 100;

export function parseTop(value: string | null): number {
  if (value === null) return DEFAULT_PAGE_SIZE;
  const top = Number(value);
  if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE_SIZE) {
    throw new QueryError(
      400,
      'Request_BadRequest',
      `Invalid page size specified: '${value}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`,
    );
  }
  return top;
}

const MAX_IN_VALUES = 15;

/**
 * `proxyAddresses/any(p:p eq 'smtp:x')` and `otherMails/any(o:o eq 'x')`: the `any` lambda over a collection of
 * strings (https://learn.microsoft.com/graph/filter-query-parameter, "any operator"; the user resource page lists
 * `eq` for both properties). Whether Graph needs the advanced query parameters for them is told both ways
 * (docs/clients/graph.md): graph-routes.ts asks for them by default (GraphBehaviour.lambdaFilters).
 */
const LAMBDA_CLAUSE = /^(proxyAddresses|otherMails)\/any\((\w+):(\w+) eq (.+)\)$/;

/** Whether a (valid) filter uses a lambda on proxyAddresses or otherMails. */
export function hasLambdaFilter(value: string | null): boolean {
  return value !== null && splitAnd(value.trim()).some((clause) => LAMBDA_CLAUSE.test(clause));
}
const MAX_EQ_LENGTH = 120;

/**
 * `id in ('a','b')`, `mail eq 'x'`, `userPrincipalName eq 'x'`, `accountEnabled eq true|false`, the proxyAddresses /
 * otherMails lambdas (LAMBDA_CLAUSE), joined by `and`.
 * Anything else needs advanced query capabilities (ConsistencyLevel + $count) the fake does not model.
 */
export function parseFilter(value: string | null): (user: FakeGraphUser) => boolean {
  if (value === null) return () => true;
  const clauses = splitAnd(value.trim()).map(parseClause);
  return (user) => clauses.every((clause) => clause(user));
}

/** The wanted address, lower-cased, when the filter is exactly one `mail eq '...'` clause (served from an index). */
export function singleMailEquals(value: string | null): string | null {
  if (value === null) return null;
  const clauses = splitAnd(value.trim());
  const match = clauses.length === 1 ? /^mail eq (.+)$/.exec(clauses[0] ?? '') : null;
  if (match?.[1] === undefined) return null;
  const [text] = parseStringList(match[1].trim(), clauses[0] ?? '');
  return text === undefined ? null : text.toLowerCase();
}

function splitAnd(expression: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (char === "'") quoted = !quoted;
    if (!quoted && expression.slice(i, i + 5).toLowerCase() === ' and ') {
      parts.push(current.trim());
      current = '';
      i += 4;
      continue;
    }
    current += char;
  }
  parts.push(current.trim());
  return parts;
}

function unsupported(clause: string): QueryError {
  return new QueryError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified: '${clause}'.`);
}

function parseClause(clause: string): (user: FakeGraphUser) => boolean {
  const inMatch = /^id in \((.*)\)$/i.exec(clause);
  if (inMatch?.[1] !== undefined) {
    const values = parseStringList(inMatch[1], clause);
    if (values.length > MAX_IN_VALUES) {
      throw new QueryError(
        400,
        'Request_UnsupportedQuery',
        `Too many child clauses specified in search filter expression containing 'OR' operators: ${values.length}. Max allowed: ${MAX_IN_VALUES}.`,
      );
    }
    const set = new Set(values.map((v) => v.toLowerCase()));
    return (user) => set.has(user.id.toLowerCase());
  }
  const lambda = LAMBDA_CLAUSE.exec(clause);
  if (lambda?.[1] !== undefined && lambda[4] !== undefined) {
    if (lambda[2] !== lambda[3]) throw unsupported(clause);
    const [text] = parseStringList(lambda[4].trim(), clause);
    if (text === undefined || text.length > MAX_EQ_LENGTH) throw unsupported(clause);
    const wanted = text.toLowerCase();
    // Directory string comparisons ignore case (mail eq, userPrincipalName eq above do too).
    return lambda[1] === 'proxyAddresses'
      ? (user) => user.proxyAddresses.some((entry) => entry.toLowerCase() === wanted)
      : (user) => user.otherMails.some((entry) => entry.toLowerCase() === wanted);
  }
  const eqMatch = /^(mail|userPrincipalName|accountEnabled) eq (.+)$/.exec(clause);
  if (eqMatch?.[1] === undefined || eqMatch[2] === undefined) throw unsupported(clause);
  const property = eqMatch[1];
  const literal = eqMatch[2].trim();
  if (property === 'accountEnabled') {
    if (literal !== 'true' && literal !== 'false') throw unsupported(clause);
    const wanted = literal === 'true';
    return (user) => user.accountEnabled === wanted;
  }
  const [text] = parseStringList(literal, clause);
  if (text === undefined) throw unsupported(clause);
  if (text.length > MAX_EQ_LENGTH) throw unsupported(clause);
  const wanted = text.toLowerCase();
  return property === 'mail' ? (user) => user.mail?.toLowerCase() === wanted : (user) => user.userPrincipalName.toLowerCase() === wanted;
}

/** `'a','b'` -> ['a', 'b'] with OData's '' escape for a quote. */
function parseStringList(text: string, clause: string): string[] {
  const values: string[] = [];
  const pattern = /\s*'((?:[^']|'')*)'\s*(,|$)/y;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (match?.[1] === undefined) throw unsupported(clause);
    values.push(match[1].replace(/''/g, "'"));
    index = pattern.lastIndex;
    if (match[2] === '') break;
  }
  if (index < text.length || values.length === 0) throw unsupported(clause);
  return values;
}
