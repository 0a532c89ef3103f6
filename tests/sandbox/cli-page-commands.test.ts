/**
 * The command line matches the admin page (issue 14): `settings`, `run RUN_ID`, `confirm RUN_ID`, `cancel RUN_ID`,
 * `serve`, and `--help` on the CLI and every command; unknown commands and flags exit 2 with the usage line and
 * change nothing. Everything through the real CLI process on a state directory, as a user runs it.
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import { COMMANDS, parseArgs } from '../../sandbox/cli-args';
import { commandHelp } from '../../sandbox/cli-help';
import { servesAfterDemo } from '../../sandbox/cli-page-commands';
import type { Emulator } from '../../sandbox/emulator';
import { changeWorld, jsonOf, runCli, SIMULATED_CREDENTIALS, startCli, stateDirsRemovedAfterAll } from './cli-harness';

jest.setTimeout(180_000);

const stateDir = stateDirsRemovedAfterAll();

/** Soft-deletes `count` Entra users who have an active Employee object: the next sync would inactivate them. */
function leave(count: number) {
  return (em: Emulator) => {
    const active = new Set(
      em
        .simulation!.jira.employees()
        .filter((e) => e.values.active === true)
        .map((e) => e.values.entraUserId),
    );
    const leavers = em.simulation!.world.entra.users.filter((u) => u.accountEnabled && active.has(u.id)).slice(0, count);
    for (const u of leavers) em.simulation!.entra.softDeleteUser(u.id);
  };
}

const credentials = [...SIMULATED_CREDENTIALS];

describe('help and usage errors', () => {
  it('prints the general help and the help of a command, exit 0, without touching a state directory', async () => {
    const general = await runCli(['--help']);
    expect(general.code).toBe(0);
    for (const command of COMMANDS) expect(general.stdout).toMatch(new RegExp(`^  ${command}( RUN_ID)? `, 'm'));
    expect(general.stdout).toContain('2 usage error');

    const missing = join(stateDir('help'), 'not-created');
    const confirm = await runCli(['confirm', '--help', '--state-dir', missing]);
    expect(confirm.code).toBe(0);
    expect(confirm.stdout.split('\n')[0]).toBe('Usage: npm run --silent sandbox -- confirm RUN_ID [options]');
    expect(confirm.stdout).toContain('confirmRun');
    const serve = await runCli(['serve', '-h']);
    expect(serve.code).toBe(0);
    expect(serve.stdout).toContain('--port N');
    expect(existsSync(missing)).toBe(false);
  });

  it('has help for every command, naming its arguments', () => {
    for (const command of COMMANDS) {
      expect(parseArgs([command, '--help']).help).toBe(true);
      const text = commandHelp(command);
      expect(text.startsWith(`Usage: npm run --silent sandbox -- ${command}`)).toBe(true);
      expect(text).toContain('--state-dir DIR');
    }
    expect(commandHelp('run')).toContain('run RUN_ID');
  });

  it.each([
    [['bogus'], 'Unknown command "bogus".'],
    [['confirm', '20260101000000-abc', '--bogus'], 'Unknown option "--bogus".'],
    [['run'], 'run needs the run ID'],
    [['status', 'extra'], 'Unexpected argument "extra".'],
    [['status', '--port', '9000'], '--port is an option of serve and demo only.'],
    [['serve', '--port', '70000'], '--port must be a whole number from 1 to 65535.'],
    [['cancel', '../../etc'], 'RUN_ID must be a run ID'],
  ])('%j is a usage error: exit 2, the usage line, nothing created', async (args, message) => {
    const dir = join(stateDir('usage'), 'state');
    const result = await runCli([...args, '--state-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: npm run --silent sandbox -- <command> [RUN_ID] [options]');
    expect(result.stdout).toBe('');
    expect(existsSync(dir)).toBe(false);
  });

  it('serves the page after the demo only for a person at a terminal', () => {
    expect(servesAfterDemo({ json: false }, true, {})).toBe(true);
    expect(servesAfterDemo({ json: false, once: true }, true, {})).toBe(false);
    expect(servesAfterDemo({ json: false }, false, {})).toBe(false);
    expect(servesAfterDemo({ json: true }, true, {})).toBe(false);
    expect(servesAfterDemo({ json: false }, true, { CI: 'true' })).toBe(false);
  });
});

describe('settings, run, confirm and cancel', () => {
  it('shows the Setup tab without the secret, a run with its report, and confirms and cancels runs waiting for confirmation', async () => {
    const dir = stateDir('decide');
    const base = ['--state-dir', dir, '--users', '40', '--seed', '12'];

    const empty = await runCli(['settings', '--json', ...base]);
    expect(empty.code).toBe(0);
    expect(jsonOf(empty)).toMatchObject({ settings: null, schema: { state: 'missing' } });

    expect((await runCli(['configure', ...credentials, ...base])).code).toBe(0);
    expect((await runCli(['schema', ...base])).code).toBe(0);
    const settings = await runCli(['settings', '--json', ...base]);
    expect(jsonOf(settings)).toMatchObject({
      settings: { tenantId: SIMULATED_TENANT.tenantId, clientId: SIMULATED_TENANT.clientId, secretStored: true },
      schema: { state: 'ready' },
    });
    const settingsText = await runCli(['settings', ...base]);
    expect(settingsText.stdout).toContain('Client secret: stored');
    for (const out of [settings.stdout, settingsText.stdout]) expect(out).not.toContain(SIMULATED_TENANT.clientSecret);

    expect(jsonOf(await runCli(['sync', '--json', ...base]))).toMatchObject({ status: 'succeeded' });
    await changeWorld(dir, leave(12));
    const waiting = jsonOf(await runCli(['sync', '--json', ...base]));
    expect(waiting).toMatchObject({ status: 'awaiting-confirmation', counts: { inactivations: 12 } });
    const runId = String(waiting.runId);

    const details = await runCli(['run', runId, '--json', ...base]);
    expect(details.code).toBe(0);
    expect(jsonOf(details)).toMatchObject({
      run: { runId, status: 'awaiting-confirmation', safety: { inactivations: 12 } },
      report: { counts: { inactivations: 12 } },
    });
    const detailsText = await runCli(['run', runId, ...base]);
    expect(detailsText.stdout).toContain('To inactivate (12):');

    const confirmed = await runCli(['confirm', runId, '--json', ...base]);
    expect(confirmed.code).toBe(0);
    expect(jsonOf(confirmed)).toMatchObject({ runId, status: 'succeeded', counts: { inactivations: 12 } });
    const again = await runCli(['confirm', runId, '--json', ...base]);
    expect(again.code).toBe(1);
    expect(jsonOf(again)).toMatchObject({ error: { code: 'RUN_INVALID_STATE' } });

    await changeWorld(dir, leave(12));
    const second = jsonOf(await runCli(['sync', '--json', ...base]));
    expect(second).toMatchObject({ status: 'awaiting-confirmation' });
    const cancelled = await runCli(['cancel', String(second.runId), '--json', ...base]);
    expect(cancelled.code).toBe(0);
    expect(jsonOf(cancelled)).toMatchObject({ runId: second.runId, status: 'cancelled' });
    const history = jsonOf(await runCli(['history', '--json', ...base])) as { runs: { runId: string; status: string }[] };
    expect(history.runs.find((r) => r.runId === second.runId)?.status).toBe('cancelled');

    const unknown = await runCli(['run', '20200101000000-000000000000', '--json', ...base]);
    expect(unknown.code).toBe(1);
    expect(jsonOf(unknown)).toMatchObject({ error: { code: 'RUN_NOT_FOUND' } });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const port = (probe.address() as { port: number }).port;
      probe.close(() => resolve(port));
    });
  });
}

