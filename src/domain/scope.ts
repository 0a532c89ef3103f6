/**
 * Who is in the sync's scope: the rules an admin sets (stored in the settings as `scope`, fixed on a run when it
 * starts), their text form for the sandbox CLI, and their evaluation over the users the app reads. The app
 * evaluates the rules itself, over the cached directory, so a full read and a delta read agree (Graph's users delta
 * filters by id only: https://learn.microsoft.com/graph/delta-query-users).
 *
 * A scope is: members only (userType = Member) or members and guests; enabled accounts only or any; and property
 * rules on department, companyName, employeeType, country, officeLocation, jobTitle, city, usageLocation with
 * equals / not equals / starts with / is one of / is empty, all combined with AND, where a clause may be one level
 * of OR group. Values compare case-insensitively, trimmed. No scope (null) means everyone the app reads.
 * Group membership: `memberOf('<group id>', ...)` keeps users who are direct members of any of the groups, and
 * `transitiveMemberOf(...)` also members through nested groups (Graph's own names for the two relationships). The
 * app reads the tenant's groups for them (the entraGroups stage, ADR 0007), which needs the Graph application
 * permission GroupMember.Read.All: asked for only when a scope has such a rule.
 *
 * Text form (docs/sandbox.md), e.g.
 *   userType eq 'Member' and accountEnabled eq true and department in ('Sales','Legal') and (country eq 'DE' or country eq 'AT')
 * with `ne`, `startswith(prop, 'x')`, `in (...)`, `prop eq null` (is empty); quotes inside values are doubled.
 */
import { z } from 'zod';

import { AppError } from './errors';

export const SCOPE_VERSION = 1;
/** Property rules per scope (inside OR groups included). */
export const SCOPE_MAX_RULES = 20;
/** Values of one `in` rule. */
export const SCOPE_MAX_VALUES = 50;
/** Characters of one value (after trimming). */
export const SCOPE_MAX_VALUE_LENGTH = 200;
/** Characters of the text form (it travels in the settings payload, which the resolver bounds at 8 KiB). */
export const SCOPE_TEXT_MAX_LENGTH = 4000;

/** The user properties a rule can test: Graph user property names. */
export const SCOPE_PROPERTIES = [
  'department',
  'companyName',
  'employeeType',
  'country',
  'officeLocation',
  'jobTitle',
  'city',
  'usageLocation',
] as const;
export type ScopeProperty = (typeof SCOPE_PROPERTIES)[number];
/** Properties EntraUser carries anyway (the core attributes read them): no extra $select for them. */
const CORE_PROPERTIES: readonly ScopeProperty[] = ['department', 'jobTitle'];

export const SCOPE_OPERATORS = ['eq', 'ne', 'startsWith', 'in', 'empty'] as const;
export type ScopeOperator = (typeof SCOPE_OPERATORS)[number];

const valueSchema = z
  .string()
  .trim()
  .min(1, { error: 'A scope value cannot be empty: to test for an empty property use "is empty" (prop eq null).' })
  .max(SCOPE_MAX_VALUE_LENGTH, { error: `A scope value can have at most ${SCOPE_MAX_VALUE_LENGTH} characters.` });

export const scopeRuleSchema = z
  .object({
    property: z.enum(SCOPE_PROPERTIES, {
      error: (issue) => `Unknown scope property ${JSON.stringify(issue.input)}: use one of ${SCOPE_PROPERTIES.join(', ')}.`,
    }),
    op: z.enum(SCOPE_OPERATORS, { error: `A scope rule's operator must be one of ${SCOPE_OPERATORS.join(', ')}.` }),
    values: z.array(valueSchema),
  })
  .superRefine((rule, ctx) => {
    const wanted = rule.op === 'empty' ? 0 : rule.op === 'in' ? null : 1;
    if (wanted === null) {
      if (rule.values.length === 0)
        ctx.addIssue({ code: 'custom', message: `The "is one of" rule on ${rule.property} needs at least one value.` });
      if (rule.values.length > SCOPE_MAX_VALUES)
        ctx.addIssue({ code: 'custom', message: `The "is one of" rule on ${rule.property} can have at most ${SCOPE_MAX_VALUES} values.` });
    } else if (rule.values.length !== wanted) {
      ctx.addIssue({
        code: 'custom',
        message: `The ${rule.op} rule on ${rule.property} takes ${wanted === 0 ? 'no value' : 'exactly one value'}.`,
      });
    }
  });
