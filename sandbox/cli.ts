/**
 * `npm start` / `npm run --silent sandbox -- <command> [options]`: the app's real code on the emulated Forge runtime
 * (sandbox/emulator.ts), against the built-in simulated tenant and site or the servers given by --graph-url,
 * --login-url and --jira-url. The contract (commands, options, JSON shapes, exit codes) is in docs/sandbox.md.
 * Exit codes: 0 done as asked (a run awaiting confirmation and a skipped tick included), 1 failed, 2 usage error.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { SIMULATED_TENANT } from '../fakes/simulation';
import { actionCommand } from './cli-action';
import { parseArgs, type ParsedArgs, USAGE, UsageError, wantsGeneralHelp } from './cli-args';
import {
  type CommandContext,
  commandContext,
  configureCommand,
  diagnosticsCommand,
  historyCommand,
  resumePending,
  runCommand,
  schemaCommand,
  statusCommand,
  testConnectionCommand,
} from './cli-commands';
import { demoCommand } from './cli-demo';
import { commandHelp, generalHelp } from './cli-help';
import { Output } from './cli-output';
import { decideRunCommand, runDetailsCommand, serveCommand, servesAfterDemo, settingsCommand } from './cli-page-commands';
import { scheduledTickCommand } from './cli-schedule';
import { syncUserCommand } from './cli-sync-user';
import { type Emulator, startEmulator } from './emulator';
import { isAlive } from './state-lock';

/** What a state directory may hold: anything else means it is not the sandbox's, and demo will not wipe it. */
const STATE_ENTRIES = new Set(['clock.json', 'world.json', 'kvs', 'queues', 'logs', 'sandbox.lock']);

async function main(argv: readonly string[]): Promise<number> {
  if (wantsGeneralHelp(argv)) {
    process.stdout.write(`${generalHelp()}\n`);
    return 0;
  }
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  const { command, options } = args;
  if (args.help === true) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return 0;
  }
  const output = new Output({
    json: options.json,
    stdout: process.stdout,
    stderr: process.stderr,
    secrets: [options.clientSecret ?? '', SIMULATED_TENANT.clientSecret],
  });

  let emulator: Emulator | undefined;
  try {
    if (command === 'demo') freshStateDir(options.stateDir);
    emulator = await startEmulator({
      stateDir: options.stateDir,
      ...(options.graphUrl === undefined ? {} : { graphUrl: options.graphUrl }),
      ...(options.loginUrl === undefined ? {} : { loginUrl: options.loginUrl }),
      ...(options.jiraUrl === undefined ? {} : { jiraUrl: options.jiraUrl }),
      ...(options.users === undefined ? {} : { users: options.users }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.fetchLimitCountsJira === true ? { fetchLimit: { countsJira: true } } : {}),
      ...(options.as === undefined ? {} : { callerAccountId: options.as }),
      ...(options.action?.automationPrincipal === undefined ? {} : { automationPrincipal: options.action.automationPrincipal }),
      ...(options.action?.rovoAsUser === undefined ? {} : { rovoAsUser: options.action.rovoAsUser }),
      notice: (message) => output.notice(message),
    });
    const ctx = commandContext(emulator, output, options);
    if (command !== 'demo') await resumePending(ctx);
    return await dispatch(command, ctx);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.error(`The sandbox failed: ${message}`);
    if (process.env['SANDBOX_DEBUG'] && error instanceof Error && error.stack) process.stderr.write(`${output.redact(error.stack)}\n`);
    return 1;
  } finally {
    await emulator?.close();
  }
}

function dispatch(command: ParsedArgs['command'], ctx: CommandContext): Promise<number> {
  switch (command) {
    case 'demo':
      return demoCommand(ctx).then((code) =>
        code === 0 && servesAfterDemo(ctx.options, process.stdout.isTTY === true, process.env)
          ? serveCommand(ctx, { afterDemo: true })
          : code,
      );
    case 'serve':
      return serveCommand(ctx);
    case 'settings':
      return settingsCommand(ctx);
    case 'run':
      return runDetailsCommand(ctx);
    case 'confirm':
      return decideRunCommand(ctx, 'confirm');
    case 'cancel':
      return decideRunCommand(ctx, 'cancel');
    case 'schema':
      return schemaCommand(ctx);
    case 'configure':
      return configureCommand(ctx);
    case 'test-connection':
      return testConnectionCommand(ctx);
    case 'preview':
      return runCommand(ctx, 'preview');
    case 'sync':
      return runCommand(ctx, 'sync');
    case 'scheduled-tick':
      return scheduledTickCommand(ctx);
    case 'status':
      return statusCommand(ctx);
    case 'history':
      return historyCommand(ctx);
    case 'diagnostics':
      return diagnosticsCommand(ctx);
    case 'sync-user':
      return syncUserCommand(ctx);
    case 'action':
      return actionCommand(ctx);
  }
}

/** The demo starts from nothing: it clears a previous sandbox state, and refuses a directory that is not one. */
function freshStateDir(stateDir: string): void {
  const dir = resolve(stateDir);
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  const foreign = entries.filter((name) => !STATE_ENTRIES.has(name) && !name.endsWith('.tmp'));
  if (foreign.length > 0)
    throw new Error(`${dir} is not a sandbox state directory (it holds ${foreign.slice(0, 3).join(', ')}); choose another --state-dir.`);
  const lock = join(dir, 'sandbox.lock');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new Error(`Another sandbox (pid ${pid}) is using ${dir}.`);
  }
  for (const name of entries) rmSync(join(dir, name), { recursive: true, force: true });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`The sandbox failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
