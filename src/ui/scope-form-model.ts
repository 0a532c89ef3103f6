/**
 * The "Who is synced" section's builder: the sync scope (src/domain/scope.ts) as the admin edits it, without typing
 * the text form. A scope is two choices (members only, enabled accounts only) and a list of rules combined with AND.
 * A rule is either a property rule made of one or more lines combined with OR (one line: a plain rule; several: an
 * OR group, the one level of OR the scope allows) or a group membership rule (group object ids, direct or including
 * nested groups). Validation is the backend's own: each line with scopeRuleSchema, each membership rule with
 * scopeMembershipSchema, then the whole scope with scopeSchema (limits); what Save sends is parseScope's result. Saving sends the text form (printScope), which
 * the backend parses with parseScopeText, so the settings contract is unchanged; an empty builder sends '' (everyone).
 */
import {
  isGroup,
  isMembership,
  parseScope,
  parseScopeText,
  printScope,
  type Scope,
  SCOPE_VERSION,
  type ScopeClause,
  scopeMembershipSchema,
  type ScopeOperator,
  type ScopeProperty,
  type ScopeRule,
  scopeRuleSchema,
  scopeSchema,
} from '../domain/scope';
import type { SettingsPayload } from './invoke';
import { parseGroupIdsText } from './settings-form-model';
import type { PublicSettingsView } from './views';

export interface ScopePropertyOption {
  readonly label: string;
  readonly value: ScopeProperty;
}

/** The properties with the names the Microsoft Entra admin center shows for them (user > Properties). */
export const SCOPE_PROPERTY_OPTIONS: readonly ScopePropertyOption[] = [
  { label: 'Department', value: 'department' },
  { label: 'Company name', value: 'companyName' },
  { label: 'Employee type', value: 'employeeType' },
  { label: 'Country or region', value: 'country' },
  { label: 'Office location', value: 'officeLocation' },
  { label: 'Job title', value: 'jobTitle' },
  { label: 'City', value: 'city' },
  { label: 'Usage location', value: 'usageLocation' },
];

export interface ScopeOperatorOption {
  readonly label: string;
  readonly value: ScopeOperator;
}

export const SCOPE_OPERATOR_OPTIONS: readonly ScopeOperatorOption[] = [
  { label: 'equals', value: 'eq' },
  { label: 'does not equal', value: 'ne' },
  { label: 'starts with', value: 'startsWith' },
  { label: 'is one of', value: 'in' },
  { label: 'is empty', value: 'empty' },
];

export const SCOPE_USER_TYPE_OPTIONS = [
  { label: 'Members and guests', value: 'all' },
  { label: 'Members only (no guests)', value: 'members' },
] as const;

export const SCOPE_ACCOUNT_OPTIONS = [
  { label: 'All accounts (enabled and disabled)', value: 'all' },
  { label: 'Enabled accounts only', value: 'enabled' },
] as const;

export const SCOPE_MEMBERSHIP_OPTIONS = [
  { label: 'Direct members', value: 'direct' },
  { label: 'Members, including through nested groups', value: 'transitive' },
] as const;

export function propertyLabel(property: ScopeProperty): string {
  return SCOPE_PROPERTY_OPTIONS.find((option) => option.value === property)?.label ?? property;
}

export function operatorLabel(op: ScopeOperator): string {
  return SCOPE_OPERATOR_OPTIONS.find((option) => option.value === op)?.label ?? op;
}

/** One line of a property rule. `text`: the value as typed (for "is one of": one per line, or separated by commas). */
export interface ScopeLineValues {
  readonly key: string;
  readonly property: ScopeProperty;
  readonly op: ScopeOperator;
  readonly text: string;
}

export type ScopeRuleValues =
  | { readonly key: string; readonly kind: 'property'; readonly lines: readonly ScopeLineValues[] }
  | { readonly key: string; readonly kind: 'membership'; readonly ids: string; readonly transitive: boolean };

export interface ScopeBuilderValues {
  readonly membersOnly: boolean;
  readonly enabledOnly: boolean;
  readonly rules: readonly ScopeRuleValues[];
}

export const EMPTY_SCOPE_BUILDER: ScopeBuilderValues = { membersOnly: false, enabledOnly: false, rules: [] };

/** The stored scope (text form from getSettings); null for everyone, or when the page cannot read what it got. */
export function savedScope(settings: PublicSettingsView | null): Scope | null {
  try {
    return parseScopeText(settings?.scope ?? '');
  } catch {
    return null;
  }
}

function lineOf(rule: ScopeRule, key: string): ScopeLineValues {
  return { key, property: rule.property, op: rule.op, text: rule.op === 'in' ? rule.values.join('\n') : (rule.values[0] ?? '') };
}

/** The builder opened on a scope (the saved one). Keys are stable per line so uncontrolled fields keep their text. */
export function scopeBuilderValues(scope: Scope | null): ScopeBuilderValues {
  if (scope === null) return EMPTY_SCOPE_BUILDER;
  return {
    membersOnly: scope.membersOnly,
    enabledOnly: scope.enabledOnly,
    rules: scope.clauses.map((clause, i): ScopeRuleValues => {
      if (isMembership(clause)) return { key: `s${i}`, kind: 'membership', ids: clause.memberOf.join('\n'), transitive: clause.transitive };
      const rules = isGroup(clause) ? clause.anyOf : [clause];
      return { key: `s${i}`, kind: 'property', lines: rules.map((rule, j) => lineOf(rule, `s${i}.${j}`)) };
    }),
  };
}

