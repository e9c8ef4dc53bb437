import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startHub } from '../../src/hub/hub';
import { pgliteDataDir } from '../support/pglite-template';

describe('logs', () => {
  it('are structured JSON and never contain a password or a token', async () => {
    const dir = await pgliteDataDir('switchboard-logs-');
    const lines: string[] = [];
    const hub = await startHub({ dataDir: dir, port: 0, mqttPort: 0, smtpPort: 0, demo: true, logLevel: 'debug', logStream: { write: (line) => void lines.push(line) } });
    try {
      const post = (path: string, body: unknown, token?: string) =>
        fetch(`${hub.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
      expect((await post('/api/auth/login', { username: 'ana', password: 'my-secret-guess' })).status).toBe(401);
      const { token } = (await (await post('/api/auth/login', { username: 'ana', password: 'demo' })).json()) as { token: string };
      await fetch(`${hub.url}/api/cases`, { headers: { authorization: `Bearer ${token}` } });
      await post('/api/sync/pull', { cursor: 'bad' }, token);
      await post('/api/devices/car-0001/telemetry', { metric: 'engine_temp', value: 1, ts: new Date().toISOString() }, 'demo-token-car-0001');
    } finally {
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    }
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(text).toContain('login refused');
    expect(text).not.toContain('my-secret-guess');
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(text).not.toContain('demo-token-car-0001');
  });
});