function http(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, type: String(res.headers['content-type'] ?? '') }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('serve', () => {
  it('serves the page and its bundle, answers invoke with the resolvers, delivers queued events in the background, and stops on SIGINT', async () => {
    const dir = stateDir('serve');
    expect((await runCli(['configure', ...credentials, '--state-dir', dir, '--users', '30', '--seed', '3'])).code).toBe(0);
    expect((await runCli(['schema', '--state-dir', dir])).code).toBe(0);
    const port = await freePort();
    const { child, done } = startCli(['serve', '--port', String(port), '--state-dir', dir]);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    try {
      const started = Date.now();
      while (!stdout.includes('Press Ctrl-C') && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 100));
      const url = `http://127.0.0.1:${port}/`;
      expect(stdout).toContain(`The admin page is at ${url}`);

      const page = await http('GET', url);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<script type="module" src="/host.js"></script>');
      expect(page.text.indexOf('/host.js')).toBeLessThan(page.text.indexOf('/app.js'));
      const app = await http('GET', `${url}app.js`);
      expect(app.status).toBe(200);
      expect(app.type).toContain('javascript');

      const settings = JSON.parse((await http('POST', `${url}api/invoke`, { functionKey: 'getSettings' })).text) as {
        ok: boolean;
        value: { ok: boolean; data: Record<string, unknown> };
      };
      expect(settings).toMatchObject({ ok: true, value: { ok: true, data: { tenantId: SIMULATED_TENANT.tenantId, secretStored: true } } });
      expect(JSON.stringify(settings)).not.toContain(SIMULATED_TENANT.clientSecret);

      const foreign = await http('POST', `${url}api/invoke`, { functionKey: 'startSync' }, { origin: 'http://example.com' });
      expect(foreign.status).toBe(403);

      // A preview started from the page finishes while nobody but the page polls: the server delivers its events.
      const preview = JSON.parse(
        (await http('POST', `${url}api/invoke`, { functionKey: 'startPreview' }, { origin: url.slice(0, -1) })).text,
      ) as { value: { data: { runId: string } } };
      const runId = preview.value.data.runId;
      let status = '';
      const polling = Date.now();
      while (status !== 'succeeded' && Date.now() - polling < 60_000) {
        const run = JSON.parse((await http('POST', `${url}api/invoke`, { functionKey: 'getRun', payload: { runId } })).text) as {
          value: { data: { status: string } };
        };
        status = run.value.data.status;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe('succeeded');
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
    }
    // Ctrl-C at a terminal signals the whole process group, as here: tsx then exits 130 (128 + SIGINT) after the
    // sandbox itself stopped cleanly (its lock on the state directory released).
    const result = await done;
    expect([0, 130]).toContain(result.code);
    expect(result.stderr).toContain('Stopping the admin page');
    expect(existsSync(join(dir, 'sandbox.lock'))).toBe(false);
  });
});
