/**
 * The parts of manifest.yml the emulator runs from: which file and export each function is, its time limit, which
 * function consumes each queue, the scheduled triggers, the admin page's resolver, the scopes and the egress hosts.
 * The emulator reads the real manifest, so a handler renamed or a scope dropped there fails here as on Forge.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';
import { z } from 'zod';

/** Forge's limits: resolvers 25 s; consumers and triggers 55 s unless timeoutSeconds says otherwise (max 900). */
export const RESOLVER_TIMEOUT_SECONDS = 25;
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 55;

const functionSchema = z.object({
  key: z.string(),
  handler: z.string().regex(/^[\w./-]+\.\w+$/),
  timeoutSeconds: z.number().int().min(1).max(900).optional(),
});
const manifestSchema = z.object({
  modules: z.object({
    'jira:adminPage': z.array(z.object({ key: z.string(), resolver: z.object({ function: z.string() }).optional() })).default([]),
    consumer: z.array(z.object({ key: z.string(), queue: z.string(), function: z.string() })).default([]),
    scheduledTrigger: z.array(z.object({ key: z.string(), function: z.string(), interval: z.string() })).default([]),
    action: z.array(z.object({ key: z.string(), function: z.string() })).default([]),
    'automation:actionProvider': z.array(z.object({ key: z.string(), actions: z.array(z.string()) })).default([]),
    'rovo:agent': z.array(z.object({ key: z.string(), actions: z.array(z.string()).default([]) })).default([]),
    function: z.array(functionSchema),
  }),
  app: z.object({ id: z.string() }),
  permissions: z
    .object({
      scopes: z.array(z.string()).default([]),
      external: z
        .object({ fetch: z.object({ backend: z.array(z.union([z.string(), z.object({ address: z.string() })])).default([]) }).optional() })
        .optional(),
    })
    .default({ scopes: [] }),
});

export interface ManifestFunction {
  readonly key: string;
  /** Absolute path of the module without extension, e.g. /repo/src/functions/resolver */
  readonly modulePath: string;
  readonly exportName: string;
  readonly timeoutSeconds: number;
}

export interface Manifest {
  readonly appId: string;
  readonly functions: ReadonlyMap<string, ManifestFunction>;
  /** queue key -> consumer module key and function */
  readonly consumers: ReadonlyMap<string, { readonly moduleKey: string; readonly functionKey: string }>;
  readonly triggers: ReadonlyMap<string, { readonly functionKey: string; readonly interval: string }>;
  readonly adminPage: { readonly moduleKey: string; readonly resolverFunction: string } | null;
  /**
   * action module key -> its function and who offers it: an `automation:actionProvider` (Jira Automation) or a
   * `rovo:agent` (issue 15). An action listed by neither cannot be invoked.
   */
  readonly actions: ReadonlyMap<
    string,
    { readonly functionKey: string; readonly surface: 'automation' | 'rovo'; readonly providerKey: string }
  >;
  readonly scopes: ReadonlySet<string>;
  /** Declared egress addresses, e.g. https://graph.microsoft.com or https://*.example.com */
  readonly egress: readonly string[];
}

export function loadManifest(projectRoot: string): Manifest {
  const raw: unknown = parse(readFileSync(join(projectRoot, 'manifest.yml'), 'utf8'));
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`manifest.yml is not a manifest the sandbox understands: ${parsed.error.message}`);
  const m = parsed.data;

  const consumerFunctions = new Set(m.modules.consumer.map((c) => c.function));
  const triggerFunctions = new Set(m.modules.scheduledTrigger.map((t) => t.function));
  const functions = new Map<string, ManifestFunction>();
  for (const f of m.modules.function) {
    const dot = f.handler.lastIndexOf('.');
    const asyncOnly = consumerFunctions.has(f.key) || triggerFunctions.has(f.key);
    functions.set(f.key, {
      key: f.key,
      modulePath: join(projectRoot, 'src', f.handler.slice(0, dot)),
      exportName: f.handler.slice(dot + 1),
      timeoutSeconds: asyncOnly ? (f.timeoutSeconds ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS) : RESOLVER_TIMEOUT_SECONDS,
    });
  }
  const requireFunction = (key: string, by: string) => {
    if (!functions.has(key)) throw new Error(`manifest.yml: ${by} names function '${key}', which is not declared`);
    return key;
  };

  const page = m.modules['jira:adminPage'][0];
  return {
    appId: m.app.id,
    functions,
    consumers: new Map(
      m.modules.consumer.map((c) => [c.queue, { moduleKey: c.key, functionKey: requireFunction(c.function, `consumer ${c.key}`) }]),
    ),
    triggers: new Map(
      m.modules.scheduledTrigger.map((t) => [
        t.key,
        { functionKey: requireFunction(t.function, `scheduledTrigger ${t.key}`), interval: t.interval },
      ]),
    ),
    adminPage: page?.resolver
      ? { moduleKey: page.key, resolverFunction: requireFunction(page.resolver.function, `adminPage ${page.key}`) }
      : null,
    actions: new Map(
      m.modules.action.flatMap((a) => {
        const functionKey = requireFunction(a.function, `action ${a.key}`);
        const automation = m.modules['automation:actionProvider'].find((p) => p.actions.includes(a.key));
        const rovo = m.modules['rovo:agent'].find((agent) => agent.actions.includes(a.key));
        const offered = automation
          ? { surface: 'automation' as const, providerKey: automation.key }
          : rovo
            ? { surface: 'rovo' as const, providerKey: rovo.key }
            : null;
        return offered === null ? [] : [[a.key, { functionKey, ...offered }] as const];
      }),
    ),
    scopes: new Set(m.permissions.scopes),
    egress: (m.permissions.external?.fetch?.backend ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.address)),
  };
}
