/**
 * The browser shell with a real socket.io client: the secret gate, calls
 * through the same dispatch as IPC, pushed events, static files with the CSP,
 * and a listener on loopback only.
 */
import { connect as tcpConnect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserShell, startBrowserShell } from '../../src/main/browser/server';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp';
import { type ConsoleCore, coreEndpoint, createConsoleCore } from '../../src/main/core';
import type { ApiResult } from '../../src/shared/api';
import { BRIDGE_CALL_EVENT, BRIDGE_PATH, BRIDGE_PUSH_EVENT, BRIDGE_SECRET_PARAM } from '../../src/shared/bridge';
import { aCase, aQueue, tempDir } from '../core/fixtures';

const sockets: Socket[] = [];

function client(origin: string, auth: unknown, headers: Record<string, string> = {}): Socket {
  const socket = io(origin, { path: BRIDGE_PATH, auth: auth as Record<string, unknown>, transports: ['websocket'], reconnection: false, extraHeaders: headers });
  sockets.push(socket);
  return socket;
}

function connected(socket: Socket): Promise<'connected' | string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(error.message));
  });
}

function callOver(socket: Socket, method: unknown, input: unknown): Promise<ApiResult<unknown>> {
  return socket.timeout(5000).emitWithAck(BRIDGE_CALL_EVENT, method, input) as Promise<ApiResult<unknown>>;
}

/** Resolves true when a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('browser shell bridge', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let core: ConsoleCore;
  let shell: BrowserShell;
  let origin: string;
  let port: number;

  beforeAll(async () => {
    dir = await tempDir('switchboard-bridge-');
    const rendererDir = join(dir.path, 'renderer');
    core = await createConsoleCore({ dataDir: join(dir.path, 'data'), hubUrl: 'http://127.0.0.1:9' });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(rendererDir);
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Switchboard</title>');
    shell = await startBrowserShell({ core: coreEndpoint(core), rendererDir });
    const url = new URL(shell.url);
    origin = url.origin;
    port = Number(url.port);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await shell?.close();
    await core?.close();
    await dir?.remove();
  });

  it('prints a loopback URL carrying a fresh 256-bit secret in the fragment only', () => {
    const url = new URL(shell.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.pathname).toBe('/');
    expect(url.search).toBe('');
    expect(url.hash).toBe(`#${BRIDGE_SECRET_PARAM}=${shell.secret}`);
    expect(Buffer.from(shell.secret, 'base64url')).toHaveLength(32);
  });

  it('refuses a connection without the secret or with a wrong one', async () => {
    expect(await connected(client(origin, {}))).toBe('unauthorized');
    expect(await connected(client(origin, { secret: 'guess' }))).toBe('unauthorized');
    expect(await connected(client(origin, { secret: `${shell.secret}x` }))).toBe('unauthorized');
    expect(await connected(client(origin, { secret: shell.secret.slice(0, -1) }))).toBe('unauthorized');
  });

  it('refuses a page from another origin even with the right secret', async () => {
    expect(await connected(client(origin, { secret: shell.secret }, { origin: 'http://evil.example' }))).not.toBe('connected');
    expect(await connected(client(origin, { secret: shell.secret }, { origin }))).toBe('connected');
  });

  it('with the secret, calls the core through dispatch and receives its events', async () => {
    const queue = aQueue({ name: 'Social' });
    const row = aCase({ queueId: queue.id, subject: 'Angry tweet about the router', priority: 'urgent' });
    core.cache.apply('queue', queue, 1);
    core.cache.apply('case', row, row.rev);

    const socket = client(origin, { secret: shell.secret });
    expect(await connected(socket)).toBe('connected');
    expect(await callOver(socket, 'cases.list', { search: 'router' })).toMatchObject({
      ok: true,
      value: { total: 1, items: [{ id: row.id, queueName: 'Social', priority: 'urgent' }] },
    });
    expect(await callOver(socket, 'cases.get', { id: row.id })).toMatchObject({ ok: true, value: { case: { id: row.id }, messages: [] } });

    const pushed = new Promise<unknown[]>((resolve) => socket.once(BRIDGE_PUSH_EVENT, (...args: unknown[]) => resolve(args)));
    core.events.emit('cases:changed', { ids: [row.id] });
    expect(await pushed).toEqual(['cases:changed', { ids: [row.id] }]);
  });

  it('answers invalid input and unknown methods with invalid_input', async () => {
    const socket = client(origin, { secret: shell.secret });
    expect(await connected(socket)).toBe('connected');
    expect(await callOver(socket, 'cases.get', { id: 42 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await callOver(socket, 'cases.list', { status: 'everything' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await callOver(socket, 'process.exit', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await callOver(socket, { toString: 1 }, null)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('serves the renderer with the strict CSP', async () => {
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Switchboard</title>');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(await accepts('127.0.0.1', port)).toBe(true);
    expect(await accepts('::1', port)).toBe(false);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (external) expect(await accepts(external.address, port)).toBe(false);
  });
});
