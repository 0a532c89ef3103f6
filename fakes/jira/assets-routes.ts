/**
 * The fake's Assets REST endpoints under `/jsm/assets/workspace/{id}/v1/`: only the ones the app calls, with the
 * request shapes checked (paging in the query string for AQL, iconId required, attribute bodies) and the real API's
 * error bodies.
 */
import { parseAql } from './aql';
import type { AssetsRenderer } from './assets-render';
import { type AssetsState, type AttributeRec, type AttributeValueInput, ICONS, type ObjectRec } from './assets-state';
import { intParam, isRecord, jiraError, json, misuse, type RouteRequest, type RouteResponse } from './routing';

export interface AssetsRouteDeps {
  readonly state: AssetsState;
  readonly render: AssetsRenderer;
  readonly aqlMaxResults: number;
  /** The site's clock (AQL `now()`). */
  readonly now: () => number;
  /** FakeJiraSiteOptions.assetsAqlUpdatedFilter. */
  readonly updatedFilter: 'refused' | 'supported';
}

/** `path` is below `/v1/`. */
export function routeAssets(deps: AssetsRouteDeps, request: RouteRequest, path: string): RouteResponse | null {
  const { state, render } = deps;
  const parts = path.split('/').map(decodeURIComponent);
  const [a, b, c] = parts;
  const m = request.method;

  if (m === 'GET' && path === 'objectschema/list') {
    const startAt = intParam(request.query, 'startAt', 0);
    const maxResults = intParam(request.query, 'maxResults', 25);
    if (startAt === null || maxResults === null) return misuse('startAt and maxResults must be integers');
    const size = Math.min(Math.max(maxResults, 1), 100);
    const values = state.schemas.slice(startAt, startAt + size);
    return json(200, {
      startAt,
      maxResults: size,
      total: state.schemas.length,
      values: values.map((s) => render.schema(s)),
      isLast: startAt + values.length >= state.schemas.length,
    });
  }
  if (m === 'POST' && path === 'objectschema/create') {
    if (!isRecord(request.body)) return misuse('objectschema/create needs a JSON object');
    const outcome = state.createSchema(request.body['name'], request.body['objectSchemaKey'], request.body['description']);
    return outcome.ok ? json(201, render.schema(outcome.value)) : jiraError(outcome.status, outcome.errorMessages, outcome.errors);
  }
  if (m === 'GET' && a === 'objectschema' && b !== undefined && c === 'objecttypes' && parts.length === 3) {
    if (!state.schemas.some((s) => s.id === b)) return jiraError(404, [`Object schema ${b} not found`]);
    return json(
      200,
      state.typesOf(b).map((t) => render.objectType(t)),
    );
  }
  if (m === 'GET' && path === 'icon/global')
    return json(
      200,
      ICONS.map((i) => render.icon(i)),
    );
  if (m === 'POST' && path === 'objecttype/create') {
    if (!isRecord(request.body)) return misuse('objecttype/create needs a JSON object');
    const outcome = state.createObjectType(request.body);
    return outcome.ok ? json(201, render.objectType(outcome.value)) : jiraError(outcome.status, outcome.errorMessages, outcome.errors);
  }
  if (m === 'GET' && a === 'objecttype' && b !== undefined && c === 'attributes' && parts.length === 3) {
    if (!state.objectTypes.some((t) => t.id === b)) return jiraError(404, [`Object type ${b} not found`]);
    return json(
      200,
      state.attributesOf(b).map((x) => render.attribute(x)),
    );
  }
  if (a === 'objecttypeattribute' && b !== undefined) {
    if (!isRecord(request.body)) return misuse('objecttypeattribute needs a JSON object');
    if (m === 'POST' && parts.length === 2) {
      const outcome = state.createAttribute(b, request.body);
      return outcome.ok ? json(201, render.attribute(outcome.value)) : jiraError(outcome.status, outcome.errorMessages, outcome.errors);
    }
    if (m === 'PUT' && parts.length === 3 && c !== undefined) {
      const outcome = state.updateAttribute(b, c, request.body);
      return outcome.ok ? json(200, render.attribute(outcome.value)) : jiraError(outcome.status, outcome.errorMessages, outcome.errors);
    }
    return null;
  }
  if (path === 'config/referencetype') {
    const schemaId = request.query.get('objectSchemaId');
    if (m === 'GET') {
      if (schemaId === null) return misuse('config/referencetype needs objectSchemaId');
      return json(
        200,
        state.listReferenceTypes(schemaId).map((r) => render.referenceType(r)),
      );
    }
    if (m === 'POST') {
      if (!isRecord(request.body)) return misuse('config/referencetype needs a JSON object');
      const outcome = state.createReferenceType({ ...request.body, objectSchemaId: request.body['objectSchemaId'] ?? schemaId });
      return outcome.ok ? json(201, render.referenceType(outcome.value)) : jiraError(outcome.status, outcome.errorMessages, outcome.errors);
    }
    return null;
  }
  if (m === 'POST' && path === 'object/create') {
    const body = objectBody(request.body);
    if ('error' in body) return misuse(body.error);
    if (body.objectTypeId === null) return misuse('object/create needs objectTypeId');
    const outcome = state.createObject(body.objectTypeId, body.attributes);
    return outcome.ok ? json(201, render.object(outcome.value)) : jiraError(outcome.status, outcome.errorMessages, outcome.errors);
  }
  if (m === 'POST' && path === 'object/aql') return aql(deps, request);
  if (m === 'POST' && path === 'object/aql/totalcount') return totalCount(deps, request);
  if (a === 'object' && b !== undefined && parts.length === 2 && b !== 'create' && b !== 'aql') {
    if (m === 'GET') {
      const object = state.objects.get(b);
      return object ? json(200, render.object(object)) : jiraError(404, [`Object with id ${b} was not found`]);
    }
    if (m === 'PUT') {
      const body = objectBody(request.body);
      if ('error' in body) return misuse(body.error);
      const outcome = state.updateObject(b, body.objectTypeId, body.attributes);
      return outcome.ok ? json(200, render.object(outcome.value)) : jiraError(outcome.status, outcome.errorMessages, outcome.errors);
    }
  }
  return null;
}

