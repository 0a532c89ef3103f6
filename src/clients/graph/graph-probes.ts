/**
 * Small read-only Graph questions the Setup tab and Diagnostics ask, over the same authenticated call as the sync
 * (graph-transport.ts): whether the tenant knows the directory extension properties chosen, and how many users of a
 * page carry an employeeHireDate. Counts and property names only: no user data leaves this module.
 */
import { z } from 'zod';

import { readJson } from '../http';
import { graphFailure } from './graph-errors';
import { createGraphCall, type GraphClientDeps } from './graph-transport';

/** One page of users for the Hire Date count (Graph's /users maximum page size). */
export const HIRE_DATE_SAMPLE_SIZE = 999;

const idsPageSchema = z.object({ value: z.array(z.looseObject({ id: z.string() })) });

export interface GraphProbes {
  /**
   * The properties Graph does not know on microsoft.graph.user, asking `GET /v1.0/users?$top=1&$select=id,<properties>`
   * (a 400 names one unknown property at a time: asked again without it, at most once per property). Other failures
   * (403, network, throttling) throw as for any read of users.
   */
  unknownUserProperties(properties: readonly string[]): Promise<string[]>;
  /** One page of users with `$select=id,employeeHireDate`: how many were read and how many carry a value. */
  countHireDates(): Promise<{ users: number; withValue: number }>;
}

export function createGraphProbes(deps: GraphClientDeps): GraphProbes {
  const call = createGraphCall(deps);
  const graph = deps.endpoints.graph;
  return {
    async unknownUserProperties(properties) {
      const operation = 'checkUserProperties';
      const unknown: string[] = [];
      let remaining = [...new Set(properties)];
      while (remaining.length > 0) {
        const result = await call(operation, {
          method: 'GET',
          url: `${graph}/v1.0/users?$top=1&$select=${['id', ...remaining].map(encodeURIComponent).join(',')}`,
        });
        if (result.ok) {
          await result.response.text().catch(() => undefined);
          return unknown;
        }
        const named = result.failure.unknownProperty ?? null;
        if (named === null || !remaining.includes(named)) throw graphFailure(result.failure, operation);
        unknown.push(named);
        remaining = remaining.filter((property) => property !== named);
      }
      return unknown;
    },

    async countHireDates() {
      const operation = 'countHireDates';
      const result = await call(operation, {
        method: 'GET',
        url: `${graph}/v1.0/users?$top=${HIRE_DATE_SAMPLE_SIZE}&$select=id,employeeHireDate`,
      });
      if (!result.ok) throw graphFailure(result.failure, operation);
      const page = await readJson(result.response, idsPageSchema, 'Microsoft Graph (list users)', result.context);
      const withValue = page.value.filter((user) => {
        const value = user['employeeHireDate'];
        return typeof value === 'string' && value !== '';
      }).length;
      return { users: page.value.length, withValue };
    },
  };
}
