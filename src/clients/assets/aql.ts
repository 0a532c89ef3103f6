/**
 * The two AQL queries the app runs, built in one place so quoting is right: values come from Entra (ids) and
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
