/**
 * The test proxy against a small real HTTP server: it forwards, goes offline
 * (new and open connections fail), drops everything, and cuts one connection
 * after N bytes either way or right after a given request reached the server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

const BIG = 'x'.repeat(256 * 1024);

interface Upstream {
  server: Server;
  port: number;
  url: string;
  /** Push bodies the server read in full (and answered). */
  pushes: string[];
  /** Resolves with how many body bytes an upload carried when its request ended, and whether it was complete. */
  uploads: { bytes: number; complete: boolean }[];
  /** Responses left hanging half-way, ended by the tests' cleanup. */
  hanging: ServerResponse[];
}

async function startUpstream(): Promise<Upstream> {
  const upstream: Omit<Upstream, 'server' | 'port' | 'url'> = { pushes: [], uploads: [], hanging: [] };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => resolve(body));
      req.on('error', reject);
    });
  const server = createServer((req, res) => {
    if (req.url === '/hello') return void res.end('hello');
    if (req.url === '/big' || req.url === '/api/sync/pull') return void res.writeHead(200, { 'content-length': BIG.length }).end(BIG);
    if (req.url === '/hang') {
      // Headers and a first part of the body, then nothing until the test ends it.
      res.writeHead(200, { 'content-length': 2 * 1024 });
      res.write('y'.repeat(1024));
      upstream.hanging.push(res);
      return;
    }
    if (req.url === '/api/sync/push') {
      void readBody(req).then((body) => {
        upstream.pushes.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ applied: upstream.pushes.length }));
      });
      return;
    }
    if (req.url === '/upload') {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('close', () => upstream.uploads.push({ bytes, complete: req.complete }));
      req.on('end', () => res.end('stored'));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return { ...upstream, server, port: address.port, url: `http://127.0.0.1:${address.port}` };
}

