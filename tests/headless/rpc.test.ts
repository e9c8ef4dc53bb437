/**
 * The JSON-RPC layer in-process: stand-in handlers behind the real dispatch()
 * for every error code, notifications, batches and concurrency; a real core
 * (no hub) for the mapping of its own errors; core events as notifications.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleCore, CoreError, CoreEvents, createConsoleCore } from '../../src/main/core';
import { API_ERROR_RPC_CODES, eventNotification, forwardEvents, handleRpcLine, RPC_ERRORS } from '../../src/main/headless/rpc';
import { API_EVENT_NAMES, type ApiHandlers, apiInputs } from '../../src/shared/api';
import { tempDir } from '../core/fixtures';

const MISSING_ID = '01900000-0000-7000-8000-000000000404';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Handlers that answer from memory and fail on cue; only the methods the tests
 * call, typed loosely so the stand-in does not track the contract's output shapes.
 */
function standIn() {
  const seen: { method: string; input: unknown }[] = [];
  const gates: Deferred<void>[] = [];
  const note = (method: string, input: unknown) => seen.push({ method, input });
  const handlers: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    async 'session.current'(input) {
      note('session.current', input);
      return null;
    },
    async 'cases.list'(input) {
      note('cases.list', input);
      return { items: [], total: 0 };
    },
    async 'cases.get'(input) {
      note('cases.get', input);
      if (input.id === MISSING_ID) throw new CoreError('not_found', `no case ${input.id}`);
      return null;
    },
    async 'session.logout'() {
      throw new CoreError('unauthorized', 'not logged in');
    },
    async 'sync.now'() {
      throw new CoreError('unavailable', 'the hub cannot be reached');
    },
    async 'queues.list'() {
      throw new Error('disk on fire');
    },
    async 'sync.status'(input) {
      note('sync.status', input);
      const gate = deferred<void>();
      gates.push(gate);
      await gate.promise;
      return { connection: 'offline', cursor: gates.indexOf(gate), lastSyncAt: null, cachedCases: 0 };
    },
  };
  return { handlers: handlers as unknown as ApiHandlers, seen, gates };
}

const request = (id: unknown, method: unknown, params?: unknown) =>
  JSON.stringify(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });

async function reply(handlers: ApiHandlers, line: string): Promise<Record<string, unknown>> {
  const out = await handleRpcLine(handlers, line);
  expect(out).toBeTypeOf('string');
  expect(out).not.toContain('\n');
  return JSON.parse(out!) as Record<string, unknown>;
}

