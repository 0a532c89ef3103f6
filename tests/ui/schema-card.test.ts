/**
 * Setup step 1 on the sandbox: when another Assets schema already holds the key ENTRA the page names it and says
 * what to do (and offers no button that would fail); when someone deleted an attribute by hand the page lists the
 * repair before doing it, then repairs exactly that. Create Schema is a queued job: the card shows its steps as
 * they complete (polling getSchemaJob), then the result.
 */
import type { AdminPage } from '../../sandbox/ui/headless';
import { type SandboxPages, startSandboxPages } from './support/sandbox-page';

async function openSetup(sandbox: SandboxPages): Promise<AdminPage> {
  const page = sandbox.open();
  await page.waitForText('Overview');
  await page.selectTab('Setup');
  return page;
}

describe('the schema card on the sandbox', () => {
  let sandbox: SandboxPages | null = null;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });

  it('names the schema that already uses the key ENTRA and what to do, with Create Schema disabled', async () => {
    sandbox = await startSandboxPages({
      users: 10,
      seed: 2,
      simulation: { jira: { preexistingSchemas: [{ name: 'HR Directory', key: 'ENTRA' }] } },
    });
    const page = await openSetup(sandbox);
    await page.waitForText('Another schema is in the way');
    expect(page.text()).toContain('The Assets schema "HR Directory" already uses the key ENTRA that this app needs.');
    expect(page.text()).toContain('Fix the problem above in Assets, then check again.');
    expect(page.button('Create Schema').disabled).toBe(true);
    expect(page.button('Check again').disabled).toBe(false);

    await page.selectTab('Overview');
    await page.waitForText('Assets schema "Entra Directory" (ENTRA) Conflict');
    expect(page.text()).toContain('"HR Directory"');
  });

  it('lists the repair of a deleted attribute, then repairs it', async () => {
    sandbox = await startSandboxPages({ users: 10, seed: 2 });
    await sandbox.emulator.invoke('createSchema');
    await sandbox.emulator.drain();
    sandbox.emulator.simulation!.jira.deleteAttribute('Employee', 'Job Title');
    const page = await openSetup(sandbox);
    await page.waitForText('Schema needs repair');
    expect(page.text()).toContain('It will create or repair: attribute "Job Title"');
    await page.click('Repair Schema');
    await page.waitForText('Creating the schema');
    await sandbox.drain();
    await page.waitForText('Schema created or repaired');
    expect(page.text()).toContain('Created: attribute "Job Title"');
    await page.waitForText('Nothing to do: the schema is complete.');
    await page.click('Check again');
    await page.idle();
    expect(page.button('Create Schema').disabled).toBe(true);
  });

  it('shows the steps of Create Schema as they complete, then what was created', async () => {
    // Each job invocation is cut off after a few Assets calls (120 s x 0.01, 150 ms a call), so the job needs several.
    // The latency, not CPU, sets the pace, so a loaded machine still makes progress in every invocation.
    sandbox = await startSandboxPages({ users: 10, seed: 2, timeFactor: 0.01, simulation: { jira: { latencyMs: 150 } } });
    const page = await openSetup(sandbox);
    await page.waitForText('Schema not created yet');
    await page.click('Create Schema');
    await page.waitForText('Creating the schema');
    expect(page.text()).toContain('Waiting to start...');
    expect(page.button('Create Schema').loading).toBe(true);

    // One delivery: the job records its first steps, then its invocation is stopped.
    let deliveries = 0;
    await page.idle();
    await sandbox.emulator.drain({ until: async () => deliveries++ >= 1 });
    await page.waitForText('Done so far', { timeoutMs: 15_000 });
    expect(page.text()).toContain('Find the Assets workspace');
    expect(page.text()).not.toContain('Schema created or repaired');

    await sandbox.drain();
    await page.waitForText('Schema created or repaired', { timeoutMs: 15_000 });
    expect(page.text()).toContain('Created: schema "Entra Directory" (key ENTRA)');
    await page.waitForText('Nothing to do: the schema is complete.');
  });
});
