import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestHub, type TestHub } from './backends';
import { connectSocket } from './helpers';

describe.each(backends)('sessions on $name', (backend) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend, { tokenTtlSeconds: 3 });
  });
  afterAll(() => hub?.close());

  it('refreshes a valid token and revokes the old one', async () => {
    const old = await hub.login('ana');
    const response = await hub.post('/api/auth/refresh', {}, old);
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    expect(token).not.toBe(old);
    expect((await hub.get('/api/me', token)).status).toBe(200);
    expect((await hub.get('/api/me', old)).status).toBe(401);
    expect((await hub.post('/api/auth/refresh', {}, old)).status).toBe(401);
  });

  it('signs out: the token stops working and its live socket is closed', async () => {
    const token = await hub.login('ivan');
    const other = await hub.login('ivan');
    const socket = connectSocket(hub.url, token);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect((await hub.post('/api/auth/logout', {}, token)).status).toBe(204);
    expect(await closed).toBe('io server disconnect');
    expect((await hub.get('/api/cases', token)).status).toBe(401);
    // Another session of the same user is untouched.
    expect((await hub.get('/api/cases', other)).status).toBe(200);
    const retry = connectSocket(hub.url, token);
    const error = await new Promise<Error>((resolve) => retry.once('connect_error', resolve));
    retry.close();
    expect(error.message).toBe('unauthorized');
  });

  it('refuses an expired token, and closes its live socket when it expires', async () => {
    const token = await hub.login('sam');
    expect((await hub.get('/api/me', token)).status).toBe(200);
    const socket = connectSocket(hub.url, token);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    // The hub closes it when the token's 3 s are up (the test's timeout is the bound).
    expect(await closed).toBe('io server disconnect');
    expect((await hub.get('/api/me', token)).status).toBe(401);
    expect((await hub.post('/api/auth/refresh', {}, token)).status).toBe(401);
    const retry = connectSocket(hub.url, token);
    const error = await new Promise<Error>((resolve) => retry.once('connect_error', resolve));
    retry.close();
    expect(error.message).toBe('unauthorized');
  });
});
