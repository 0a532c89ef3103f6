/**
 * Reads manifest.yml the way the Forge CLI does (@forge/manifest's parser with the environment-variable and
 * string-resource interpolators), then zod-parses the few facts the extra checks need, so a manifest of an
 * unexpected shape fails loudly here instead of deep inside a check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ManifestParserBuilder, type ManifestSchema } from '@forge/manifest';
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.yml';

const egressEntrySchema = z.union([z.string(), z.object({ address: z.string() })]);

const moduleEntrySchema = z
  .object({
    key: z.string().optional(),
    resource: z.string().optional(),
    render: z.string().optional(),
  })
  .catchall(z.unknown());

export const manifestFactsSchema = z.object({
  modules: z
    .object({
      function: z.array(z.object({ key: z.string(), handler: z.string() })).optional(),
      consumer: z.array(z.object({ key: z.string(), queue: z.string() })).optional(),
    })
    .catchall(z.unknown())
    .optional(),
  resources: z.array(z.object({ key: z.string(), path: z.string() })).optional(),
  permissions: z
    .object({
      scopes: z.array(z.string()).optional(),
      external: z.object({ fetch: z.object({ backend: z.array(egressEntrySchema).optional() }).optional() }).optional(),
    })
    .optional(),
});

export type EgressEntry = z.infer<typeof egressEntrySchema>;

/** The manifest reduced to what the extra checks read. */
export interface ManifestFacts {
  readonly functions: readonly { readonly key: string; readonly handler: string }[];
  readonly consumers: readonly { readonly key: string; readonly queue: string }[];
  readonly scopes: readonly string[];
  readonly backendEgress: readonly EgressEntry[];
  /** Paths of resources rendered by UI Kit (`render: native`) modules. */
  readonly nativeResourcePaths: readonly string[];
}

export interface LoadedManifest {
  readonly text: string;
  /** As the Forge CLI hands it to @forge/lint. */
  readonly manifest: ManifestSchema;
  readonly facts: ManifestFacts;
}

export function loadManifest(root: string): LoadedManifest {
  const filePath = path.join(root, MANIFEST_FILE);
  const text = fs.readFileSync(filePath, 'utf8');
  const manifest = new ManifestParserBuilder().withInterpolators().build().parseManifest({ content: text, filePath });
  return { text, manifest, facts: manifestFacts(manifest) };
}

export function manifestFacts(manifest: unknown): ManifestFacts {
  const parsed = manifestFactsSchema.safeParse(manifest);
  if (!parsed.success) {
    throw new Error(`${MANIFEST_FILE} does not have the shape lint:forge expects: ${z.prettifyError(parsed.error)}`);
  }
  const { modules, resources, permissions } = parsed.data;
  const nativeResourceKeys = new Set<string>();
  for (const [type, entries] of Object.entries(modules ?? {})) {
    if (type === 'function' || type === 'consumer' || !Array.isArray(entries)) continue;
    for (const entry of entries) {
      const module = moduleEntrySchema.safeParse(entry);
      if (module.success && module.data.render === 'native' && module.data.resource !== undefined) {
        // A reference may name an entry point inside the resource: 'key/entry'.
        nativeResourceKeys.add(module.data.resource.split('/')[0] ?? module.data.resource);
      }
    }
  }
  return {
    functions: modules?.function ?? [],
    consumers: modules?.consumer ?? [],
    scopes: permissions?.scopes ?? [],
    backendEgress: permissions?.external?.fetch?.backend ?? [],
    nativeResourcePaths: (resources ?? []).filter((r) => nativeResourceKeys.has(r.key)).map((r) => r.path),
  };
}

/**
 * 1-based line of the first manifest entry `key: value` (or a plain list item `- value` when key is undefined);
 * 0 when there is none. Only to point a person at the line: the manifest itself was parsed by @forge/manifest.
 */
export function manifestLine(text: string, key: string | undefined, value: string): number {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const prefix = key === undefined ? '-\\s*' : `(?:-\\s*)?${key}:\\s*`;
  const pattern = new RegExp(`^\\s*${prefix}(['"]?)${escaped}\\1\\s*(?:#.*)?$`);
  return text.split(/\r?\n/).findIndex((line) => pattern.test(line)) + 1;
}