export type ScopeRule = z.infer<typeof scopeRuleSchema>;

export const scopeGroupSchema = z.object({
  anyOf: z.array(scopeRuleSchema).min(2, { error: 'An OR group needs at least two rules.' }),
});
export type ScopeGroup = z.infer<typeof scopeGroupSchema>;

/** Group ids of one membership rule, at most. */
export const SCOPE_MAX_GROUPS = 20;
const GROUP_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A group membership rule: the user is a member of at least one of the groups (direct, or through nested groups). */
export const scopeMembershipSchema = z.object({
  memberOf: z
    .array(
      z
        .string()
        .trim()
        .regex(GROUP_ID_PATTERN, { error: (issue) => `${JSON.stringify(issue.input)} is not an Entra group object id (a GUID).` })
        .transform((id) => id.toLowerCase()),
    )
    .min(1, { error: 'A group membership rule needs at least one group.' })
    .max(SCOPE_MAX_GROUPS, { error: `A group membership rule can name at most ${SCOPE_MAX_GROUPS} groups.` }),
  transitive: z.boolean(),
});
export type ScopeMembership = z.infer<typeof scopeMembershipSchema>;
export type ScopeClause = ScopeRule | ScopeGroup | ScopeMembership;

export const scopeSchema = z
  .object({
    v: z.literal(SCOPE_VERSION),
    /** true: userType Member only; false: members and guests. */
    membersOnly: z.boolean(),
    /** true: accountEnabled users only; false: enabled and disabled. */
    enabledOnly: z.boolean(),
    /** Combined with AND. */
    clauses: z.array(z.union([scopeRuleSchema, scopeGroupSchema, scopeMembershipSchema])),
  })
  .superRefine((scope, ctx) => {
    const rules = countRules(scope);
    if (rules > SCOPE_MAX_RULES)
      ctx.addIssue({ code: 'custom', message: `A scope can have at most ${SCOPE_MAX_RULES} property rules; this one has ${rules}.` });
    // The text form is what the settings payload, the report and the run summary carry: bounded as a whole too.
    else if (printScope(scope).length > SCOPE_TEXT_MAX_LENGTH)
      ctx.addIssue({
        code: 'custom',
        message: `A scope's text form can have at most ${SCOPE_TEXT_MAX_LENGTH} characters; shorten the value lists.`,
      });
  });
export type Scope = z.infer<typeof scopeSchema>;

export function isGroup(clause: ScopeClause): clause is ScopeGroup {
  return 'anyOf' in clause;
}

export function isMembership(clause: ScopeClause): clause is ScopeMembership {
  return 'memberOf' in clause;
}

/** The property rules of a clause (none for a membership rule). */
function rulesOf(clause: ScopeClause): readonly ScopeRule[] {
  return isGroup(clause) ? clause.anyOf : isMembership(clause) ? [] : [clause];
}

function countRules(scope: Pick<Scope, 'clauses'>): number {
  return scope.clauses.reduce((sum, clause) => sum + (isGroup(clause) ? clause.anyOf.length : 1), 0);
}

/** The Entra group ids the scope's membership rules name (the run reads groups when there is any). */
export function scopeGroupIds(scope: Scope | null): string[] {
  if (scope === null) return [];
  return [...new Set(scope.clauses.flatMap((clause) => (isMembership(clause) ? clause.memberOf : [])))].sort();
}

function invalid(message: string): AppError {
  return new AppError('INPUT_INVALID', `The sync scope was not saved: ${message}`, { context: { field: 'scope' } });
}

/** A scope from anything (the stored form, the Setup tab's builder): INPUT_INVALID with every problem, else the scope. */
export function parseScope(input: unknown): Scope {
  const parsed = scopeSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalid([...new Set(messagesOf(parsed.error.issues))].join(' '));
}

/** Messages of the issues; for a clause that is none of rule, group or membership, those of the closer reading. */
function messagesOf(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue.message];
    // The closer reading: the branch whose own keys are present (fewest "missing" issues), then the fewest issues.
    const missing = (branch: readonly z.core.$ZodIssue[]) =>
      branch.filter((i) => i.code === 'invalid_type' && i.path.length === 1 && /received undefined/.test(i.message)).length;
    const closest = issue.errors.reduce((best, branch) =>
      missing(branch) < missing(best) || (missing(branch) === missing(best) && branch.length < best.length) ? branch : best,
    );
    return messagesOf(closest);
  });
}