/** A raw HTTP/1.1 exchange on a fresh connection: every byte the proxy delivered until it closed. */
function rawExchange(port: number, request: string): Promise<{ bytes: Buffer; error: string | null }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | null = null;
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => resolve({ bytes: Buffer.concat(chunks), error }));
    socket.write(request);
  });
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: upstream\r\nConnection: close\r\n\r\n`;

describe('tcp proxy', () => {
  let upstream: Upstream;
  let proxy: TcpProxy;

  beforeAll(async () => {
    upstream = await startUpstream();
  });
  afterEach(async () => {
    await proxy?.close();
    for (const res of upstream.hanging.splice(0)) res.destroy();
    upstream.pushes.length = 0;
    upstream.uploads.length = 0;
  });
  afterAll(async () => {
    upstream.server.closeAllConnections();
    await new Promise<void>((resolve) => upstream.server.close(() => resolve()));
  });

  it('forwards HTTP both ways, given a URL or a port', async () => {
    proxy = await startTcpProxy(upstream.url);
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
    expect(proxy.port).not.toBe(upstream.port);
    expect(await (await fetch(`${proxy.url}/hello`)).text()).toBe('hello');
    expect(await (await fetch(`${proxy.url}/big`)).text()).toBe(BIG);
    const push = await fetch(`${proxy.url}/api/sync/push`, { method: 'POST', body: 'm1' });
    expect(await push.json()).toEqual({ applied: 1 });
    expect(upstream.pushes).toEqual(['m1']);
    await proxy.close();

    proxy = await startTcpProxy(upstream.port);
    expect(await (await fetch(`${proxy.url}/hello`)).text()).toBe('hello');
    expect(proxy.acceptedConnections()).toBeGreaterThan(0);
  });

  it('offline: new connections fail, open ones are cut; back online they work again', async () => {
    proxy = await startTcpProxy(upstream.url);
    const open = await fetch(`${proxy.url}/hang`);
    expect(open.status).toBe(200);
    const body = open.text();
    await expect.poll(() => proxy.openConnections()).toBe(1);

    proxy.setOnline(false);
    expect(proxy.online).toBe(false);
    await expect(body).rejects.toThrow();
    expect(proxy.openConnections()).toBe(0);
    await expect(fetch(`${proxy.url}/hello`)).rejects.toThrow();
    const raw = await rawExchange(proxy.port, get('/hello'));
    expect(raw.bytes.length).toBe(0);

    proxy.setOnline(true);
    expect(await (await fetch(`${proxy.url}/hello`)).text()).toBe('hello');
  });

  it('dropAll cuts every open connection now and lets new ones through', async () => {
    proxy = await startTcpProxy(upstream.url);
    const bodies = await Promise.all([fetch(`${proxy.url}/hang`), fetch(`${proxy.url}/hang`)]).then((rs) => rs.map((r) => r.text()));
    await expect.poll(() => proxy.openConnections()).toBe(2);
    proxy.dropAll();
    expect(proxy.openConnections()).toBe(0);
    for (const body of bodies) await expect(body).rejects.toThrow();
    expect(proxy.online).toBe(true);
    expect(await (await fetch(`${proxy.url}/hello`)).text()).toBe('hello');
  });

  it('cutAfterBytes toClient delivers exactly N bytes of the response, then closes; once', async () => {
    proxy = await startTcpProxy(upstream.url);
    const cut = proxy.cutAfterBytes(1000, 'toClient');
    const raw = await rawExchange(proxy.port, get('/big'));
    await cut.fired;
    expect(raw.bytes.length).toBe(1000);
    expect(raw.bytes.subarray(0, 15).toString()).toBe('HTTP/1.1 200 OK');
    // One-shot: the next transfer is whole.
    expect(await (await fetch(`${proxy.url}/big`)).text()).toBe(BIG);
  });

  it('cutAfterBytes toClient makes fetch fail in the middle of a body', async () => {
    proxy = await startTcpProxy(upstream.url);
    const cut = proxy.cutAfterBytes(64 * 1024, 'toClient');
    const response = await fetch(`${proxy.url}/big`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    await cut.fired;
  });

  it('counts from when it is armed, so a kept-alive connection is cut after N more bytes', async () => {
    proxy = await startTcpProxy(upstream.url);
    const socket = connect({ host: '127.0.0.1', port: proxy.port });
    socket.on('error', () => undefined);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => (received = Buffer.concat([received, chunk])));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET /hello HTTP/1.1\r\nHost: upstream\r\n\r\n');
    await expect.poll(() => received.toString().endsWith('hello')).toBe(true);
    const before = received.length;

    const cut = proxy.cutAfterBytes(500, 'toClient');
    socket.write('GET /big HTTP/1.1\r\nHost: upstream\r\n\r\n');
    await closed;
    await cut.fired;
    expect(received.length - before).toBe(500);
    expect(proxy.acceptedConnections()).toBe(1);
  });

  it('cutAfterBytes toTarget cuts an upload: the server sees an incomplete request, fetch fails', async () => {
    proxy = await startTcpProxy(upstream.url);
    const cut = proxy.cutAfterBytes(4096, 'toTarget');
    await expect(fetch(`${proxy.url}/upload`, { method: 'POST', body: BIG })).rejects.toThrow();
    await cut.fired;
    await expect.poll(() => upstream.uploads.length).toBe(1);
    expect(upstream.uploads[0]!.complete).toBe(false);
    expect(upstream.uploads[0]!.bytes).toBeLessThan(4096);
  });

  it('cutOnRequest: the push reaches the server and is applied, but its answer never gets back', async () => {
    proxy = await startTcpProxy(upstream.url);
    const cut = proxy.cutOnRequest('POST /api/sync/push');
    // Other requests on the way are not the marker.
    expect(await (await fetch(`${proxy.url}/hello`)).text()).toBe('hello');
    await expect(fetch(`${proxy.url}/api/sync/push`, { method: 'POST', body: 'm1' })).rejects.toThrow();
    await cut.fired;
    expect(upstream.pushes).toEqual(['m1']);
    // One-shot: the retry goes through, and the server has seen the push twice.
    const retry = await fetch(`${proxy.url}/api/sync/push`, { method: 'POST', body: 'm1' });
    expect(await retry.json()).toEqual({ applied: 2 });
  });

  it('cutOnRequest with responseBytes cuts a pull in the middle of its response', async () => {
    proxy = await startTcpProxy(upstream.url);
    const cut = proxy.cutOnRequest('POST /api/sync/pull', { responseBytes: 10_000 });
    const response = await fetch(`${proxy.url}/api/sync/pull`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    await cut.fired;

    const raw = await rawExchange(proxy.port, get('/hello'));
    expect(raw.bytes.toString()).toContain('hello');
  });

  it('holdRequest lets the first requests pass, keeps the next from the server until released, then answers it', async () => {
    proxy = await startTcpProxy(upstream.url);
    const hold = proxy.holdRequest('POST /api/sync/push', { pass: 1 });
    expect(await (await fetch(`${proxy.url}/api/sync/push`, { method: 'POST', body: 'first' })).json()).toEqual({ applied: 1 });
    let answered = false;
    const second = fetch(`${proxy.url}/api/sync/push`, { method: 'POST', body: 'second' }).then((r) => {
      answered = true;
      return r.json();
    });
    await hold.holding;
    // Other requests still pass while one is held.
    expect(await (await fetch(`${proxy.url}/hello`)).text()).toBe('hello');
    await new Promise((r) => setTimeout(r, 100));
    expect(upstream.pushes).toEqual(['first']);
    expect(answered).toBe(false);
    hold.release();
    expect(await second).toEqual({ applied: 2 });
    expect(upstream.pushes).toEqual(['first', 'second']);
  });

  it('finds a marker split across packets', async () => {
    proxy = await startTcpProxy(upstream.url);
    const cut = proxy.cutOnRequest('POST /api/sync/push');
    const closed = new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      const socket = connect({ host: '127.0.0.1', port: proxy.port }, () => {
        socket.write('POST /api/sy');
        setImmediate(() => socket.write('nc/push HTTP/1.1\r\nHost: u\r\nContent-Length: 2\r\nConnection: close\r\n\r\nm2'));
      });
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(Buffer.concat(chunks)));
    });
    expect((await closed).length).toBe(0);
    await cut.fired;
    expect(upstream.pushes).toEqual(['m2']);
  });

  it('a cancelled cut never fires', async () => {
    proxy = await startTcpProxy(upstream.url);
    const cut = proxy.cutOnRequest('POST /api/sync/push');
    const bytes = proxy.cutAfterBytes(10, 'toClient');
    cut.cancel();
    bytes.cancel();
    expect(await (await fetch(`${proxy.url}/api/sync/push`, { method: 'POST', body: 'm3' })).json()).toEqual({ applied: 1 });
    expect(await (await fetch(`${proxy.url}/big`)).text()).toBe(BIG);
  });

  it('close stops listening and cuts what is open', async () => {
    proxy = await startTcpProxy(upstream.url);
    const body = (await fetch(`${proxy.url}/hang`)).text();
    await expect.poll(() => proxy.openConnections()).toBe(1);
    await proxy.close();
    await expect(body).rejects.toThrow();
    const raw = await rawExchange(proxy.port, get('/hello'));
    expect(raw.error).toBe('ECONNREFUSED');
  });

  it('a target that is down looks like a dropped connection', async () => {
    const spare = await startUpstream();
    const port = spare.port;
    await new Promise<void>((resolve) => spare.server.close(() => resolve()));
    proxy = await startTcpProxy(port);
    await expect(fetch(`${proxy.url}/hello`)).rejects.toThrow();
    await expect.poll(() => proxy.openConnections()).toBe(0);
  });
});
