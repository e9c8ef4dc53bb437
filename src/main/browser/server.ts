/**
 * The browser shell: the built renderer and a socket.io bridge to the console
 * core, on 127.0.0.1 only. The bridge requires the per-launch secret, which
 * travels in the URL fragment so it never reaches a server log.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import { Server } from 'socket.io';
import { API_EVENT_NAMES } from '../../shared/api';
import { BRIDGE_CALL_EVENT, BRIDGE_PATH, BRIDGE_PUSH_EVENT, BRIDGE_SECRET_PARAM } from '../../shared/bridge';
import type { ConsoleCore } from '../core';
import { dispatch } from '../core/dispatch';
import { CONTENT_SECURITY_POLICY } from './csp';

export interface BrowserShell {
  url: string;
  secret: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function sameSecret(given: unknown, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startBrowserShell(opts: { core: ConsoleCore; rendererDir: string; port?: number }): Promise<BrowserShell> {
  const secret = randomBytes(32).toString('base64url');
  const app = Fastify({ logger: false });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });
  await app.register(fastifyStatic, { root: opts.rendererDir });

  const io = new Server(app.server, { path: BRIDGE_PATH, serveClient: false, cors: { origin: false } });
  io.use((socket, next) => (sameSecret(socket.handshake.auth?.secret, secret) ? next() : next(new Error('unauthorized'))));
  io.on('connection', (socket) => {
    socket.on(BRIDGE_CALL_EVENT, (method: unknown, input: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void dispatch(opts.core.handlers, method, input).then((result) => ack(result));
    });
  });
  const unsubscribe = API_EVENT_NAMES.map((name) => opts.core.events.on(name, (payload) => io.emit(BRIDGE_PUSH_EVENT, name, payload)));

  await app.listen({ port: opts.port ?? 0, host: HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://${HOST}:${port}/#${BRIDGE_SECRET_PARAM}=${secret}`,
    secret,
    async close() {
      for (const off of unsubscribe) off();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await app.close();
    },
  };
}
