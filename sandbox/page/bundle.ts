/**
 * Bundles the admin page for the browser with esbuild, in memory: two entry points, loaded in this order by the
 * page's HTML:
 *   - host.js: the Jira-like frame, the frontend bridge (`self.__bridge` / `globalThis.__bridge`) and the renderer
 *     that draws the UI Kit ForgeDoc tree with the Atlassian Design System components;
 *   - app.js: the app's real src/ui/index.tsx, with the unmodified @forge/react and @forge/bridge, exactly the
 *     resource manifest.yml declares for the admin page.
 * ES modules with code splitting (shared chunks such as React, and the design tokens' theme files loaded on demand);
 * CSS from the components' compiled styles goes to host.css / app.css.
 */
import { basename, resolve } from 'node:path';

import { build, type OutputFile } from 'esbuild';

const PROJECT_ROOT = resolve(__dirname, '../..');
export const HOST_ENTRY = resolve(__dirname, 'browser/host.tsx');
export const APP_ENTRY = resolve(PROJECT_ROOT, 'src/ui/index.tsx');

export interface BundleFile {
  readonly contentType: string;
  readonly body: Buffer;
}

export interface PageBundle {
  /** Files by URL path ("/host.js", "/chunk-XXXX.js", "/host.css"...). */
  readonly files: ReadonlyMap<string, BundleFile>;
  /** Stylesheets to link from the HTML, in order. */
  readonly stylesheets: readonly string[];
  readonly buildMs: number;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

function contentTypeOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return CONTENT_TYPES[dot < 0 ? '' : path.slice(dot)] ?? 'application/octet-stream';
}

/** `appEntry`: another module that calls ForgeReconciler.render (tests draw fixtures with it); default src/ui/index.tsx. */
export async function bundlePage(options: { appEntry?: string } = {}): Promise<PageBundle> {
  const started = performance.now();
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: { host: HOST_ENTRY, app: options.appEntry ?? APP_ENTRY },
    bundle: true,
    write: false,
    outdir: resolve(PROJECT_ROOT, '.page-bundle'),
    format: 'esm',
    splitting: true,
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    minify: true,
    sourcemap: false,
    logLevel: 'silent',
    // The production builds of React and the design system, as a deployed Forge app and Jira use.
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.svg': 'file', '.png': 'file', '.woff2': 'file' },
    chunkNames: 'chunk-[hash]',
    assetNames: 'asset-[hash]',
  });
  const files = new Map<string, BundleFile>();
  for (const file of result.outputFiles as OutputFile[]) {
    const name = `/${basename(file.path)}`;
    files.set(name, { contentType: contentTypeOf(name), body: Buffer.from(file.contents) });
  }
  for (const required of ['/host.js', '/app.js']) if (!files.has(required)) throw new Error(`The page bundle has no ${required}.`);
  // Every stylesheet (a chunk's CSS is not injected by the chunk itself), the entry points' own last.
  const entryCss = ['/host.css', '/app.css'];
  const stylesheets = [
    ...[...files.keys()].filter((name) => name.endsWith('.css') && !entryCss.includes(name)).sort(),
    ...entryCss.filter((name) => files.has(name)),
  ];
  return { files, stylesheets, buildMs: Math.round(performance.now() - started) };
}