// ---- the text form ----

/** The text form of a scope; '' for null (everyone). Clauses in order: userType, accountEnabled, then the rules. */
export function printScope(scope: Scope | null): string {
  if (scope === null) return '';
  const parts: string[] = [];
  if (scope.membersOnly) parts.push("userType eq 'Member'");
  if (scope.enabledOnly) parts.push('accountEnabled eq true');
  for (const clause of scope.clauses) parts.push(printClause(clause));
  return parts.join(' and ');
}

export function printClause(clause: ScopeClause): string {
  if (isMembership(clause)) return `${clause.transitive ? 'transitiveMemberOf' : 'memberOf'}(${clause.memberOf.map(quote).join(', ')})`;
  return isGroup(clause) ? `(${clause.anyOf.map(printRule).join(' or ')})` : printRule(clause);
}

function printRule(rule: ScopeRule): string {
  const [first = ''] = rule.values;
  switch (rule.op) {
    case 'eq':
      return `${rule.property} eq ${quote(first)}`;
    case 'ne':
      return `${rule.property} ne ${quote(first)}`;
    case 'startsWith':
      return `startswith(${rule.property}, ${quote(first)})`;
    case 'in':
      return `${rule.property} in (${rule.values.map(quote).join(', ')})`;
    case 'empty':
      return `${rule.property} eq null`;
  }
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'punct'; text: '(' | ')' | ','; at: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    if (/\s/.test(char)) {
      i++;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: 'punct', text: char, at: i });
      i++;
    } else if (char === "'") {
      const start = i;
      let text = '';
      i++;
      for (;;) {
        if (i >= source.length) throw invalid(`the quoted value starting at character ${start + 1} has no closing quote.`);
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += source[i];
        i++;
      }
      tokens.push({ kind: 'string', text, at: start });
    } else if (/[A-Za-z]/.test(char)) {
      const start = i;
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i] as string)) i++;
      tokens.push({ kind: 'word', text: source.slice(start, i), at: start });
    } else {
      throw invalid(`unexpected character "${char}" at character ${i + 1}.`);
    }
  }
  return tokens;
}

const PROPERTY_BY_LOWER = new Map<string, ScopeProperty>(SCOPE_PROPERTIES.map((property) => [property.toLowerCase(), property]));

/**
 * Parses the text form: '' (or only spaces) is null (everyone); anything wrong is INPUT_INVALID naming what and
 * where (character positions count from 1). The result is checked against the scope schema (limits included).
 */
