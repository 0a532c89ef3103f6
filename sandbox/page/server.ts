/**
 * The admin page on a local URL (node:http, 127.0.0.1 only): serves the page's HTML and its esbuild bundle,
 * forwards the page's bridge `invoke` calls to the app's real resolvers on the emulator as the signed-in account,
 * and delivers queue events in the background as Forge would, so a run progresses while the page polls.
 *
 * Routes:
 *   GET  /                      the page (frame + app), HTML
 *   GET  /<file>.js|.css        the bundle (sandbox/page/bundle.ts)
 *   POST /api/invoke            {functionKey, payload} -> {ok: true, value} (what @forge/bridge invoke returns to
 *                               the page) or {ok: false, message} (the invocation failed; invoke rejects)
 *   GET  /api/users?accountId=  {accountId, displayName} of an account on the built-in site (the User component)
 *   GET  /api/health            {ok: true, pendingEvents}
 *
 * The client secret never reaches the page from here: the resolvers do not return it, and the server sends
 * nothing else from the state directory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { z } from 'zod';

import type { Emulator } from '../emulator';
import { bundlePage, type PageBundle } from './bundle';

/** Forge accepts at most 500 KB from the page per invoke; the server reads a little more and lets the emulator say no. */
const MAX_BODY_BYTES = 600 * 1024;
/** Pause between background delivery rounds when no event is due. */
const IDLE_POLL_MS = 100;

export const DEFAULT_PAGE_PORT = 8787;

export interface PageServerOptions {
  readonly emulator: Emulator;
  /** The Atlassian account the page is signed in as (default: the sandbox's Jira administrator). */
  readonly accountId?: string;
  /** Port to listen on. `port` is tried first; when it is taken and `strictPort` is false, a free port is used. */
  readonly port?: number;
  readonly strictPort?: boolean;
  /** Where the server says what it did (a port change, delivery trouble). */
  readonly notice?: (message: string) => void;
  /** A bundle built earlier (tests reuse one); built now when absent. */
  readonly bundle?: PageBundle;
}

export interface PageServer {
  readonly url: string;
  readonly port: number;
  /** True when the requested port was taken and another one was chosen. */
  readonly portChanged: boolean;
  readonly bundle: PageBundle;
  /** Stops serving and waits for the background delivery to stop; does not close the emulator. */
  close(): Promise<void>;
}

const invokeRequestSchema = z.object({ functionKey: z.string().min(1).max(200), payload: z.unknown().optional() });

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside <script type="application/json">: "<" escaped so the text can never close the tag. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function pageHtml(bundle: PageBundle, config: { accountId: string; accountName: string }): string {
  const links = bundle.stylesheets.map((href) => `    <link rel="stylesheet" href="${href}">`).join('\n');
  return `<!doctype html>
<html lang="en" data-color-mode="light">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Entra ID Sync - Apps - Jira settings (sandbox)</title>
${links}
    <style>html, body { margin: 0; } body { font-family: var(--ds-font-family-body, ui-sans-serif, -apple-system, "Segoe UI", Ubuntu, system-ui, sans-serif); }</style>
  </head>
  <body>
    <div id="root"></div>
    <script type="application/json" id="page-config">${scriptJson(config)}</script>
    <script type="module" src="/host.js"></script>
    <script type="module" src="/app.js"></script>
    <noscript>${escapeHtml('The admin page needs JavaScript.')}</noscript>
  </body>
</html>
`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'The request is larger than Forge accepts from the page.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  response.writeHead(status, {
    'content-type': contentType,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  response.end(body);
}

const sendJson = (response: ServerResponse, status: number, value: unknown) =>
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));

/** The display name of an account on the built-in site (the sandbox's admin has a fixed one). */
function displayNameOf(emulator: Emulator, accountId: string): string | null {
  if (accountId === emulator.adminAccountId) return 'Sandbox Admin';
  const user = emulator.simulation?.world.jira.users.find((u) => u.accountId === accountId);
  return user?.displayName ?? null;
}

/**
 * Delivers queued events whenever there are any, one invocation at a time (the emulator's invoker queues the
 * page's resolver calls between them), until stopped.
 */
