/**
 * The remembered sessions behind every request and socket handshake: asked
 * of the database once, dropped the moment a token is revoked or a user
 * changes (here, or announced by another hub), and never kept past their
 * lifetime.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { SignJWT } from 'jose';
import { uuidv7 } from 'uuidv7';
import { openDatabase, type Database } from '../../src/hub/db/connect';
import { loadDemo } from '../../src/hub/demo/load';
import { createSessions, type SessionChange, type Sessions } from '../../src/hub/auth/sessions';
import { createTokenService, type TokenService } from '../../src/hub/auth/tokens';
import { setMembers, updateUser } from '../../src/hub/repos/admin';
import { findQueueByName } from '../../src/hub/repos/queues';
import { endSessions, findUserWithHash, loadActor } from '../../src/hub/repos/users';
import { loadSigningKey, wrapKeyFromValue } from '../../src/hub/auth/token-key';
import type { Actor } from '../../src/hub/repos/scope';
import { backends } from './backends';
import { waitFor } from './helpers';

const wrapKey = wrapKeyFromValue(randomBytes(32).toString('base64'));

describe.each(backends)('remembered sessions on $name', (backend) => {
  let storage: Awaited<ReturnType<typeof backend.storage>>;
  let database: Database;
  let tokens: TokenService;
  let ana: { id: string; token: string };

  beforeAll(async () => {
    storage = await backend.storage();
    database = await openDatabase(storage.options);
    await loadDemo(database.db, pino({ level: 'silent' }));
    tokens = await createTokenService(database.db, { wrapKey });
    const user = (await findUserWithHash(database.db, 'ana'))!.user;
    ana = { id: user.id, token: await tokens.sign({ userId: user.id, role: user.role, epoch: 0 }) };
  });
  afterAll(async () => {
    await database?.close();
    await storage?.dispose();
  });

  /** Sessions whose user look-ups are counted; `announce` delivers to the given peers as the adapter would. */
  function sessionsWith(opts: { ttlMs?: number; peers?: Sessions[]; load?: (userId: string) => Promise<Actor | null> } = {}) {
    const counted = { loads: 0 };
    const sessions = createSessions(tokens, {
      loadActor: (userId) => {
        counted.loads++;
        return (opts.load ?? ((id) => loadActor(database.db, id)))(userId);
      },
      announce: async (change: SessionChange) => opts.peers?.forEach((peer) => peer.forget(change)),
      ttlMs: opts.ttlMs,
    });
    return { sessions, counted };
  }

  it('asks the database once for a token used again and again', async () => {
    const { sessions, counted } = sessionsWith();
    for (let i = 0; i < 5; i++) expect((await sessions.resolve(ana.token))?.actor).toMatchObject({ id: ana.id, name: 'Ana Pereira', role: 'agent' });
    expect(counted.loads).toBe(1);
  });

  it('refuses a forged or malformed token without asking the database', async () => {
    const { sessions, counted } = sessionsWith();
    const [header, payload] = ana.token.split('.');
    expect(await sessions.resolve(`${header}.${payload}.forged`)).toBeNull();
    expect(await sessions.resolve('not a token')).toBeNull();
    expect(counted.loads).toBe(0);
  });

  it('refuses a token at once once it is revoked here, and on a peer it was announced to', async () => {
    const user = (await findUserWithHash(database.db, 'ivan'))!.user;
    const token = await tokens.sign({ userId: user.id, role: user.role, epoch: 0 });
    const peer = sessionsWith().sessions;
    const { sessions } = sessionsWith({ peers: [peer] });
    expect(await sessions.resolve(token)).not.toBeNull();
    expect(await peer.resolve(token)).not.toBeNull();
    await sessions.revoke((await tokens.verify(token))!);
    expect(await sessions.resolve(token)).toBeNull();
    expect(await peer.resolve(token)).toBeNull();
  });

  it('refuses every token signed before the user’s sessions were ended, here and on a peer told of it; a new one works', async () => {
    const admin = (await findUserWithHash(database.db, 'admin'))!;
    const token = await tokens.sign({ userId: admin.user.id, role: admin.user.role, epoch: admin.sessionEpoch });
    const peer = sessionsWith().sessions;
    const { sessions } = sessionsWith({ peers: [peer] });
    expect(await sessions.resolve(token)).not.toBeNull();
    expect(await peer.resolve(token)).not.toBeNull();
    expect(await endSessions(database.db, admin.user.id)).toBe(true);
    await sessions.changed({ userId: admin.user.id });
    expect(await sessions.resolve(token)).toBeNull();
    expect(await peer.resolve(token)).toBeNull();
    const fresh = await tokens.sign({ userId: admin.user.id, role: admin.user.role, epoch: admin.sessionEpoch + 1 });
    expect((await peer.resolve(fresh))?.actor.id).toBe(admin.user.id);
  });

  it('reads a token signed before epochs existed as epoch 0, and refuses a malformed epoch', async () => {
    const { sessions } = sessionsWith();
    const ivan = (await findUserWithHash(database.db, 'ivan'))!.user;
    const key = await loadSigningKey(database.db, wrapKey);
    const signed = (claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(ivan.id).setIssuer('switchboard-hub').setJti(uuidv7()).setIssuedAt().setExpirationTime('1h').sign(key);
    expect((await sessions.resolve(await signed({ role: ivan.role })))?.actor.id).toBe(ivan.id);
    expect(await sessions.resolve(await signed({ role: ivan.role, epoch: 'first' }))).toBeNull();
    expect(await sessions.resolve(await signed({ role: ivan.role, epoch: -1 }))).toBeNull();
  });

  it('sees a new role and new queues on the next request once told, and only the user told of', async () => {
    const tess = (await findUserWithHash(database.db, 'tess'))!.user;
    const tessToken = await tokens.sign({ userId: tess.id, role: tess.role, epoch: 0 });
    const { sessions, counted } = sessionsWith();
    expect((await sessions.resolve(tessToken))?.actor.role).toBe('technician');
    expect((await sessions.resolve(ana.token))?.actor.role).toBe('agent');
    await updateUser(database.db, tess.id, { role: 'agent' }, null);
    // Not told: what was read stays for its lifetime (a missed announcement is bounded by it).
    expect((await sessions.resolve(tessToken))?.actor.role).toBe('technician');
    await sessions.changed({ userId: tess.id });
    expect((await sessions.resolve(tessToken))?.actor.role).toBe('agent');
    expect(counted.loads).toBe(3);

    const queue = (await findQueueByName(database.db, 'Billing'))!;
    expect((await sessions.resolve(tessToken))?.actor.queueIds).not.toContain(queue.id);
    await setMembers(database.db, queue.id, [tess.id], null);
    await sessions.changed({ all: true });
    expect((await sessions.resolve(tessToken))?.actor.queueIds).toContain(queue.id);
    expect((await sessions.resolve(ana.token))?.actor.queueIds).not.toContain(queue.id);
    await updateUser(database.db, tess.id, { role: 'technician' }, null);
  });

  it('does not keep what a look-up read before a change it overlapped', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const { sessions, counted } = sessionsWith({
      // The first look-up reads the user, then is held until the change has been made and announced.
      load: async (id) => {
        const actor = await loadActor(database.db, id);
        if (first) {
          first = false;
          await gate;
        }
        return actor;
      },
    });
    const pending = sessions.resolve(ana.token);
    await new Promise((r) => setTimeout(r, 20));
    sessions.forget({ userId: ana.id });
    release();
    expect((await pending)?.actor.id).toBe(ana.id);
    await sessions.resolve(ana.token);
    expect(counted.loads).toBe(2);
  });

  it('forgets everything after its lifetime, even what no one announced', async () => {
    const user = (await findUserWithHash(database.db, 'sam'))!.user;
    const token = await tokens.sign({ userId: user.id, role: user.role, epoch: 0 });
    // Long enough that a loaded machine still answers from memory right after the revocation.
    const ttlMs = 2_000;
    const { sessions } = sessionsWith({ ttlMs });
    const cachedAt = Date.now();
    expect(await sessions.resolve(token)).not.toBeNull();
    // Revoked by "another hub" whose announcement never arrived.
    await tokens.revoke((await tokens.verify(token))!);
    if (Date.now() - cachedAt < ttlMs) expect(await sessions.resolve(token)).not.toBeNull();
    // Once its lifetime is over, the hub reads the revocation.
    await waitFor(async () => ((await sessions.resolve(token)) === null ? true : undefined), 10_000);
    expect(Date.now() - cachedAt).toBeGreaterThanOrEqual(ttlMs - 50);
  });
});
