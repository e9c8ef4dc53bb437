import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startHub, type RunningHub } from '../../src/hub/hub';
import { seedPglite } from '../support/pglite-template';
import { backupEmbedded, restoreEmbedded } from '../../src/hub/ops/backup';
import { TOKEN_WRAP_KEY_FILE, TOKEN_WRAP_KEY_VARIABLE } from '../../src/hub/auth/token-key';
import type { Case } from '../../src/shared/domain';

async function login(hub: RunningHub, username = 'sam'): Promise<string> {
  const response = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
  return ((await response.json()) as { token: string }).token;
}

async function caseById(hub: RunningHub, token: string, id: string): Promise<Case | null> {
  const response = await fetch(`${hub.url}/api/cases/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return response.status === 200 ? ((await response.json()) as { case: Case }).case : null;
}

describe('backup and restore of the embedded database', () => {
  let root = '';
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('restores a backup with every change made before it, and refuses while a hub runs', async () => {
    root = await mkdtemp(join(tmpdir(), 'switchboard-backup-'));
    const source = join(root, 'source');
    const archive = join(root, 'hub.tar.gz');
    await seedPglite(source);
    const hub = await startHub({ dataDir: source, port: 0, mqttPort: 0, smtpPort: 0, demo: true, logLevel: 'silent' });
    const sam = await login(hub);
    const { cases } = (await (await fetch(`${hub.url}/api/cases?limit=1`, { headers: { authorization: `Bearer ${sam}` } })).json()) as { cases: Case[] };
    const target = cases[0]!;
    const push = await fetch(`${hub.url}/api/sync/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sam}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mutations: [{ id: uuidv7(), kind: 'case.update', entityId: target.id, baseVersion: target.version, createdAt: new Date().toISOString(), payload: { fields: { subject: 'Changed before the backup' } } }] }),
    });
    expect(push.status).toBe(200);
    await expect(backupEmbedded(source, archive)).rejects.toThrow('stop the hub first');
    await hub.close();

    const { bytes } = await backupEmbedded(source, archive);
    expect(bytes).toBeGreaterThan(1000);
    expect((await stat(archive)).size).toBe(bytes);

    const restoredDir = join(root, 'restored');
    expect(await restoreEmbedded(restoredDir, archive)).toEqual({ keptAside: null });
    // The backup holds the token-signing key wrapped only: without the wrap key the hub will not start ...
    await expect(startHub({ dataDir: restoredDir, port: 0, mqttPort: 0, smtpPort: 0, logLevel: 'silent' })).rejects.toThrow(TOKEN_WRAP_KEY_VARIABLE);
    // ... and with it, brought over apart from the backup, every token signed before still works.
    await copyFile(join(source, TOKEN_WRAP_KEY_FILE), join(restoredDir, TOKEN_WRAP_KEY_FILE));
    const restored = await startHub({ dataDir: restoredDir, port: 0, mqttPort: 0, smtpPort: 0, logLevel: 'silent' });
    try {
      expect(await caseById(restored, sam, target.id)).not.toBeNull();
      const token = await login(restored);
      expect(await caseById(restored, token, target.id)).toMatchObject({ subject: 'Changed before the backup', version: target.version + 1 });
      await expect(restoreEmbedded(restoredDir, archive)).rejects.toThrow('stop the hub first');
    } finally {
      await restored.close();
    }
    // Restoring over an existing database keeps the old one aside instead of deleting it.
    const again = await restoreEmbedded(restoredDir, archive);
    expect(again.keptAside).toMatch(/pgdata\.before-restore-/);
    expect((await stat(again.keptAside!)).isDirectory()).toBe(true);
    // Four opens of an embedded database (one refused for want of the wrap key).
  }, 120_000);
});
