/**
 * The test Dovecot (tests/support/dovecot.ts) that the hub's IMAP mailbox
 * channel tests run against, proved with imapflow, the client the hub uses:
 * it takes the one user's login, stores what is appended and gives it back
 * byte for byte by UID, and stop() leaves neither a process nor its folder.
 */
import { access } from 'node:fs/promises';
import { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, it } from 'vitest';
import { type Dovecot, groupAlive, startDovecot } from './dovecot';

const message = (n: number) =>
  [
    'From: Customer <customer@example.org>',
    'To: Support <support@example.com>',
    `Subject: Order ${n} never arrived`,
    `Message-ID: <order-${n}@example.org>`,
    'Date: Mon, 03 Mar 2025 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Hello, order ${n} is late.`,
    '',
  ].join('\r\n');

describe('the test Dovecot', () => {
  let dovecot: Dovecot | undefined;
  afterEach(async () => {
    await dovecot?.stop();
    dovecot = undefined;
  });

  it('stores appended messages and returns them by UID to imapflow', async () => {
    dovecot = await startDovecot();
    expect(dovecot.url()).toBe(`imap://support%40example.com:${encodeURIComponent(dovecot.password)}@127.0.0.1:${dovecot.port}/INBOX`);
    const client = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await client.connect();
    try {
      const raw = [message(1), message(2)];
      const uids: number[] = [];
      for (const body of raw) {
        const appended = await client.append('INBOX', body);
        expect(appended).toBeTruthy();
        if (appended && appended.uid !== undefined) uids.push(appended.uid);
      }
      expect(uids).toHaveLength(2);

      const status = await client.status('INBOX', { messages: true, uidNext: true });
      expect(status).toMatchObject({ messages: 2, uidNext: Math.max(...uids) + 1 });

      const lock = await client.getMailboxLock('INBOX');
      try {
        const fetched = await client.fetchAll(uids.join(','), { uid: true, source: true }, { uid: true });
        const byUid = new Map(fetched.map((m) => [m.uid, m.source?.toString('utf8')]));
        expect(uids.map((uid) => byUid.get(uid))).toEqual(raw);
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });

  it('stop() leaves no process and no folder', async () => {
    dovecot = await startDovecot();
    const { dir, pid } = dovecot;
    expect(groupAlive(pid)).toBe(true);
    await dovecot.stop();
    expect(groupAlive(pid)).toBe(false);
    await expect(access(dir)).rejects.toMatchObject({ code: 'ENOENT' });
    // Twice is harmless (afterEach calls it again).
    await dovecot.stop();
  });
});
