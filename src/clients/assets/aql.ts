/**
 * The AQL queries the app runs, built in one place so quoting is right: values come from Entra (ids) and
 * must never be able to change the query.
 */

/** A quoted AQL string literal: backslashes and double quotes escaped with a backslash. */
export function aqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function objectTypeClause(objectTypeId: string): string {
  return `objectTypeId = ${/^\d+$/.test(objectTypeId) ? objectTypeId : aqlString(objectTypeId)}`;
}

/** Every object of the type. */
export function objectsOfTypeQuery(objectTypeId: string): string {
  return objectTypeClause(objectTypeId);
}

/**
 * Objects of the type updated within the last `minutes` on the site's clock: `Updated > now(-<n>m)`. AQL's form is
 * `<attribute> <operator> <value/function>` (https://support.atlassian.com/jira-service-management-cloud/docs/use-assets-query-language-aql/);
 * `now()` with a signed offset is the date function of Atlassian's query languages
 * (https://confluence.atlassian.com/display/ADMINJIRASERVER084/__JQL+Functions+supported+by+Date+Fields). A relative
 * `now()` is evaluated by Assets on its own clock, so no date format or timezone is involved. That Assets Cloud accepts
 * it on Updated is not documented (jira-and-assets.md "Checked later"): callers read everything when it is refused.
 */
export function updatedWithinQuery(objectTypeId: string, minutes: number): string {
  return `${objectTypeClause(objectTypeId)} AND Updated > now(-${Math.max(1, Math.ceil(minutes))}m)`;
}

/** Objects of the type whose attribute (by name) equals one of the values. */
export function attributeInQuery(objectTypeId: string, attributeName: string, values: readonly string[]): string {
  return `${objectTypeClause(objectTypeId)} AND ${aqlString(attributeName)} IN (${values.map(aqlString).join(', ')})`;
}

/**
 * Objects of the type whose attributes (by name) each equal one of their values, all conditions joined by AND: the
 * directory lookups of the Automation actions and the Rovo agent (src/services/directory-queries.ts).
 */
export function attributesQuery(
  objectTypeId: string,
  conditions: readonly { readonly attributeName: string; readonly values: readonly string[] }[],
): string {
  const clauses = conditions.map(({ attributeName, values }) =>
    values.length === 1
      ? `${aqlString(attributeName)} = ${aqlString(values[0] ?? '')}`
      : `${aqlString(attributeName)} IN (${values.map(aqlString).join(', ')})`,
  );
  return [objectTypeClause(objectTypeId), ...clauses].join(' AND ');
}
