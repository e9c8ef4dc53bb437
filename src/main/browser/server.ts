/**
 * The browser shell: the built renderer plus a socket.io bridge to the
 * console core, on 127.0.0.1 only. The bridge requires the per-launch secret,
 * which reaches the page in the URL fragment so it never appears in a request
 * line or a server log; a cross-site page cannot connect (Origin is checked)
 * and could not guess the secret anyway.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import { Server } from 'socket.io';
import { API_EVENT_NAMES, type ApiResult } from '../../shared/api';
import { BRIDGE_CALL_EVENT, BRIDGE_PATH, BRIDGE_PUSH_EVENT, BRIDGE_SECRET_PARAM } from '../../shared/bridge';
import type { CoreEndpoint } from '../core';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

export interface BrowserShell {
  /** `http://127.0.0.1:PORT/#secret=…` — open this. */
  url: string;
  secret: string;
  close(): Promise<void>;
}

export interface BrowserShellOptions {
  /** The core, in its worker thread (startConsoleCoreInWorker) or in this one (coreEndpoint). */
  core: Pick<CoreEndpoint, 'call' | 'events'>;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 (default) = any free port. */
  port?: number;
}

/** Loopback only: the bridge hands out the user's cases to whoever holds the secret. */
export const BROWSER_SHELL_HOST = '127.0.0.1';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares digests so neither the content nor the length of the secret leaks through timing. */
export function sameSecret(given: unknown, secret: string): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(secret));
}

export async function startBrowserShell(opts: BrowserShellOptions): Promise<BrowserShell> {
  const secret = randomBytes(32).toString('base64url');
  const app = Fastify({ logger: false });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
  });
  await app.register(fastifyStatic, { root: opts.rendererDir });

  let ownOrigin = '';
  // Browsers always send Origin on a WebSocket handshake; only our own page may open the bridge.
  const allowRequest = (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
    const origin = req.headers.origin;
    callback(null, origin === undefined || origin === ownOrigin);
  };
  const io = new Server(app.server, { path: BRIDGE_PATH, serveClient: false, allowRequest, maxHttpBufferSize: 1_000_000 });
  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const given = typeof auth === 'object' && auth !== null ? (auth as { secret?: unknown }).secret : undefined;
    next(sameSecret(given, secret) ? undefined : new Error('unauthorized'));
  });
  io.on('connection', (socket) => {
    socket.on(BRIDGE_CALL_EVENT, (method: unknown, input: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as (result: ApiResult<unknown>) => void;
      void opts.core.call(method, input).then(reply);
    });
  });
  const unsubscribe = API_EVENT_NAMES.map((name) => opts.core.events.on(name, (payload) => io.emit(BRIDGE_PUSH_EVENT, name, payload)));

  await app.listen({ port: opts.port ?? 0, host: BROWSER_SHELL_HOST });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the browser shell is not listening on a TCP port');
  ownOrigin = `http://${BROWSER_SHELL_HOST}:${address.port}`;

  let closing: Promise<void> | null = null;
  return {
    url: `${ownOrigin}/#${BRIDGE_SECRET_PARAM}=${secret}`,
    secret,
    close() {
      closing ??= (async () => {
        for (const off of unsubscribe) off();
        io.disconnectSockets(true);
        await app.close();
      })();
      return closing;
    },
  };
}
