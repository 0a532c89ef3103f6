/**
 * The sandbox command line: `<command> [options]`, exactly the commands and options of the sandbox contract
 * (docs/sandbox.md). A mistake in the command line is a usage error (exit 2) with one clear line.
 */

export const COMMANDS = [
  'demo',
  'serve',
  'schema',
  'configure',
  'test-connection',
  'preview',
  'sync',
  'scheduled-tick',
  'status',
  'history',
  'settings',
  'run',
  'confirm',
  'cancel',
  'diagnostics',
  'sync-user',
  'action',
] as const;
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
  /** configure --scope EXPR: the sync scope's text form (docs/sandbox.md); '' clears it. */
  readonly scope?: string;
  /** configure --attributes KEYS: comma-separated catalogue keys (docs/sandbox.md); '' chooses none. */
  readonly attributes?: string;
  /** configure --groups off|all|ids:<id>,<id>|prefix:<text> (docs/sandbox.md). */
  readonly groups?: string;
  /** configure --group-membership direct|transitive. */
  readonly groupMembership?: string;
  /** configure --write-back CAP,CAP and its limits (docs/sandbox.md "Write-back"); each absent keeps the stored value. */
  readonly writeBack?: WriteBackArgs;
  readonly now?: number;
  readonly json: boolean;
  readonly users?: number;
  readonly seed?: number;
  /** --fetch-limit-counts-jira: requestJira counts towards Forge's per-invocation outbound request limit. */
  readonly fetchLimitCountsJira?: boolean;
  /** sync-user: exactly one of --account-id, --email, --entra-id (docs/sandbox.md). */
  readonly syncUser?: { readonly accountId: string } | { readonly email: string } | { readonly entraId: string };
  /** --as: the Atlassian accountId the page calls come from. */
  readonly as?: string;
  /** action KEY --input JSON [--automation-principal none|actor] [--rovo-as-user refused|allowed] (docs/sandbox.md). */
  readonly action?: ActionArgs;
  /** The RUN_ID argument of run, confirm and cancel. */
  readonly runId?: string;
  /** --port N: the admin page's port (serve, demo). */
  readonly port?: number;
  /** --once: demo exits after the demo instead of serving the admin page. */
  readonly once?: boolean;
}

/** The write-back options of configure, as given (checked by configure: unknown names exit 2). */
export interface WriteBackArgs {
  /** --write-back: comma-separated capabilities; '' switches all off. */
  readonly capabilities?: string;
  /** --write-back-attributes: comma-separated attributes "Update Entra user" may write; '' none. */
  readonly attributes?: string;
  /** --write-back-groups: comma-separated group object ids the group actions may change; '' none. */
  readonly groups?: string;
  /** --write-back-guests on|off. */
  readonly guests?: boolean;
  /** --write-back-exceptions: comma-separated Entra object ids of privileged users that may still be targeted. */
  readonly exceptions?: string;
  /** --write-back-rate N: write actions per minute per site. */
  readonly rate?: number;
}

export interface ActionArgs {
  /** The action module's key (manifest.yml); the command refuses a key no provider or agent offers. */
  readonly key: string;
  /** --input: a JSON object, the action's inputs. */
  readonly input: Readonly<Record<string, unknown>>;
  /** The emulator's readings of R1 and R2 (sandbox/emulator.ts); their less friendly defaults when not given. */
  readonly automationPrincipal?: 'none' | 'actor';
  readonly rovoAsUser?: 'refused' | 'allowed';
}

export interface ParsedArgs {
  readonly command: Command;
  readonly options: CliOptions;
  /** `--help` / `-h` was given: print the help of the command (or the general help) and do nothing else. */
  readonly help?: boolean;
}

/** Commands that take the run ID as their one argument. */
export const RUN_ID_COMMANDS: readonly Command[] = ['run', 'confirm', 'cancel'];
/** Options only some commands read; given to another command they are a usage error. */
const COMMAND_ONLY_OPTIONS: Readonly<Record<string, readonly Command[]>> = {
  '--port': ['serve', 'demo'],
  '--once': ['demo'],
  '--scope': ['configure'],
  '--attributes': ['configure'],
  '--groups': ['configure'],
  '--group-membership': ['configure'],
  '--write-back': ['configure'],
  '--write-back-attributes': ['configure'],
  '--write-back-groups': ['configure'],
  '--write-back-guests': ['configure'],
  '--write-back-exceptions': ['configure'],
  '--write-back-rate': ['configure'],
  '--account-id': ['sync-user'],
  '--email': ['sync-user'],
  '--entra-id': ['sync-user'],
  '--input': ['action'],
  '--automation-principal': ['action'],
  '--rovo-as-user': ['action'],
};
const HELP_FLAGS = ['--help', '-h'];