describe('JSON-RPC requests', () => {
  it('answers a result with the request id, and null results keep their result member', async () => {
    const { handlers } = standIn();
    expect(await reply(handlers, request(1, 'session.current', {}))).toEqual({ jsonrpc: '2.0', id: 1, result: null });
    expect(await reply(handlers, request('abc', 'cases.list', { search: 'x' }))).toEqual({ jsonrpc: '2.0', id: 'abc', result: { items: [], total: 0 } });
    // A null id is a request (not a notification) and is answered with null.
    expect(await reply(handlers, request(null, 'session.current'))).toEqual({ jsonrpc: '2.0', id: null, result: null });
  });

  it('passes params through the contract: absent params are {}, defaults applied', async () => {
    const { handlers, seen } = standIn();
    await reply(handlers, request(1, 'cases.list'));
    await reply(handlers, request(2, 'cases.list', { assignee: 'me', limit: 3 }));
    expect(seen).toEqual([
      { method: 'cases.list', input: { limit: 5000 } },
      { method: 'cases.list', input: { assignee: 'me', limit: 3 } },
    ]);
  });

  it('-32700 for a line that is not JSON, with a null id', async () => {
    const { handlers } = standIn();
    for (const line of ['nope', '{"jsonrpc":"2.0","id":1,"method":"session.current"', '{\'a\':1}']) {
      expect(await reply(handlers, line)).toEqual({ jsonrpc: '2.0', id: null, error: { code: RPC_ERRORS.parseError, message: expect.any(String) } });
    }
  });

  it('-32600 for anything that is not a JSON-RPC 2.0 request object', async () => {
    const { handlers, seen } = standIn();
    const invalid: [unknown, unknown][] = [
      [{ id: 1, method: 'session.current' }, 1],
      [{ jsonrpc: '1.0', id: 2, method: 'session.current' }, 2],
      [{ jsonrpc: 2, id: 3, method: 'session.current' }, 3],
      [{ jsonrpc: '2.0', id: 4, method: 42 }, 4],
      [{ jsonrpc: '2.0', id: 5 }, 5],
      [{ jsonrpc: '2.0', id: 6, method: 'cases.list', params: [{ limit: 1 }] }, 6],
      [{ jsonrpc: '2.0', id: 7, method: 'cases.list', params: 'limit=1' }, 7],
      [{ jsonrpc: '2.0', id: 8, method: 'cases.list', params: null }, 8],
      [{ jsonrpc: '2.0', id: { n: 9 }, method: 'session.current' }, null],
      [{ jsonrpc: '2.0', method: 1, params: 'bar' }, null],
      [42, null],
      ['session.current', null],
      [null, null],
    ];
    for (const [message, id] of invalid) {
      const response = await reply(handlers, JSON.stringify(message));
      expect(response, JSON.stringify(message)).toEqual({ jsonrpc: '2.0', id, error: { code: RPC_ERRORS.invalidRequest, message: expect.any(String) } });
    }
    expect(seen).toEqual([]);
  });

  it('-32601 for a method the API does not have, including object internals and unknown rpc.* names', async () => {
    const { handlers } = standIn();
    for (const method of ['cases.explode', 'constructor', '__proto__', 'toString', 'rpc.nope', '']) {
      expect(await reply(handlers, request(1, method)), method).toEqual({
        jsonrpc: '2.0',
        id: 1,
        error: { code: RPC_ERRORS.methodNotFound, message: expect.any(String) },
      });
    }
  });

  it('-32602 with data.code invalid_input when the params fail the schema', async () => {
    const { handlers, seen } = standIn();
    const response = await reply(handlers, request(1, 'cases.get', { id: 'not-a-uuid' }));
    expect(response).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: expect.stringContaining('id'), data: { code: 'invalid_input', wording: { key: 'core.invalidInput', params: { detail: expect.stringContaining('id') } } } } });
    expect(await reply(handlers, request(2, 'cases.list', { limit: 'lots' }))).toMatchObject({ error: { code: -32602, data: { code: 'invalid_input' } } });
    expect(seen).toEqual([]);
  });

  it('one fixed code in the -32000 range per application error, with the ApiError code in data', async () => {
    const { handlers } = standIn();
    const cases: [string, unknown, string, number][] = [
      ['session.logout', {}, 'unauthorized', -32001],
      ['cases.get', { id: MISSING_ID }, 'not_found', -32002],
      ['sync.now', {}, 'unavailable', -32003],
      ['queues.list', {}, 'internal', -32000],
    ];
    for (const [method, params, code, rpcCode] of cases) {
      expect(await reply(handlers, request(7, method, params)), method).toEqual({
        jsonrpc: '2.0',
        id: 7,
        error: { code: rpcCode, message: expect.any(String), data: { code } },
      });
    }
    expect((await reply(handlers, request(1, 'queues.list'))).error).toMatchObject({ message: 'disk on fire' });
  });

  it('maps every ApiError code to its own number', () => {
    const codes = Object.values(API_ERROR_RPC_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    expect(API_ERROR_RPC_CODES.invalid_input).toBe(RPC_ERRORS.invalidParams);
    for (const [name, code] of Object.entries(API_ERROR_RPC_CODES)) {
      if (name === 'invalid_input') continue;
      expect(code, name).toBeLessThanOrEqual(-32000);
      expect(code, name).toBeGreaterThanOrEqual(-32099);
    }
  });

  it('lists the API methods and the event names', async () => {
    const { handlers } = standIn();
    expect((await reply(handlers, request(1, 'rpc.methods'))).result).toEqual(Object.keys(apiInputs));
    expect((await reply(handlers, request(2, 'rpc.events'))).result).toEqual([...API_EVENT_NAMES]);
  });

  it('ignores blank lines', async () => {
    const { handlers } = standIn();
    expect(await handleRpcLine(handlers, '')).toBeUndefined();
    expect(await handleRpcLine(handlers, '   \t')).toBeUndefined();
  });

  it('handles requests concurrently: a slow call does not hold up the next', async () => {
    const { handlers, gates } = standIn();
    const first = handleRpcLine(handlers, request(1, 'sync.status'));
    const second = handleRpcLine(handlers, request(2, 'sync.status'));
    const fast = await reply(handlers, request(3, 'session.current'));
    expect(fast).toMatchObject({ id: 3 });
    const order: number[] = [];
    void first.then(() => order.push(1));
    void second.then(() => order.push(2));
    await expect.poll(() => gates.length).toBe(2);
    gates[1]!.resolve();
    await second;
    gates[0]!.resolve();
    await first;
    expect(order).toEqual([2, 1]);
    expect(JSON.parse((await first)!)).toMatchObject({ id: 1, result: { cursor: 0 } });
    expect(JSON.parse((await second)!)).toMatchObject({ id: 2, result: { cursor: 1 } });
  });
});

