import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestHub, type TestHub } from './backends';

describe('login rate limit', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backends[0]!);
  });
  afterAll(() => hub?.close());

  it('answers 429 after 30 attempts a minute from one address, in the API error shape', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await hub.post('/api/auth/login', { username: 'ana', password: `guess-${i}` })).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    const limited = await hub.post('/api/auth/login', { username: 'ana', password: 'demo' });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
  });
});
