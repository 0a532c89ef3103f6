/**
 * `demo` (what `npm start` runs): the whole product on the built-in world, through the app's own resolvers and
 * queues: connect to the simulated tenant, create the schema, preview (counts and a few rows per category), sync,
 * and sync again to show that nothing is left to do. It always starts from a fresh world in its state directory.
 */
import { SIMULATED_TENANT } from '../fakes/simulation';
import { ResolverError } from './app-client';
import { type CommandContext, createSchemaToEnd, failWith, runToEnd } from './cli-commands';
import { describeReportExamples, describeRun, describeSchema, parseReport } from './cli-text';

export async function demoCommand(ctx: CommandContext): Promise<number> {
  const { client, output, emulator } = ctx;
  const users = emulator.simulation?.world.entra.users.length ?? 0;
  output.line(`Entra ID to Assets Sync: local sandbox demo`);
  output.line(`A simulated Entra tenant (${users} users, with the quirks of real directories) and a simulated Jira site with Assets.`);
  output.line('The app runs its real code on an emulated Forge runtime: real manifest, real handlers, unmodified @forge SDKs.');
  output.line();

  let schema: { created: string[]; repaired: string[] };
  try {
    await client.saveSettings({
      tenantId: SIMULATED_TENANT.tenantId,
      clientId: SIMULATED_TENANT.clientId,
      clientSecret: SIMULATED_TENANT.clientSecret,
      cloud: 'global',
      intervalDays: 1,
    });
    const connection = await client.testConnection();
    output.line(`1. Connected to Microsoft Graph as the app registration: it can read ${connection.userCount} users.`);
    schema = await createSchemaToEnd(ctx);
    output.line('2. Create Schema');
    for (const line of describeSchema(schema)) output.line(`   ${line}`);
  } catch (error) {
    if (error instanceof ResolverError) return failWith(ctx, error, 'The demo could not set up: ');
    throw error;
  }

  output.line();
  output.line('3. Preview (nothing is written to Assets)');
  const preview = await runToEnd(ctx, 'preview', client.startPreview);
  if (preview.summary.status !== 'succeeded') return finish(ctx, schema, [preview]);
  for (const line of describeRun(preview.summary, preview.run)) output.line(`   ${line}`);
  const report = parseReport(await client.getReport(preview.summary.runId).catch(() => null));
  if (report !== null) for (const line of describeReportExamples(report)) output.line(`   ${line}`);

  output.line();
  output.line('4. Sync');
  const sync = await runToEnd(ctx, 'sync', client.startSync);
  if (sync.summary.status !== 'succeeded') return finish(ctx, schema, [preview, sync]);
  for (const line of describeRun(sync.summary, sync.run)) output.line(`   ${line}`);

  output.line();
  output.line('5. Sync again (incremental: only what changed in Entra since the last sync)');
  const again = await runToEnd(ctx, 'sync', client.startSync);
  if (again.summary.status !== 'succeeded') return finish(ctx, schema, [preview, sync, again]);
  for (const line of describeRun(again.summary, again.run)) output.line(`   ${line}`);
  const c = again.summary.counts;
  if (c.creates + c.updates + c.inactivations === 0) output.line('   Nothing to do: Assets already matches Entra ID.');

  output.line();
  output.line(`Done. The sandbox state is in ${emulator.stateDir}; try: npm run --silent sandbox -- status`);
  return finish(ctx, schema, [preview, sync, again]);
}

type Step = Awaited<ReturnType<typeof runToEnd>>;

function finish(ctx: CommandContext, schema: { created: string[]; repaired: string[] }, steps: Step[]): number {
  const [preview, sync, resync] = steps.map((step) => step.summary);
  ctx.output.result({ schema, preview, sync, resync });
  const bad = steps.find((step) => step.summary.status !== 'succeeded');
  if (bad === undefined) return 0;
  for (const line of describeRun(bad.summary, bad.run)) ctx.output.line(`   ${line}`);
  const error = bad.summary.error;
  ctx.output.error(
    `The demo stopped: its ${bad.summary.mode} ${bad.run === null ? 'could not start' : `ended ${bad.summary.status}`}${error ? `: ${error.message} [${error.code}]` : '.'}`,
  );
  return 1;
}
