/**
 * Finds the Entra ID users that hold an email address, for the single-user sync (src/services/single-user-sync.ts):
 * one $filter read per key the matching rules use (src/domain/email-match.ts: mail, userPrincipalName,
 * proxyAddresses, otherMails). Only ids come back: the caller reads the users by id (getUsersByIds) with the
 * run's $select and manager, and decides the match with the app's own rules.
 *
 * Sources (Microsoft, "Use the $filter query parameter", https://learn.microsoft.com/graph/filter-query-parameter:
 * `any` on a collection of strings, e.g. `imAddresses/any(i:i eq 'admin@contoso.com')`; the user resource page,
 * https://learn.microsoft.com/graph/api/resources/user#properties: mail, userPrincipalName, proxyAddresses and
 * otherMails support `$filter (eq ...)`). "Advanced query capabilities", https://learn.microsoft.com/graph/aad-advanced-queries:
 * some filters work only with `ConsistencyLevel: eventual` and `$count=true`; whether the lambdas on proxyAddresses and
 * otherMails are among them is told both ways (docs/clients/graph.md), so those two reads always send both (they
 * work either way). `eq` values are at most 120 characters; longer addresses are not looked up.
 */
import { z } from 'zod';

import { normaliseEmail } from '../../domain/email-match';
import { readJson } from '../http';
import { graphFailure } from './graph-errors';
import { createGraphCall, type GraphClientDeps } from './graph-transport';

/** Graph's limit on an `eq` value (docs/clients/graph.md). */
export const GRAPH_EQ_MAX_LENGTH = 120;
/** Ids read per key: one person should hold an address; a few more show that it is ambiguous. */
export const LOOKUP_TOP = 10;

const idsPageSchema = z.object({ value: z.array(z.object({ id: z.string().min(1) }).passthrough()) }).passthrough();

/** An OData string literal: quotes doubled, the whole URL-encoded by the caller. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export interface EmailLookupQuery {
  readonly key: 'mail' | 'userPrincipalName' | 'proxyAddresses' | 'otherMails';
  readonly filter: string;
  readonly advanced: boolean;
}

/** The reads for an address (normalised as the matching rules compare it). Empty when it cannot be looked up. */
export function emailLookupQueries(email: string): EmailLookupQuery[] {
  const address = normaliseEmail(email);
  if (address === null || address.length + 'smtp:'.length > GRAPH_EQ_MAX_LENGTH) return [];
  return [
    { key: 'mail', filter: `mail eq ${literal(address)}`, advanced: false },
    { key: 'userPrincipalName', filter: `userPrincipalName eq ${literal(address)}`, advanced: false },
    { key: 'proxyAddresses', filter: `proxyAddresses/any(p:p eq ${literal(`smtp:${address}`)})`, advanced: true },
    { key: 'otherMails', filter: `otherMails/any(o:o eq ${literal(address)})`, advanced: true },
  ];
}

export interface GraphUserLookup {
  /** Ids of the users holding the address under any of the four keys, each once, in key order. */
  findUserIdsByEmail(email: string): Promise<string[]>;
}

export function createGraphUserLookup(deps: GraphClientDeps): GraphUserLookup {
  const call = createGraphCall(deps);
  const graph = deps.endpoints.graph;
  return {
    async findUserIdsByEmail(email) {
      const ids: string[] = [];
      for (const query of emailLookupQueries(email)) {
        const operation = `findUsersBy_${query.key}`;
        const params = `$filter=${encodeURIComponent(query.filter)}&$select=id&$top=${LOOKUP_TOP}${query.advanced ? '&$count=true' : ''}`;
        const result = await call(operation, {
          method: 'GET',
          url: `${graph}/v1.0/users?${params}`,
          ...(query.advanced ? { headers: { ConsistencyLevel: 'eventual' } } : {}),
        });
        if (!result.ok) throw graphFailure(result.failure, operation);
        const page = await readJson(result.response, idsPageSchema, 'Microsoft Graph (find users by email)', result.context);
        for (const user of page.value) if (!ids.some((id) => id.toLowerCase() === user.id.toLowerCase())) ids.push(user.id);
      }
      return ids;
    },
  };
}