export function parseScopeText(source: string): Scope | null {
  if (source.length > SCOPE_TEXT_MAX_LENGTH) throw invalid(`the scope text can have at most ${SCOPE_TEXT_MAX_LENGTH} characters.`);
  const tokens = tokenize(source);
  if (tokens.length === 0) return null;
  let pos = 0;
  const where = (token: Token | undefined): string => (token === undefined ? 'at the end' : `at character ${token.at + 1}`);
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (token: Token | undefined, word: string): boolean =>
    token?.kind === 'word' && token.text.toLowerCase() === word.toLowerCase();
  const expectPunct = (text: '(' | ')' | ','): void => {
    const token = peek();
    if (token?.kind !== 'punct' || token.text !== text) throw invalid(`expected "${text}" ${where(token)}.`);
    pos++;
  };
  const expectWord = (word: string): void => {
    const token = peek();
    if (!isWord(token, word)) throw invalid(`expected "${word}" ${where(token)}.`);
    pos++;
  };
  const expectString = (): string => {
    const token = peek();
    if (token?.kind !== 'string') throw invalid(`expected a quoted value such as 'Sales' ${where(token)}.`);
    pos++;
    return token.text;
  };
  const property = (): ScopeProperty => {
    const token = peek();
    if (token?.kind !== 'word') throw invalid(`expected a property name ${where(token)}.`);
    const known = PROPERTY_BY_LOWER.get(token.text.toLowerCase());
    if (known === undefined) {
      if (isMembershipWord(token))
        throw invalid(
          `${token.text}(...) ${where(token)} cannot be inside an OR group: write it as a clause of its own, joined with "and".`,
        );
      throw invalid(
        `unknown property "${token.text}" ${where(token)}: use userType, accountEnabled or one of ${SCOPE_PROPERTIES.join(', ')}.`,
      );
    }
    pos++;
    return known;
  };

  let membersOnly = false;
  let enabledOnly = false;
  const clauses: ScopeClause[] = [];

  const rule = (): ScopeRule => {
    if (isWord(peek(), 'startswith')) {
      pos++;
      expectPunct('(');
      const prop = property();
      expectPunct(',');
      const value = expectString();
      expectPunct(')');
      return { property: prop, op: 'startsWith', values: [value] };
    }
    const prop = property();
    const op = peek();
    if (isWord(op, 'eq') || isWord(op, 'ne')) {
      pos++;
      const negate = isWord(op, 'ne');
      if (isWord(peek(), 'null')) {
        if (negate) throw invalid(`"ne null" is not a scope rule ${where(op)}: use "eq null" (is empty) or a value.`);
        pos++;
        return { property: prop, op: 'empty', values: [] };
      }
      return { property: prop, op: negate ? 'ne' : 'eq', values: [expectString()] };
    }
    if (isWord(op, 'in')) {
      pos++;
      expectPunct('(');
      const values: string[] = [];
      if (peek()?.kind === 'punct' && peek()?.text === ')')
        throw invalid(`the "in" list of ${prop} is empty ${where(peek())}: give at least one value.`);
      values.push(expectString());
      while (peek()?.kind === 'punct' && peek()?.text === ',') {
        pos++;
        values.push(expectString());
      }
      expectPunct(')');
      return { property: prop, op: 'in', values };
    }
    throw invalid(`expected eq, ne or in after ${prop} ${where(op)}.`);
  };

  const isMembershipWord = (token: Token | undefined): boolean => isWord(token, 'memberOf') || isWord(token, 'transitiveMemberOf');
  const membership = (): ScopeMembership => {
    const transitive = isWord(peek(), 'transitiveMemberOf');
    pos++;
    expectPunct('(');
    if (peek()?.kind === 'punct' && peek()?.text === ')')
      throw invalid(`the group list ${where(peek())} is empty: give at least one group object id in quotes.`);
    const ids = [expectString()];
    while (peek()?.kind === 'punct' && peek()?.text === ',') {
      pos++;
      ids.push(expectString());
    }
    expectPunct(')');
    return { memberOf: ids, transitive };
  };

  const topClause = (): void => {
    const token = peek();
    if (isMembershipWord(token)) {
      clauses.push(membership());
      return;
    }
    if (isWord(token, 'userType')) {
      pos++;
      expectWord('eq');
      const value = peek();
      if (value?.kind !== 'string' || value.text.trim().toLowerCase() !== 'member')
        throw invalid(`userType can only be compared with 'Member' (members only) ${where(value)}; leave it out for members and guests.`);
      pos++;
      membersOnly = true;
      return;
    }
    if (isWord(token, 'accountEnabled')) {
      pos++;
      expectWord('eq');
      if (!isWord(peek(), 'true'))
        throw invalid(
          `accountEnabled can only be compared with true (enabled accounts only) ${where(peek())}; leave it out for every account.`,
        );
      pos++;
      enabledOnly = true;
      return;
    }
    if (token?.kind === 'punct' && token.text === '(') {
      pos++;
      const anyOf = [rule()];
      while (isWord(peek(), 'or')) {
        pos++;
        anyOf.push(rule());
      }
      expectPunct(')');
      clauses.push(anyOf.length === 1 ? (anyOf[0] as ScopeRule) : { anyOf });
      return;
    }
    clauses.push(rule());
  };

  topClause();
  while (pos < tokens.length) {
    const token = peek();
    if (isWord(token, 'or')) throw invalid(`"or" ${where(token)} must be inside parentheses, e.g. (country eq 'DE' or country eq 'AT').`);
    expectWord('and');
    topClause();
  }
  return parseScope({ v: SCOPE_VERSION, membersOnly, enabledOnly, clauses });
}

// ---- evaluation ----

/** The Graph properties a scope reads besides what EntraUser always carries (they go into EntraUser.profile). */
export function scopeProfileProperties(scope: Scope | null): string[] {
  if (scope === null) return [];
  const properties = new Set<string>();
  if (scope.membersOnly) properties.add('userType');
  for (const clause of scope.clauses)
    for (const rule of rulesOf(clause)) if (!CORE_PROPERTIES.includes(rule.property)) properties.add(rule.property);
  return [...properties].sort();
}

