/**
 * Checks that the fake site's answers fit Atlassian's OpenAPI response schemas, so the clients are tested against
 * realistic bodies. The specs are not part of the project: the test runs when they are present (SPECS_DIR, or the
 * shared folder next to the checkout) and says it skipped otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { APP_AUTHORIZATION, userAuthorization } from '../../../fakes/jira/fake-jira-fetch';
import { type FakeJiraSite, startFakeJiraSite } from '../../../fakes/jira/fake-jira-site';
import { type JsonSchema, validateAgainst } from './json-schema-subset';
import { jiraUser } from './support';

const candidates = [
  process.env['SPECS_DIR'],
  path.resolve(__dirname, '../../../../shared/specs'),
  path.resolve(__dirname, '../../../shared/specs'),
];
const specsDir = candidates.find((dir): dir is string => dir !== undefined && existsSync(path.join(dir, 'jira-platform.swagger-v3.json')));

function loadSpec(file: string): JsonSchema {
  return JSON.parse(readFileSync(path.join(specsDir ?? '', file), 'utf8')) as JsonSchema;
}

function responseSchema(spec: JsonSchema, apiPath: string): JsonSchema {
  const paths = spec['paths'] as Record<
    string,
    { get: { responses: Record<string, { content: Record<string, { schema: JsonSchema }> }> } }
  >;
  const schema = paths[apiPath]?.get.responses['200']?.content['application/json']?.schema;
  if (!schema) throw new Error(`no 200 response schema for ${apiPath}`);
  return schema;
}

if (!specsDir) {
  describe('fake Jira site vs the OpenAPI specs', () => {
    it('is skipped: no specs found (set SPECS_DIR to the folder holding jira-platform.swagger-v3.json)', () => {
      console.log(`spec-conformance skipped: looked in ${candidates.filter(Boolean).join(', ')}`);
    });
  });
} else {
  describe('fake Jira site vs the OpenAPI specs', () => {
    let site: FakeJiraSite;
    const platform = loadSpec('jira-platform.swagger-v3.json');
    const jsm = loadSpec('jira-service-management.swagger-v3.json');

    beforeAll(async () => {
      site = await startFakeJiraSite({
        users: [
          jiraUser({ accountId: 'visible' }),
          jiraUser({ accountId: 'hidden', emailHidden: true }),
          jiraUser({ accountId: 'app', accountType: 'app', email: null }),
          jiraUser({ accountId: 'customer', accountType: 'customer', active: false }),
        ],
      });
    });
    afterAll(async () => {
      site.expectNoUnexpected();
      await site.close();
    });

    async function get(url: string): Promise<unknown> {
      const response = await fetch(`${site.url}${url}`, { headers: { Authorization: APP_AUTHORIZATION } });
      expect(response.status).toBe(200);
      return response.json() as Promise<unknown>;
    }

    it('users/search answers a list of User objects', async () => {
      const body = await get('/rest/api/3/users/search?startAt=0&maxResults=1000');
      expect(Array.isArray(body) && body.length === 4).toBe(true);
      expect(validateAgainst(platform, responseSchema(platform, '/rest/api/3/users/search'), body)).toEqual([]);
    });

    it('user/email/bulk entries fit UnrestrictedUserEmail (one object, or each array item)', async () => {
      const schema = responseSchema(platform, '/rest/api/3/user/email/bulk');
      const list = await get('/rest/api/3/user/email/bulk?accountId=visible&accountId=hidden');
      expect(Array.isArray(list)).toBe(true);
      for (const entry of list as unknown[]) expect(validateAgainst(platform, schema, entry)).toEqual([]);

      const objectSite = await startFakeJiraSite({ users: [jiraUser({ accountId: 'one' })], emailBulkShape: 'object' });
      try {
        const response = await fetch(`${objectSite.url}/rest/api/3/user/email/bulk?accountId=one`, {
          headers: { Authorization: APP_AUTHORIZATION },
        });
        expect(validateAgainst(platform, schema, await response.json())).toEqual([]);
      } finally {
        await objectSite.close();
      }
    });

    it('assets/workspace fits PagedDTOAssetsWorkspaceDTO', async () => {
      const body = await get('/rest/servicedeskapi/assets/workspace');
      expect(validateAgainst(jsm, responseSchema(jsm, '/rest/servicedeskapi/assets/workspace'), body)).toEqual([]);
    });

    it('mypermissions fits Permissions, as a user and as the app', async () => {
      const schema = responseSchema(platform, '/rest/api/3/mypermissions');
      const asApp = await get('/rest/api/3/mypermissions?permissions=ADMINISTER');
      expect(validateAgainst(platform, schema, asApp)).toEqual([]);
      const response = await fetch(`${site.url}/rest/api/3/mypermissions?permissions=ADMINISTER`, {
        headers: { Authorization: userAuthorization('visible') },
      });
      expect(validateAgainst(platform, schema, await response.json())).toEqual([]);
    });

    it('the validator is not vacuous: it rejects a field the spec forbids', () => {
      const schema = responseSchema(platform, '/rest/api/3/users/search');
      expect(validateAgainst(platform, schema, [{ accountId: 'x', active: 'yes', surprise: 1 }])).toEqual([
        '$[0].active: expected boolean, got string',
        '$[0]: property surprise is not allowed',
      ]);
    });
  });
}
