/**
 * `action KEY --input 'JSON' [--as ACCOUNT_ID] [--automation-principal none|actor] [--rovo-as-user refused|allowed]
 * [--json]`: invokes an action module's function through the emulator's action() (sandbox/emulator.ts), with the
 * payload Forge sends to a Jira Automation action or a Rovo agent's action, against the sandbox's state. Prints the
 * answer; with --json the function's answer as is (docs/sandbox.md). Exit 0: the action answered ok (an Automation
 * action's outputs, a Rovo action's {ok: true}); 1: it answered an error ({errors} / {ok: false}) or the sandbox
 * failed; 2: usage (cli-args.ts, or a KEY no automation:actionProvider or rovo:agent offers).
 */
import { resolve } from 'node:path';

import type { CommandContext } from './cli-commands';
import { loadManifest } from './manifest';

const PROJECT_ROOT = resolve(__dirname, '..');

export async function actionCommand(ctx: CommandContext): Promise<number> {
  const args = ctx.options.action;
  if (args === undefined) return 2; // cli-args.ts refuses action without KEY and --input
  const actions = loadManifest(PROJECT_ROOT).actions;
  const offered = actions.get(args.key);
  if (offered === undefined) {
    ctx.output.error(
      `Unknown action "${args.key}": manifest.yml offers ${[...actions.keys()].join(', ')} (through an automation:actionProvider or a rovo:agent).`,
    );
    return 2;
  }
  const answer = await ctx.emulator.action(args.key, args.input);
  ctx.output.result(answer);
  const record = typeof answer === 'object' && answer !== null && !Array.isArray(answer) ? (answer as Record<string, unknown>) : {};
  const errors = Array.isArray(record['errors']) ? (record['errors'] as unknown[]) : null;
  const failed = offered.surface === 'automation' ? errors !== null : record['ok'] !== true;
  if (failed) {
    const messages =
      offered.surface === 'automation'
        ? (errors ?? []).map((e) => String((e as { message?: unknown } | null)?.message ?? e))
        : [describeRovoError(record['error'])];
    for (const message of messages) ctx.output.error(`The action answered an error: ${message}`);
    return 1;
  }
  ctx.output.line(`${args.key} (${offered.surface === 'automation' ? 'Jira Automation' : 'Rovo'}) answered:`);
  const shown = offered.surface === 'automation' ? record : (record['data'] ?? null);
  ctx.output.line(JSON.stringify(shown, null, 2));
  return 0;
}

function describeRovoError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'no answer';
  const { code, message } = error as { code?: unknown; message?: unknown };
  return `${String(message)} [${String(code)}]`;
}
