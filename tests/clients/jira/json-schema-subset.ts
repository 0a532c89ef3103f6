/**
 * Just enough of OpenAPI 3 schema validation to check the fake's responses against Atlassian's specs: $ref,
 * allOf, type, properties, additionalProperties, required, items and enum. Formats and readOnly are ignored.
 */

export type JsonSchema = Record<string, unknown>;

export function validateAgainst(spec: JsonSchema, schema: JsonSchema, value: unknown, path = '$'): string[] {
  const resolved = resolve(spec, schema);
  const problems: string[] = [];
  const allOf = resolved['allOf'];
  if (Array.isArray(allOf)) for (const part of allOf) problems.push(...validateAgainst(spec, part as JsonSchema, value, path));

  const type = resolved['type'];
  if (typeof type === 'string' && !hasType(value, type)) return [...problems, `${path}: expected ${type}, got ${describe(value)}`];
  const enumValues = resolved['enum'];
  if (Array.isArray(enumValues) && !enumValues.includes(value))
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(enumValues)}`);

  if (Array.isArray(value) && isSchema(resolved['items'])) {
    value.forEach((item, i) => problems.push(...validateAgainst(spec, resolved['items'] as JsonSchema, item, `${path}[${i}]`)));
  }
  if (isPlainObject(value) && (type === 'object' || resolved['properties'] !== undefined)) {
    const properties = isSchema(resolved['properties']) ? (resolved['properties'] as Record<string, JsonSchema>) : {};
    const required = Array.isArray(resolved['required']) ? (resolved['required'] as string[]) : [];
    for (const name of required) if (!(name in value)) problems.push(`${path}: missing required ${name}`);
    for (const [name, child] of Object.entries(value)) {
      const childSchema = properties[name];
      if (childSchema) problems.push(...validateAgainst(spec, childSchema, child, `${path}.${name}`));
      else if (resolved['additionalProperties'] === false) problems.push(`${path}: property ${name} is not allowed`);
      else if (isSchema(resolved['additionalProperties'])) {
        problems.push(...validateAgainst(spec, resolved['additionalProperties'] as JsonSchema, child, `${path}.${name}`));
      }
    }
  }
  return problems;
}

function resolve(spec: JsonSchema, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; typeof current['$ref'] === 'string' && depth < 20; depth++) {
    const ref = current['$ref'] as string;
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let node: unknown = spec;
    for (const part of ref.slice(2).split('/')) node = isPlainObject(node) ? node[part] : undefined;
    if (!isSchema(node)) throw new Error(`unresolved $ref ${ref}`);
    current = node as JsonSchema;
  }
  return current;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    default:
      return true;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSchema(value: unknown): boolean {
  return isPlainObject(value);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}
