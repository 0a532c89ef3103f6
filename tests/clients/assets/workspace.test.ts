import { jiraFetchTo } from '../../../fakes/jira/fake-jira-fetch';
import type { FakeJiraSite } from '../../../fakes/jira/fake-jira-site';
import { createAssetsClient } from '../../../src/clients/assets/assets-client';
import { CORE_SCHEMA } from '../../../src/domain/attribute-catalogue';
import type { AppError } from '../../../src/domain/errors';
import { fakeClock, rejection, testPolicy } from '../jira/support';
import { assetsTestBed, memoryWorkspaceCache } from './assets-support';

describe('Assets workspace discovery', () => {
  let site: FakeJiraSite | undefined;
  afterEach(async () => {
    site?.expectNoUnexpected();
    await site?.close();
    site = undefined;
  });

  it('asks once, writes the id to the cache and keeps it in memory', async () => {
    const bed = await assetsTestBed();
    site = bed.site;
    const [first, second] = await Promise.all([bed.client.getWorkspaceId(), bed.client.getWorkspaceId()]);
    expect(first).toBe(bed.site.workspaceId);
    expect(second).toBe(first);
    expect(await bed.client.getWorkspaceId()).toBe(first);
    expect(bed.site.requestsTo('assets/workspace')).toHaveLength(1);
    expect(bed.cache.writes).toEqual([first]);
  });

  it('uses a cached id without asking Jira', async () => {
    const bed = await assetsTestBed();
    site = bed.site;
    const cache = memoryWorkspaceCache(bed.site.workspaceId);
    const client = createAssetsClient({ fetch: jiraFetchTo(bed.site.url), policy: testPolicy(fakeClock()), workspaceCache: cache });
    expect(await client.getWorkspaceId()).toBe(bed.site.workspaceId);
    expect(bed.site.requestsTo('assets/workspace')).toHaveLength(0);
    expect(cache.writes).toEqual([]);
  });

  it('ignores an unreadable cache entry and asks again', async () => {
    const bed = await assetsTestBed();
    site = bed.site;
    bed.cache.value = { workspaceId: 42 };
    expect(await bed.client.getWorkspaceId()).toBe(bed.site.workspaceId);
    expect(bed.cache.writes).toEqual([bed.site.workspaceId]);
  });

  it('says plainly when the site has no Assets', async () => {
    const bed = await assetsTestBed({ assetsEnabled: false });
    site = bed.site;
    const error = await rejection(bed.client.ensureSchema(CORE_SCHEMA));
    expect(error).toMatchObject({ code: 'ASSETS_NOT_AVAILABLE', retry: 'permanent' });
    expect((error as AppError).message).toContain('Jira Service Management Premium or Enterprise');
    expect(bed.cache.writes).toEqual([]);
  });

  it('names read:servicedesk-request when the workspace lookup is refused', async () => {
    const bed = await assetsTestBed();
    site = bed.site;
    bed.site.failNext({ path: '/assets/workspace', status: 403 });
    const error = await rejection(bed.client.getWorkspaceId());
    expect(error).toMatchObject({ code: 'ASSETS_UNAUTHORIZED' });
    expect((error as AppError).message).toContain('read:servicedesk-request');
  });

  it('names the cmdb scopes when Assets refuses the app', async () => {
    const bed = await assetsTestBed({ assetsAuth: 'unauthorized' });
    site = bed.site;
    const error = await rejection(bed.client.inspectSchema(CORE_SCHEMA));
    expect(error).toMatchObject({ code: 'ASSETS_UNAUTHORIZED', retry: 'permanent' });
    expect((error as AppError).message).toContain('read:cmdb-schema:jira');
    expect((error as AppError).message).toContain('write:cmdb-object:jira');
  });

  it('reads a malformed workspace answer as RESPONSE_MALFORMED', async () => {
    const bed = await assetsTestBed();
    site = bed.site;
    bed.site.failNext({ path: '/assets/workspace', status: 200, body: { values: [{ id: 'no-workspace-id' }] } });
    expect(await rejection(bed.client.getWorkspaceId())).toMatchObject({ code: 'RESPONSE_MALFORMED' });
  });
});