export class UsageError extends Error {}

export const DEFAULT_STATE_DIR = '.sandbox';

const VALUE_OPTIONS = [
  '--state-dir',
  '--graph-url',
  '--login-url',
  '--jira-url',
  '--tenant-id',
  '--client-id',
  '--client-secret',
  '--interval-days',
  '--scope',
  '--attributes',
  '--groups',
  '--group-membership',
  '--write-back',
  '--write-back-attributes',
  '--write-back-groups',
  '--write-back-guests',
  '--write-back-exceptions',
  '--write-back-rate',
  '--now',
  '--users',
  '--seed',
  '--as',
  '--port',
  '--account-id',
  '--email',
  '--entra-id',
  '--input',
  '--automation-principal',
  '--rovo-as-user',
] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

export const USAGE = `Usage: npm run --silent sandbox -- <command> [RUN_ID] [options]   (--help for help)
Commands: ${COMMANDS.join(', ')}
Options: --state-dir DIR  --graph-url URL  --login-url URL  --jira-url URL  --tenant-id ID  --client-id ID
         --client-secret VALUE  --interval-days N  --scope EXPR (configure)  --attributes KEYS (configure)
         --groups off|all|ids:ID,ID|prefix:TEXT (configure)  --group-membership direct|transitive (configure)
         --write-back CAP,CAP  --write-back-attributes KEYS  --write-back-groups ID,ID  --write-back-guests on|off
         --write-back-exceptions ID,ID  --write-back-rate N (configure)  --now ISO8601  --json  --users N  --seed S  --fetch-limit-counts-jira  --as ACCOUNT_ID
         --account-id ID | --email ADDRESS | --entra-id ID (sync-user)
         action KEY --input JSON [--automation-principal none|actor] [--rovo-as-user refused|allowed] (action)
         --port N (serve, demo)  --once (demo)  --help`;

/** `--help` (or `-h`) before any command, or no command but --help: the general help. */
export function wantsGeneralHelp(argv: readonly string[]): boolean {
  const first = argv[0];
  return first !== undefined && HELP_FLAGS.includes(first);
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('No command given.');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`Unknown command "${command}".`);
  if (rest.some((arg) => HELP_FLAGS.includes(arg)))
    return { command: command as Command, options: { stateDir: DEFAULT_STATE_DIR, json: false }, help: true };
  const values = new Map<ValueOption, string>();
  let json = false;
  let fetchLimitCountsJira = false;
  let once = false;
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--json') {
      json = true;
      continue;
    }
    if (arg === '--fetch-limit-counts-jira') {
      fetchLimitCountsJira = true;
      continue;
    }
    if (!arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const only = COMMAND_ONLY_OPTIONS[eq > 0 ? arg.slice(0, eq) : arg];
    if (only !== undefined && !only.includes(command as Command))
      throw new UsageError(`${eq > 0 ? arg.slice(0, eq) : arg} is an option of ${only.join(' and ')} only.`);
    if (arg === '--once') {
      once = true;
      continue;
    }
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
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
      throw new UsageError(`${name} must be a whole number from ${min} to ${max}.`);
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

  const as = values.get('--as');
  // Atlassian accountIds: at most 128 characters of letters, digits, ':' and '-' (e.g. 712020:5a7e1b3c-...).
  if (as !== undefined && !/^[A-Za-z0-9:-]{1,128}$/.test(as))
    throw new UsageError(`--as must be an Atlassian account ID such as 712020:5a7e1b3c-0d4f-4e2a-9b8c-5ad0b0c0ffee, got "${as}".`);

  const who = (['--account-id', '--email', '--entra-id'] as const).filter((name) => values.get(name) !== undefined);
  if (command === 'sync-user' && who.length !== 1)
    throw new UsageError('sync-user needs exactly one of --account-id ID, --email ADDRESS or --entra-id ID.');
  const whoName = who[0];
  const whoValue = whoName === undefined ? undefined : (values.get(whoName) ?? '');
  const syncUser =
    whoValue === undefined
      ? undefined
      : whoName === '--account-id'
        ? { accountId: whoValue }
        : whoName === '--email'
          ? { email: whoValue }
          : { entraId: whoValue };
  const action = command === 'action' ? actionArgs(positional, values) : undefined;
  const writeBack = writeBackArgs(values);
  if (action !== undefined) positional.length = 0;
  const takesRunId = RUN_ID_COMMANDS.includes(command as Command);
  if (takesRunId && positional.length === 0)
    throw new UsageError(`${command} needs the run ID: ${command} RUN_ID (see the history command).`);
  if (positional.length > (takesRunId ? 1 : 0)) throw new UsageError(`Unexpected argument "${positional[takesRunId ? 1 : 0]}".`);
  const runId = positional[0];
  // Run IDs are a timestamp and letters and digits (run-control.ts); anything else cannot name a run.
  if (runId !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(runId))
    throw new UsageError(`RUN_ID must be a run ID such as 20260302060000-3f2b1c4d5e6f (see the history command), got "${runId}".`);

  const options: CliOptions = {
    stateDir: values.get('--state-dir') ?? DEFAULT_STATE_DIR,
    json,
    ...(fetchLimitCountsJira ? { fetchLimitCountsJira: true } : {}),
    ...defined('graphUrl', url('--graph-url')),
    ...defined('loginUrl', url('--login-url')),
    ...defined('jiraUrl', url('--jira-url')),
    ...defined('tenantId', values.get('--tenant-id')),
    ...defined('clientId', values.get('--client-id')),
    ...defined('clientSecret', values.get('--client-secret')),
    ...defined('intervalDays', values.get('--interval-days')),
    ...defined('scope', values.get('--scope')),
    ...defined('attributes', values.get('--attributes')),
    ...defined('groups', values.get('--groups')),
    ...defined('groupMembership', values.get('--group-membership')),
    ...defined('writeBack', writeBack),
    ...defined('now', now),
    ...defined('users', integer('--users', 10, 100_000)),
    ...defined('seed', integer('--seed', 0, 2 ** 31 - 1)),
    ...defined('as', as),
    ...defined('syncUser', syncUser),
    ...defined('action', action),
    ...defined('runId', runId),
    ...defined('port', integer('--port', 1, 65_535)),
    ...(once ? { once: true } : {}),
  };
  return { command: command as Command, options };
}

