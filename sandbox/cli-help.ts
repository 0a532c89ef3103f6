/**
 * `--help` for the sandbox CLI and each of its commands (docs/sandbox.md has the same text). Printed on stdout with
 * exit 0; nothing is started and the state directory is not touched.
 */
import { type Command, COMMANDS, USAGE } from './cli-args';

interface CommandHelp {
  /** What follows the command name on the usage line (its arguments and its own options). */
  readonly synopsis: string;
  /** One line for the command list of the general help. */
  readonly short: string;
  readonly summary: string;
  /** Options only this command reads, one line each. */
  readonly options?: readonly string[];
}

export const COMMAND_HELP: Readonly<Record<Command, CommandHelp>> = {
  demo: {
    short: 'the whole product on a fresh built-in world, then the admin page',
    synopsis: '[--once] [--port N]',
    summary:
      'Built-in world from scratch: configure, Create Schema, Preview, Sync, Sync again; then serve the admin page until Ctrl-C. It exits after the demo with --once, when stdout is not a terminal, with --json, or when CI=true.',
    options: [
      '--once      exit after the demo instead of serving the admin page',
      '--port N    port for the admin page (default 8787; a free port is used if it is taken)',
    ],
  },
  serve: {
    short: 'the admin page in a browser, for the state directory',
    synopsis: '[--port N]',
    summary:
      "Serve the admin page for the state directory at http://127.0.0.1:PORT/ until Ctrl-C: the app's real UI drawn with the Atlassian Design System, its calls answered by the real resolvers, queued events delivered in the background.",
    options: ['--port N    port to listen on (default 8787; when it is taken a free port is used, unless --port was given)'],
  },
  schema: {
    short: 'create or repair the ENTRA schema',
    synopsis: '',
    summary: 'Create or repair the Entra Directory (ENTRA) schema in Assets (createSchema).',
  },
  configure: {
    short: 'store the Microsoft connection settings',
    synopsis:
      "[--tenant-id ID] [--client-id ID] [--client-secret VALUE] [--interval-days N] [--scope 'EXPR'] [--attributes KEYS] [--groups off|all|ids:ID,ID|prefix:TEXT] [--group-membership direct|transitive] [--write-back CAP,CAP] [--write-back-attributes KEYS] [--write-back-groups ID,ID] [--write-back-guests on|off] [--write-back-exceptions ID,ID] [--write-back-rate N]",
    summary:
      'Store the Microsoft connection settings (saveSettings); omitted fields keep their stored values. The secret goes to the Forge secret store.',
    options: [
      "--scope 'EXPR'   the sync scope, e.g. \"userType eq 'Member' and department in ('Sales','Legal')\" (docs/sandbox.md); '' clears it; an invalid EXPR exits 2 and stores nothing",
      "--attributes KEYS   optional attributes to sync, comma-separated catalogue keys (e.g. employeeId,officeLocation,hireDate; docs/sandbox.md lists them); '' chooses none; an unknown or repeated key exits 2 and stores nothing",
      '--groups SELECTION  group sync: off (default), all, ids:<group object id>,<id> (each must exist in Entra ID), prefix:<name prefix>; needs the Graph application permission GroupMember.Read.All; a bad selection exits 2 and stores nothing',
      '--group-membership M  direct (default): an Employee lists the synced groups it is a direct member of; transitive: nested groups flattened',
      "--write-back CAP,CAP  write-back capabilities switched on: accountStatus, revokeSessions, updateAttributes, groupMembership; '' switches all off; an unknown name exits 2 and stores nothing",
      "--write-back-attributes KEYS  what Update Entra user may write: jobTitle, department, officeLocation, businessPhone, mobilePhone, employeeId, manager; '' none",
      "--write-back-groups ID,ID  the Entra group object ids the group actions may change; '' none",
      '--write-back-guests on|off  whether guests may be targeted (default off)',
      "--write-back-exceptions ID,ID  Entra object ids of administrators that may still be targeted; '' none",
      '--write-back-rate N  write actions per minute per site, 1 to 30 (default 10)',
    ],
  },
  'test-connection': {
    short: 'test the Microsoft Graph connection',
    synopsis: '',
    summary: 'Verify the Microsoft Graph connection with the stored settings (testConnection).',
  },
  preview: {
    short: 'run a preview to the end',
    synopsis: '',
    summary: 'Start a preview and deliver the queued events until the run ends.',
  },
  sync: {
    short: 'run a manual sync to the end (or to confirmation)',
    synopsis: '',
    summary: 'Start a manual sync and deliver the queued events until the run ends or waits for confirmation.',
  },
  'scheduled-tick': {
    short: 'fire the daily scheduled trigger once',
    synopsis: '[--now ISO8601]',
    summary: 'Set the clock, fire the daily scheduled trigger once, and run whatever it started to the end.',
  },
  status: { short: 'the run in progress and the last runs', synopsis: '', summary: "What the Overview tab's status shows (getStatus)." },
  history: { short: 'the run history', synopsis: '', summary: 'The run history, newest first (getHistory).' },
  'sync-user': {
    short: 'sync one user now (read, decide, write that one Employee object)',
    synopsis: '--account-id ID | --email ADDRESS | --entra-id ID',
    summary:
      "The Sync tab's Sync one user (syncUser): each step with its result, then what was written. Exit 0 when written or nothing to write, 1 when a step failed or a run holds the lock.",
  },
  action: {
    short: 'invoke an Automation or Rovo action with the payload Forge sends',
    synopsis: "KEY --input 'JSON' [--as ACCOUNT_ID] [--automation-principal none|actor] [--rovo-as-user refused|allowed]",
    summary:
      "Invokes the action module KEY (look-up-employee, get-approvers, sync-user-now, directory-*) as Forge does (the emulator's action()). Exit 0 when the action answered ok, 1 when it answered an error, 2 for an unknown KEY or --input that is not a JSON object.",
  },
  diagnostics: {
    short: 'read-only checks of the site and tenant, with a support report',
    synopsis: '',
    summary:
      "What the Setup tab's Diagnostics shows (runDiagnostics): each check pass, fail or unknown with what to do, then the report for a support ticket. Exit 1 when a check failed.",
  },
  settings: {
    short: 'what the Setup tab shows (never the secret)',
    synopsis: '',
    summary:
      'What the Setup tab shows: the stored Microsoft connection settings (never the secret, only whether one is stored and when it was set) and the schema status.',
  },
  run: {
    short: "one run's details and report",
    synopsis: 'RUN_ID',
    summary: "One run's details, as the History tab's run details show them: the run and its report (getRun, getReport).",
  },
  confirm: {
    short: 'confirm a sync waiting for confirmation',
    synopsis: 'RUN_ID',
    summary:
      'Confirm a sync that waits for confirmation (it would inactivate more than the safety threshold allows), then deliver its events until it ends (confirmRun).',
  },
  cancel: {
    short: 'cancel a run',
    synopsis: 'RUN_ID',
    summary: 'Cancel a run that is queued, running or waiting for confirmation, then deliver its events until it stops (cancelRun).',
  },
};