/** What scope evaluation reads of a user. */
export interface ScopedUser {
  /** The Entra object id (membership rules look it up). */
  readonly id: string;
  readonly accountEnabled: boolean;
  readonly department: string | null;
  readonly jobTitle: string | null;
  readonly profile?: Readonly<Record<string, string | null>> | undefined;
}

type Test = (user: ScopedUser) => boolean;

function normalised(value: string | null | undefined): string {
  return (value ?? '').trim().toLowerCase();
}

function read(user: ScopedUser, property: ScopeProperty): string {
  if (property === 'department') return normalised(user.department);
  if (property === 'jobTitle') return normalised(user.jobTitle);
  return normalised(user.profile?.[property]);
}

function compileRule(rule: ScopeRule): Test {
  const values = rule.values.map((value) => value.trim().toLowerCase());
  const [first = ''] = values;
  const { property } = rule;
  switch (rule.op) {
    case 'eq':
      return (user) => read(user, property) === first;
    case 'ne':
      return (user) => read(user, property) !== first;
    case 'startsWith':
      return (user) => read(user, property).startsWith(first);
    case 'in': {
      const set = new Set(values);
      return (user) => set.has(read(user, property));
    }
    case 'empty':
      return (user) => read(user, property) === '';
  }
}

export interface ScopeClauseFigure {
  /** The clause in the text form. */
  readonly rule: string;
  /** Users read that fail this clause (a user failing two clauses counts in both). */
  readonly excluded: number;
}

export interface ScopeEvaluation {
  /** Per user (input order): 1 in scope, 0 out. */
  readonly inScope: Uint8Array;
  readonly outOfScope: number;
  /** One per clause, in the text form's order (userType, accountEnabled, then the rules). */
  readonly clauses: readonly ScopeClauseFigure[];
}

/**
 * Group memberships for membership rules (built from the cached group directory): whether the user is a member of
 * at least one of the groups, directly or also through nested groups.
 */
export type ScopeMembershipLookup = (userId: string, groupIds: readonly string[], transitive: boolean) => boolean;

/**
 * Evaluates the scope over every user read; null scope: everyone is in. `memberships` is required when the scope
 * has a membership rule (scopeGroupIds not empty).
 */
export function evaluateScope(
  scope: Scope | null,
  users: readonly ScopedUser[],
  memberships: ScopeMembershipLookup | null = null,
): ScopeEvaluation {
  const inScope = new Uint8Array(users.length).fill(1);
  if (scope === null) return { inScope, outOfScope: 0, clauses: [] };
  const tests: { rule: string; test: Test }[] = [];
  if (scope.membersOnly) tests.push({ rule: "userType eq 'Member'", test: (user) => normalised(user.profile?.userType) === 'member' });
  if (scope.enabledOnly) tests.push({ rule: 'accountEnabled eq true', test: (user) => user.accountEnabled });
  for (const clause of scope.clauses) {
    if (isMembership(clause)) {
      if (memberships === null)
        throw new AppError('INTERNAL', 'The scope has a group membership rule but the run read no groups.', {
          context: { field: 'scope' },
        });
      const { memberOf, transitive } = clause;
      tests.push({ rule: printClause(clause), test: (user) => memberships(user.id, memberOf, transitive) });
    } else if (isGroup(clause)) {
      const any = clause.anyOf.map(compileRule);
      tests.push({ rule: printClause(clause), test: (user) => any.some((test) => test(user)) });
    } else {
      tests.push({ rule: printClause(clause), test: compileRule(clause) });
    }
  }
  const excluded = new Array<number>(tests.length).fill(0);
  let outOfScope = 0;
  for (let i = 0; i < users.length; i++) {
    const user = users[i] as ScopedUser;
    let keep = true;
    for (let t = 0; t < tests.length; t++) {
      if (!(tests[t] as { test: Test }).test(user)) {
        excluded[t] = (excluded[t] as number) + 1;
        keep = false;
      }
    }
    if (!keep) {
      inScope[i] = 0;
      outOfScope++;
    }
  }
  return { inScope, outOfScope, clauses: tests.map(({ rule }, t) => ({ rule, excluded: excluded[t] as number })) };
}