function startBackgroundDelivery(emulator: Emulator, notice: (message: string) => void): () => Promise<void> {
  let stopping = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopping) {
      if (emulator.pendingEvents() > 0) {
        try {
          await emulator.drain({ until: async () => stopping });
        } catch (error) {
          notice(`Background delivery stopped for a moment: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, IDLE_POLL_MS);
      });
      wake = null;
    }
  })();
  return async () => {
    stopping = true;
    (wake as (() => void) | null)?.();
    await loop;
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const { emulator } = options;
  const notice = options.notice ?? (() => undefined);
  // The page calls as the emulator's caller (--as, else the site's admin) unless told otherwise.
  const accountId = options.accountId ?? (emulator as { callerAccountId?: string }).callerAccountId ?? emulator.adminAccountId;
  const bundle = options.bundle ?? (await bundlePage());
  const html = pageHtml(bundle, { accountId, accountName: displayNameOf(emulator, accountId) ?? accountId });
  let origins = new Set<string>();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html'))
      return send(response, 200, 'text/html; charset=utf-8', html);
    if (request.method === 'GET' && url.pathname === '/favicon.ico') return send(response, 204, 'image/x-icon', '');
    if (request.method === 'GET' && url.pathname === '/api/health')
      return sendJson(response, 200, { ok: true, pendingEvents: emulator.pendingEvents() });
    if (request.method === 'GET' && url.pathname === '/api/users') {
      const id = url.searchParams.get('accountId') ?? '';
      const name = displayNameOf(emulator, id);
      return name === null ? sendJson(response, 404, { accountId: id }) : sendJson(response, 200, { accountId: id, displayName: name });
    }
    if (url.pathname === '/api/invoke') {
      if (request.method !== 'POST') throw new HttpError(405, 'POST only.');
      // Another site open in the same browser must not drive the sandbox: only this page's own origin may call.
      const from = request.headers.origin;
      if (from !== undefined && !origins.has(from)) throw new HttpError(403, 'Calls come only from the page itself.');
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) throw new HttpError(415, 'JSON only.');
      let parsed: z.infer<typeof invokeRequestSchema>;
      try {
        const body = invokeRequestSchema.safeParse(JSON.parse(await readBody(request)) as unknown);
        if (!body.success) throw new Error('shape');
        parsed = body.data;
      } catch (error) {
        if (error instanceof HttpError) throw error;
        throw new HttpError(400, 'The body must be {"functionKey": string, "payload"?: object}.');
      }
      try {
        const value = await emulator.invoke(
          parsed.functionKey,
          parsed.payload ?? {},
          options.accountId === undefined ? undefined : { accountId },
        );
        return sendJson(response, 200, { ok: true, value: value ?? null });
      } catch (error) {
        // What @forge/bridge invoke rejects with on a site when the invocation fails.
        return sendJson(response, 200, {
          ok: false,
          message: error instanceof Error ? error.message : 'There was an error invoking the function.',
        });
      }
    }
    const file = request.method === 'GET' ? bundle.files.get(url.pathname) : undefined;
    if (file !== undefined) return send(response, 200, file.contentType, file.body);
    throw new HttpError(404, 'Not found.');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : 'The sandbox page server failed.';
      if (!response.headersSent) sendJson(response, status, { error: message });
      else response.end();
    });
  });

  const wanted = options.port ?? DEFAULT_PAGE_PORT;
  let port: number;
  let portChanged = false;
  try {
    port = await listen(server, wanted);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' || options.strictPort === true) {
      throw new Error(
        code === 'EADDRINUSE'
          ? `Port ${wanted} on 127.0.0.1 is already in use; choose another with --port N.`
          : `The page server could not listen on port ${wanted}: ${String(code ?? error)}`,
      );
    }
    port = await listen(server, 0);
    portChanged = true;
    notice(`Port ${wanted} is in use; serving on port ${port} instead.`);
  }
  const origin = `http://127.0.0.1:${port}`;
  origins = new Set([origin, `http://localhost:${port}`]);
  const stopDelivery = startBackgroundDelivery(emulator, notice);

  return {
    url: `${origin}/`,
    port,
    portChanged,
    bundle,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await stopDelivery();
    },
  };
}
