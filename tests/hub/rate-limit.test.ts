import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMIT_PER_ADDRESS } from '../../src/hub/auth/login-backoff';
import { backends, startTestHub, type TestHub } from './backends';

describe('login rate limit', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backends[0]!);
  });
  afterAll(() => hub?.close());

  // Failed sign-ins back off per account and address (login-hardening.test.ts); an address alone has a generous ceiling.
  it(`answers 429 past ${LOGIN_LIMIT_PER_ADDRESS} attempts a minute from one address, whatever the accounts, in the API error shape`, async () => {
    const statuses = new Set<number>();
    // Malformed attempts count too, and cost no password check.
    for (let i = 0; i < LOGIN_LIMIT_PER_ADDRESS - 2; i++) statuses.add((await hub.post('/api/auth/login', { username: `user-${i}` })).status);
    expect([...statuses]).toEqual([400]);
    expect((await hub.post('/api/auth/login', { username: 'nobody', password: 'guess' })).status).toBe(401);
    expect((await hub.post('/api/auth/login', { username: 'ivan', password: 'demo' })).status).toBe(200);
    const limited = await hub.post('/api/auth/login', { username: 'ana', password: 'demo' });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
  });
});
