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
