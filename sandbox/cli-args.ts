/**
 * The sandbox command line: `<command> [options]`, exactly the commands and options of the sandbox contract
 * (docs/sandbox.md). A mistake in the command line is a usage error (exit 2) with one clear line.
 */

export const COMMANDS = ['demo', 'schema', 'configure', 'test-connection', 'preview', 'sync', 'scheduled-tick', 'status', 'history'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  readonly stateDir: string;
  readonly graphUrl?: string;
  readonly loginUrl?: string;
  readonly jiraUrl?: string;
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly intervalDays?: string;
  readonly now?: number;
  readonly json: boolean;
  readonly users?: number;
  readonly seed?: number;
}

export interface ParsedArgs {
  readonly command: Command;
  readonly options: CliOptions;
}

export class UsageError extends Error {}

export const DEFAULT_STATE_DIR = '.sandbox';

const VALUE_OPTIONS = ['--state-dir', '--graph-url', '--login-url', '--jira-url', '--tenant-id', '--client-id', '--client-secret', '--interval-days', '--now', '--users', '--seed'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

export const USAGE = `Usage: npm run --silent sandbox -- <command> [options]
Commands: ${COMMANDS.join(', ')}
Options: --state-dir DIR  --graph-url URL  --login-url URL  --jira-url URL  --tenant-id ID  --client-id ID
         --client-secret VALUE  --interval-days N  --now ISO8601  --json  --users N  --seed S`;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('No command given.');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`Unknown command "${command}".`);
  const values = new Map<ValueOption, string>();
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--json') {
      json = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!(VALUE_OPTIONS as readonly string[]).includes(name)) throw new UsageError(`Unknown option "${name}".`);
    const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value.`);
    values.set(name as ValueOption, value);
  }

  const url = (name: ValueOption) => {
    const value = values.get(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
    } catch {
      throw new UsageError(`${name} must be an http(s) URL, got "${value}".`);
    }
    return value.replace(/\/+$/, '');
  };
  const integer = (name: ValueOption, min: number, max: number) => {
    const value = values.get(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}.`);
    return Number(value);
  };
  const nowText = values.get('--now');
  let now: number | undefined;
  if (nowText !== undefined) {
    now = Date.parse(nowText);
    if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(nowText) || Number.isNaN(now)) {
      throw new UsageError(`--now must be an ISO 8601 date and time such as 2026-03-02T06:00:00Z, got "${nowText}".`);
    }
  }

  const options: CliOptions = {
    stateDir: values.get('--state-dir') ?? DEFAULT_STATE_DIR,
    json,
    ...defined('graphUrl', url('--graph-url')),
    ...defined('loginUrl', url('--login-url')),
    ...defined('jiraUrl', url('--jira-url')),
    ...defined('tenantId', values.get('--tenant-id')),
    ...defined('clientId', values.get('--client-id')),
    ...defined('clientSecret', values.get('--client-secret')),
    ...defined('intervalDays', values.get('--interval-days')),
    ...defined('now', now),
    ...defined('users', integer('--users', 10, 100_000)),
    ...defined('seed', integer('--seed', 0, 2 ** 31 - 1)),
  };
  return { command: command as Command, options };
}

function defined<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