describe('JSON-RPC notifications', () => {
  it('runs a notification and answers nothing, whatever the outcome', async () => {
    const { handlers, seen } = standIn();
    expect(await handleRpcLine(handlers, JSON.stringify({ jsonrpc: '2.0', method: 'cases.list', params: { search: 'n' } }))).toBeUndefined();
    expect(seen).toEqual([{ method: 'cases.list', input: { search: 'n', limit: 5000 } }]);
    for (const [method, params] of [['sync.now', {}], ['cases.get', { id: 'bad' }], ['no.such'], ['queues.list']] as const) {
      expect(await handleRpcLine(handlers, JSON.stringify({ jsonrpc: '2.0', method, params })), method).toBeUndefined();
    }
  });
});

describe('JSON-RPC batches', () => {
  it('answers an array with one response per request, none for notifications', async () => {
    const { handlers, seen } = standIn();
    const batch = [
      { jsonrpc: '2.0', id: 1, method: 'session.current' },
      { jsonrpc: '2.0', method: 'cases.list', params: { search: 'quiet' } },
      { jsonrpc: '2.0', id: 2, method: 'cases.get', params: { id: 'bad' } },
      { jsonrpc: '2.0', id: 3, method: 'no.such' },
      { foo: 'boo' },
      1,
      { jsonrpc: '2.0', id: 4, method: 'sync.now' },
    ];
    const out = await handleRpcLine(handlers, JSON.stringify(batch));
    const responses = JSON.parse(out!) as { id: unknown; result?: unknown; error?: { code: number } }[];
    expect(Array.isArray(responses)).toBe(true);
    expect(responses).toHaveLength(6);
    const byId = (id: unknown) => responses.filter((r) => r.id === id);
    expect(byId(1)).toEqual([{ jsonrpc: '2.0', id: 1, result: null }]);
    expect(byId(2)[0]?.error?.code).toBe(-32602);
    expect(byId(3)[0]?.error?.code).toBe(-32601);
    expect(byId(4)[0]?.error?.code).toBe(-32003);
    expect(byId(null).map((r) => r.error?.code)).toEqual([-32600, -32600]);
    expect(seen).toContainEqual({ method: 'cases.list', input: { search: 'quiet', limit: 5000 } });
  });

  it('an empty array is one invalid request, not an array', async () => {
    const { handlers } = standIn();
    expect(await reply(handlers, '[]')).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.any(String) } });
  });

  it('a batch of invalid entries answers one error each', async () => {
    const { handlers } = standIn();
    const responses = JSON.parse((await handleRpcLine(handlers, '[1,2,3,[]]'))!) as unknown[];
    expect(responses).toEqual(Array.from({ length: 4 }, () => ({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.any(String) } })));
  });

  it('a batch of notifications only answers nothing', async () => {
    const { handlers, seen } = standIn();
    const batch = [
      { jsonrpc: '2.0', method: 'session.current' },
      { jsonrpc: '2.0', method: 'sync.now' },
    ];
    expect(await handleRpcLine(handlers, JSON.stringify(batch))).toBeUndefined();
    expect(seen.map((s) => s.method)).toEqual(['session.current']);
  });

  it('a batch that is not valid JSON is one parse error', async () => {
    const { handlers } = standIn();
    expect(await reply(handlers, '[{"jsonrpc":"2.0","id":1,"method":"session.current"},{"jsonrpc"]')).toMatchObject({ id: null, error: { code: -32700 } });
  });
});