/**
 * The values of "is one of" as typed: one per line when there is a line break (a value may then hold a comma),
 * else separated by commas; pieces trimmed, empty ones dropped.
 */
export function splitValues(text: string): string[] {
  const pieces = /[\r\n]/.test(text) ? text.split(/\r?\n|\r/) : text.split(',');
  return pieces.map((piece) => piece.trim()).filter((piece) => piece.length > 0);
}

function lineInput(line: ScopeLineValues): { property: string; op: string; values: string[] } {
  const values = line.op === 'empty' ? [] : line.op === 'in' ? splitValues(line.text) : [line.text];
  return { property: line.property, op: line.op, values };
}

function ruleInput(rule: ScopeRuleValues): unknown {
  if (rule.kind === 'membership') return { memberOf: parseGroupIdsText(rule.ids), transitive: rule.transitive };
  if (rule.lines.length === 1) return lineInput(rule.lines[0] as ScopeLineValues);
  return { anyOf: rule.lines.map(lineInput) };
}

function scopeInput(values: ScopeBuilderValues): unknown {
  return { v: SCOPE_VERSION, membersOnly: values.membersOnly, enabledOnly: values.enabledOnly, clauses: values.rules.map(ruleInput) };
}

function joined(messages: readonly string[]): string {
  return [...new Set(messages)].join(' ');
}

export interface ScopeMessages {
  /** By line key (property rules) or rule key (membership rules). */
  readonly fields: Readonly<Record<string, string>>;
  /** About the scope as a whole (too many rules, text form too long). */
  readonly scope?: string;
}

/** The backend schema's messages for the builder as it stands: per line, per membership rule, then the whole. */
export function scopeMessages(values: ScopeBuilderValues): ScopeMessages {
  const fields: Record<string, string> = {};
  for (const rule of values.rules) {
    if (rule.kind === 'membership') {
      const parsed = scopeMembershipSchema.safeParse(ruleInput(rule));
      if (!parsed.success) fields[rule.key] = joined(parsed.error.issues.map((issue) => issue.message));
      continue;
    }
    for (const line of rule.lines) {
      const parsed = scopeRuleSchema.safeParse(lineInput(line));
      if (!parsed.success) fields[line.key] = joined(parsed.error.issues.map((issue) => issue.message));
    }
  }
  if (Object.keys(fields).length > 0) return { fields };
  // Every rule is valid on its own: what is left is about the whole (the rule count, the text form's length).
  const parsed = scopeSchema.safeParse(scopeInput(values));
  return parsed.success ? { fields } : { fields, scope: joined(parsed.error.issues.map((issue) => issue.message)) };
}

/** The text form Save sends ('' for an empty builder: everyone); null while the builder is not valid. */
export function scopeText(values: ScopeBuilderValues): string | null {
  try {
    return printScope(parseScope(scopeInput(values)));
  } catch {
    return null;
  }
}

/** What Save sends: the stored connection values and the scope only (the other sections' choices stay). */
export function scopePayload(settings: PublicSettingsView, values: ScopeBuilderValues): SettingsPayload | null {
  const scope = scopeText(values);
  if (scope === null) return null;
  return { tenantId: settings.tenantId, clientId: settings.clientId, cloud: settings.cloud, intervalDays: settings.intervalDays, scope };
}

function quoted(value: string): string {
  return `“${value}”`;
}

function describeRule(rule: ScopeRule): string {
  const property = propertyLabel(rule.property);
  switch (rule.op) {
    case 'empty':
      return `${property} is empty`;
    case 'in':
      return `${property} is one of ${rule.values.map(quoted).join(', ')}`;
    default:
      return `${property} ${operatorLabel(rule.op)} ${quoted(rule.values[0] ?? '')}`;
  }
}

function describeClause(clause: ScopeClause): string {
  if (isMembership(clause)) {
    const groups = clause.memberOf.length === 1 ? 'the group' : `one of the ${clause.memberOf.length} groups`;
    return `Member of ${groups} ${clause.memberOf.join(', ')}${clause.transitive ? ', directly or through nested groups' : ' (direct members)'}`;
  }
  return isGroup(clause) ? clause.anyOf.map(describeRule).join(', or ') : describeRule(clause);
}

/** The scope in words, one line per condition a user must meet; empty for everyone. */
export function describeScope(scope: Scope | null): string[] {
  if (scope === null) return [];
  const lines: string[] = [];
  if (scope.membersOnly) lines.push('Members only (guests are left out)');
  if (scope.enabledOnly) lines.push('Enabled accounts only');
  for (const clause of scope.clauses) lines.push(describeClause(clause));
  return lines;
}

/** Group ids of the builder's membership rules were typed: the section then says what they need. */
export function hasMembershipRule(values: ScopeBuilderValues): boolean {
  return values.rules.some((rule) => rule.kind === 'membership');
}

export function propertyRuleCount(values: ScopeBuilderValues): number {
  return values.rules.reduce((sum, rule) => sum + (rule.kind === 'property' ? rule.lines.length : 0), 0);
}
