/**
 * The live reads behind Diagnostics (src/services/diagnostics.ts), built from the same clients and transports the
 * sync uses, so a check that passes here passes for the pipeline too. Every probe is read-only; the only value kept
 * is the clock skew, beside the other platform observations.
 */
import { sampleDateValue } from '../clients/assets/date-probe';
import type { HttpResponse, JiraFetch } from '../clients/http';
import { createJiraUsersClient } from '../clients/jira/jira-users-client';
import { isGroupSyncOn } from '../domain/group-sync';
import { MICROSOFT_CLOUDS } from '../domain/microsoft-cloud';
import { objectTypeOf } from '../domain/schema-definition';
import { readLayout } from '../pipeline/layout-store';
import { deltaUntrackedKeys, readObservations, recordObservations } from '../pipeline/platform-observations';
import { askJira } from './admin-check';
import { type ConnectionDeps, createAssets, createMicrosoftClients } from './connections';
import type { DiagnosticsProbes } from './diagnostics';
import { readSchemaDefinition, readSettings } from './settings-service';

export interface DiagnosticsProbeDeps {
  readonly connectionDeps: ConnectionDeps;
  /** requestJira as the calling user. */
  readonly userJiraFetch: JiraFetch;
  /** The calling admin: the admin check asks as them, the email API is asked for their own address. */
  readonly accountId: string;
}

/** The catalogue key of Hire Date (employeeHireDate, a Date attribute). */
const HIRE_DATE_KEY = 'hireDate';

/** The response's Date header as epoch ms, or null when absent or unreadable. */
function serverDate(response: HttpResponse): number | null {
  const value = response.headers.get('date');
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function createDiagnosticsProbes(deps: DiagnosticsProbeDeps): DiagnosticsProbes {
  const { connectionDeps: c } = deps;
  const now = () => c.clock.now();
  const microsoft = async (): Promise<(ReturnType<typeof createMicrosoftClients> & { graphOrigin: string }) | null> => {
    const settings = await readSettings(c);
    if (settings === null) return null;
    return { ...createMicrosoftClients(c, settings, { priority: 'interactive' }), graphOrigin: MICROSOFT_CLOUDS[settings.cloud].graph };
  };

  return {
    now,
    observations: () => readObservations(c.store),
    inspectSchema: async () => {
      const inspection = await createAssets(c).inspectSchema(await readSchemaDefinition(c));
      return { workspaceFound: true, schemaExists: inspection.actual.schema !== null, diff: inspection.diff };
    },
    adminCheck: async () => ({ admin: await askJira({ userFetch: deps.userJiraFetch, store: c.store, now }) }),
    emailApi: async () => {
      const result = await createJiraUsersClient({ fetch: c.jiraFetch, policy: c.policy }).getEmails([deps.accountId]);
      // The address itself is dropped here: only whether the API answered matters.
      return result.unavailable === null ? { enabled: true } : { enabled: false, message: result.unavailable.message };
    },
    graphRoles: async () => {
      const clients = await microsoft();
      if (clients === null) return null;
      const roles = await clients.tokens.grantedRoles();
      const settings = await readSettings(c);
      return { roles: roles ?? [], groupSync: isGroupSyncOn(settings?.groups), writeBack: settings?.writeBack.capabilities ?? [] };
    },
    jiraClock: async () => {
      const response = await c.jiraFetch({
        method: 'GET',
        url: '/rest/servicedeskapi/assets/workspace',
        headers: { Accept: 'application/json' },
      });
      const localMs = now();
      await response.text().catch(() => undefined);
      return { serverMs: serverDate(response), localMs };
    },
    graphClock: async () => {
      const clients = await microsoft();
      if (clients === null) return null;
      const token = await clients.tokens.getToken();
      // One id, read only for the Date header; any status (even 403 without consent) carries it.
      const response = await c.externalFetch({
        method: 'GET',
        url: `${clients.graphOrigin}/v1.0/users?$top=1&$select=id`,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'client-request-id': c.newRequestId() },
      });
      const localMs = now();
      await response.text().catch(() => undefined);
      return { serverMs: serverDate(response), localMs };
    },
    chosenAttributes: async () => {
      const settings = await readSettings(c);
      if (settings === null) return null;
      const employee = objectTypeOf(await readSchemaDefinition(c), 'employee');
      return { deltaUntracked: deltaUntrackedKeys(employee).length, hireDate: settings.attributes.includes(HIRE_DATE_KEY) };
    },
    assetsHireDate: async () => {
      const layout = await readLayout(c.store);
      const employee = objectTypeOf(await readSchemaDefinition(c), 'employee');
      if (layout === null || layout.objectTypes.employee?.attributeIds[HIRE_DATE_KEY] === undefined) return { schemaReady: false };
      const sample = await sampleDateValue({ fetch: c.jiraFetch, policy: c.policy }, layout, employee, HIRE_DATE_KEY);
      return { schemaReady: true, ...sample };
    },
    graphHireDates: async () => {
      const clients = await microsoft();
      if (clients === null) return { users: 0, withValue: 0 };
      return clients.probes.countHireDates();
    },
    recordClockSkew: (skewMs) => recordObservations(c.store, { clockSkewMs: { ...skewMs, at: new Date(now()).toISOString() } }),
  };
}