/** The write-back options given to configure (undefined when none); --write-back-guests and --write-back-rate checked here. */
function writeBackArgs(values: ReadonlyMap<ValueOption, string>): WriteBackArgs | undefined {
  const guests = values.get('--write-back-guests');
  if (guests !== undefined && guests !== 'on' && guests !== 'off')
    throw new UsageError(`--write-back-guests must be on or off, got "${guests}".`);
  const rate = values.get('--write-back-rate');
  if (rate !== undefined && !/^\d{1,6}$/.test(rate)) throw new UsageError(`--write-back-rate must be a whole number, got "${rate}".`);
  const args: WriteBackArgs = {
    ...defined('capabilities', values.get('--write-back')),
    ...defined('attributes', values.get('--write-back-attributes')),
    ...defined('groups', values.get('--write-back-groups')),
    ...defined('guests', guests === undefined ? undefined : guests === 'on'),
    ...defined('exceptions', values.get('--write-back-exceptions')),
    ...defined('rate', rate === undefined ? undefined : Number(rate)),
  };
  return Object.keys(args).length === 0 ? undefined : args;
}

/** `action KEY --input JSON`: the key and the inputs (a JSON object), and the readings asked for. */
function actionArgs(positional: readonly string[], values: ReadonlyMap<ValueOption, string>): ActionArgs {
  const [key, extra] = positional;
  if (key === undefined) throw new UsageError("action needs the action's key: action KEY --input 'JSON'.");
  if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}".`);
  // Forge module keys: letters, digits, '-' and '_' (manifest.yml).
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(key)) throw new UsageError(`KEY must be an action module key such as look-up-employee, got "${key}".`);
  const text = values.get('--input');
  if (text === undefined) throw new UsageError("action needs --input 'JSON' (the action's inputs as a JSON object, e.g. '{}').");
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    throw new UsageError(`--input must be a JSON object such as '{"accountId":"557058:..."}', and is not JSON.`);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new UsageError(`--input must be a JSON object such as '{"accountId":"557058:..."}'.`);
  const choice = <T extends string>(name: ValueOption, allowed: readonly T[]): T | undefined => {
    const value = values.get(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${name} must be ${allowed.join(' or ')}, got "${value}".`);
    return value as T;
  };
  return {
    key,
    input: input as Record<string, unknown>,
    ...defined('automationPrincipal', choice('--automation-principal', ['none', 'actor'] as const)),
    ...defined('rovoAsUser', choice('--rovo-as-user', ['refused', 'allowed'] as const)),
  };
}

function defined<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