describe('core events as notifications', () => {
  it('forwards every event name as an "event" notification until unsubscribed', () => {
    const events = new CoreEvents();
    const lines: string[] = [];
    const stop = forwardEvents(events, (line) => lines.push(line));
    events.emit('cases:changed', { ids: ['a', 'b'] });
    events.emit('connection:changed', { state: 'reconnecting' });
    events.emit('session:changed', { user: null });
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { jsonrpc: '2.0', method: 'event', params: { name: 'cases:changed', payload: { ids: ['a', 'b'] } } },
      { jsonrpc: '2.0', method: 'event', params: { name: 'connection:changed', payload: { state: 'reconnecting' } } },
      { jsonrpc: '2.0', method: 'event', params: { name: 'session:changed', payload: { user: null } } },
    ]);
    stop();
    events.emit('cases:changed', { ids: [] });
    expect(lines).toHaveLength(3);
  });

  it('subscribes to each name in API_EVENT_NAMES', () => {
    const subscribed: string[] = [];
    const events = { on: (name: string) => (subscribed.push(name), () => undefined) } as unknown as CoreEvents;
    forwardEvents(events, () => undefined);
    expect(subscribed).toEqual([...API_EVENT_NAMES]);
  });

  it('a notification has no id', () => {
    expect(JSON.parse(eventNotification('cases:changed', { ids: [] }))).not.toHaveProperty('id');
  });
});

describe('JSON-RPC in front of a real core (no hub)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let core: ConsoleCore;

  beforeAll(async () => {
    dir = await tempDir('switchboard-rpc-');
    // Port 9 (discard) on loopback: nothing listens, so the hub is unreachable.
    core = await createConsoleCore({ dataDir: join(dir.path, 'console'), hubUrl: 'http://127.0.0.1:9' });
  });
  afterAll(async () => {
    await core?.close();
    await dir?.remove();
  });

  it('maps the core’s own answers and errors', async () => {
    expect(await reply(core.handlers, request(1, 'session.current'))).toEqual({ jsonrpc: '2.0', id: 1, result: null });
    expect(await reply(core.handlers, request(2, 'cases.list'))).toEqual({ jsonrpc: '2.0', id: 2, result: { items: [], total: 0 } });
    expect(await reply(core.handlers, request(3, 'session.login', { username: 'tess', password: 'demo' }))).toMatchObject({
      id: 3,
      error: { code: -32003, data: { code: 'unavailable' } },
    });
    expect(await reply(core.handlers, request(4, 'session.login', { username: '' }))).toMatchObject({ id: 4, error: { code: -32602, data: { code: 'invalid_input' } } });
    expect(await reply(core.handlers, request(5, 'sync.now'))).toMatchObject({ id: 5, error: { code: -32001, data: { code: 'unauthorized' } } });
  });
});