/**
 * `POST object/aql/totalcount` ({"qlQuery"} -> {"totalCount"}): the number of objects the query matches
 * (jira-and-assets.md "Checked later", from the Assets REST API reference).
 */
function totalCount(deps: AssetsRouteDeps, request: RouteRequest): RouteResponse {
  const qlQuery = isRecord(request.body) ? request.body['qlQuery'] : undefined;
  if (typeof qlQuery !== 'string') return misuse('object/aql/totalcount needs {qlQuery} in the body');
  const matched = matchAql(deps, qlQuery);
  return 'response' in matched ? matched.response : json(200, { totalCount: matched.objects.length });
}

/** The objects an AQL query matches, or the answer refusing it. */
function matchAql(
  deps: AssetsRouteDeps,
  qlQuery: string,
): { objects: ObjectRec[]; attributes: AttributeRec[] } | { response: RouteResponse } {
  const { state } = deps;
  const parsed = parseAql(qlQuery);
  if ('error' in parsed) return { response: misuse(`AQL not understood by the fake: ${parsed.error}`) };
  const type = state.objectTypes.find((t) => t.id === parsed.objectTypeId);
  if (!type) return { response: jiraError(400, [`AQL: object type ${parsed.objectTypeId} not found`]) };
  const attributes = state.attributesOf(type.id);
  let objects: ObjectRec[] = state.objectsOfType(type.id);
  for (const condition of parsed.conditions) {
    const attribute = attributes.find((x) => x.name.toLowerCase() === condition.attribute.toLowerCase());
    if (!attribute) return { response: jiraError(400, [`AQL: no attribute "${condition.attribute}" on ${type.name}`]) };
    const wanted = new Set(condition.values.map((v) => v.toLowerCase()));
    objects = objects.filter((o) => (o.values.get(attribute.id) ?? []).some((v) => wanted.has(v.toLowerCase())));
  }
  if (parsed.updatedWithinMs !== undefined) {
    // Undocumented on Assets Cloud (aql.ts): refused with AQL's 400 unless the site is told it is supported.
    if (deps.updatedFilter === 'refused') return { response: jiraError(400, ['AQL: the function now() is not supported here']) };
    const since = deps.now() - parsed.updatedWithinMs;
    objects = objects.filter((o) => o.updated > since);
  }
  return { objects, attributes };
}

function aql(deps: AssetsRouteDeps, request: RouteRequest): RouteResponse {
  const { render } = deps;
  if (isRecord(request.body) && ('startAt' in request.body || 'maxResults' in request.body)) {
    return misuse('object/aql takes startAt and maxResults in the query string, not the body');
  }
  const qlQuery = isRecord(request.body) ? request.body['qlQuery'] : undefined;
  if (typeof qlQuery !== 'string') return misuse('object/aql needs {qlQuery} in the body');
  const startAt = intParam(request.query, 'startAt', 0);
  const maxResults = intParam(request.query, 'maxResults', 25);
  if (startAt === null || maxResults === null) return misuse('startAt and maxResults must be integers');
  const includeAttributes = request.query.get('includeAttributes') !== 'false';
  const matched = matchAql(deps, qlQuery);
  if ('response' in matched) return matched.response;
  const { objects, attributes } = matched;
  const size = Math.min(Math.max(maxResults, 1), deps.aqlMaxResults);
  const page = objects.slice(startAt, startAt + size);
  const isLast = startAt + page.length >= objects.length;
  return json(200, {
    startAt,
    maxResults: size,
    total: objects.length,
    isLast,
    last: isLast,
    values: render.objects(page, includeAttributes),
    objectTypeAttributes: attributes.map((x) => render.attribute(x)),
  });
}

function objectBody(body: unknown): { objectTypeId: string | null; attributes: AttributeValueInput[] } | { error: string } {
  if (!isRecord(body)) return { error: 'the object body must be a JSON object' };
  const objectTypeId = body['objectTypeId'] === undefined ? null : String(body['objectTypeId']);
  const raw = body['attributes'];
  if (!Array.isArray(raw)) return { error: 'the object body needs an attributes array' };
  const attributes: AttributeValueInput[] = [];
  for (const item of raw) {
    if (!isRecord(item) || item['objectTypeAttributeId'] === undefined || !Array.isArray(item['objectAttributeValues'])) {
      return { error: 'each attribute needs objectTypeAttributeId and objectAttributeValues' };
    }
    const values: string[] = [];
    for (const v of item['objectAttributeValues']) {
      if (!isRecord(v) || typeof v['value'] !== 'string') return { error: 'each objectAttributeValue needs a string value' };
      values.push(v['value']);
    }
    attributes.push({ objectTypeAttributeId: String(item['objectTypeAttributeId']), values });
  }
  return { objectTypeId, attributes };
}