/** `--help` with no command, or before the command. */
export function generalHelp(): string {
  const name = (c: Command) => (COMMAND_HELP[c].synopsis.startsWith('RUN_ID') ? `${c} RUN_ID` : c);
  const width = Math.max(...COMMANDS.map((c) => name(c).length));
  const lines = COMMANDS.map((c) => `  ${name(c).padEnd(width)}  ${COMMAND_HELP[c].short}`);
  return [
    'Entra ID to Assets Sync: the local sandbox (the app on an emulated Forge runtime).',
    '',
    USAGE,
    '',
    'Commands:',
    ...lines,
    '',
    'Help on one command: npm run --silent sandbox -- <command> --help',
    'Exit status: 0 done as asked, 1 failed or refused by the app, 2 usage error. The contract: docs/sandbox.md.',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const help = COMMAND_HELP[command];
  return [
    `Usage: npm run --silent sandbox -- ${command}${help.synopsis === '' ? '' : ` ${help.synopsis}`} [options]`,
    '',
    help.summary,
    ...(help.options === undefined ? [] : ['', 'Options of this command:', ...help.options.map((o) => `  ${o}`)]),
    '',
    'Options of every command (see docs/sandbox.md):',
    ...USAGE.split('\n')
      .filter((line) => !line.startsWith('Usage:') && !line.startsWith('Commands:'))
      .map((line) => line.replace(/^Options:/, '        ')),
  ].join('\n');
}
