/**
 * Email's second way in: an existing mailbox (support@… on the company's mail
 * server) read over IMAP with imapflow, as help desks read one — beside the
 * hub's own SMTP listener, and through the same path: each mail parsed by
 * mailparser (parse.ts), then the inbound pipeline (threading by In-Reply-To,
 * References and `[#number]`, attachments, deduplication by Message-ID).
 *
 * Where it stopped is a channel cursor (repos/channel-cursors.ts) that moves
 * in the transaction storing each mail, so a restart or a dropped connection
 * resumes after the last mail stored: nothing missed, nothing twice. The
 * cursor is the mailbox's UIDVALIDITY and the mail's UID as one number
 * (UIDVALIDITY × 2³² + UID). The first start takes the mail nobody has read
 * yet (not years of history); a mailbox recreated under a new UIDVALIDITY is
 * read as on a first start, and Message-IDs keep what was stored from coming
 * twice. New mail is noticed at once while the connection idles (IMAP
 * IDLE, imapflow's default), and on a slow clock besides. Oversized or
 * malformed mail is logged and passed over (its cursor moves on), so one bad
 * mail never holds the mailbox up; a failure on the hub's side stops the
 * session without moving the cursor, and the next session tries again.
 */
import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/connect';
import { advanceChannelCursor, readChannelCursor } from '../../repos/channel-cursors';
import { InboundMessageSchema } from '../inbound';
import type { InboundPipeline } from '../pipeline';
import { keepStreaming, sleep, StreamAuthError, type StreamSession } from '../reconnect';
import { MalformedMailError, parseMail } from './parse';
import type { ImapMailboxConfig } from './imap-url';
import { MAX_MAIL_BYTES } from './server';

/** The cursor's key in channel_cursors: one mailbox per hub deployment. */
export const IMAP_CURSOR = 'email-imap';
const UID_SPACE = 2n ** 32n;
const DEFAULT_POLL_MS = 60_000;

const cursorOf = (uidValidity: bigint, uid: number) => (uidValidity * UID_SPACE + BigInt(uid)).toString();

/** The last UID stored, from a cursor of this UIDVALIDITY. */
const lastUidIn = (cursor: string, uidValidity: bigint): number => Number(BigInt(cursor) - uidValidity * UID_SPACE);

export function startImapMailbox(config: ImapMailboxConfig, pipeline: InboundPipeline, deps: { db: Db; log: Logger }): { close(): Promise<void> } {
  const { db, log } = deps;
  const pollMs = config.pollMs ?? DEFAULT_POLL_MS;

  async function session({ signal, connected }: StreamSession): Promise<void> {
    const client = new ImapFlow({
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: { user: config.user, pass: config.password },
      logger: false,
    });
    // News that comes while a pass is reading is kept for the wait after it, not lost.
    let news: (() => void) | null = null;
    let missed = false;
    const wake = () => (news ? news() : (missed = true));
    client.on('exists', wake);
    client.on('close', wake);
    // imapflow reports a dropped connection as 'error' too: the session ends through 'close' and the reconnect loop.
    client.on('error', (error: Error) => log.warn({ err: error }, 'imap: connection error'));
    const abort = () => void client.logout().catch(() => client.close());
    signal.addEventListener('abort', abort, { once: true });
    try {
      try {
        await client.connect();
      } catch (error) {
        if ((error as { authenticationFailed?: boolean }).authenticationFailed) throw new StreamAuthError(`the mail server refused ${config.user}'s password`);
        throw error;
      }
      const lock = await client.getMailboxLock(config.mailbox);
      try {
        const mailbox = client.mailbox;
        if (!mailbox) throw new Error(`imap: the mailbox ${config.mailbox} did not open`);
        const uidValidity = BigInt(mailbox.uidValidity);
        connected();
        log.info({ mailbox: config.mailbox }, 'imap: mailbox open');
        while (!signal.aborted && client.usable) {
          missed = false;
          await readNew(client, uidValidity, signal);
          // IDLE's "exists", the slow clock, or the connection closing: whichever comes first.
          if (!missed) await Promise.race([new Promise<void>((resolve) => (news = resolve)), sleep(pollMs, signal)]);
          news = null;
        }
      } finally {
        lock.release();
      }
    } finally {
      signal.removeEventListener('abort', abort);
      client.removeListener('exists', wake);
      client.removeListener('close', wake);
      if (client.usable) await client.logout().catch(() => client.close());
    }
  }

  /**
   * Every mail after the cursor, oldest first, each stored with its cursor. On the first start (no cursor, or
   * one of an older UIDVALIDITY) the mail nobody has read yet, not the mailbox's whole history; the cursor then
   * stands at the newest mail there was, so what comes later is read whether someone opened it or not.
   */
  async function readNew(client: ImapFlow, uidValidity: bigint, signal: AbortSignal): Promise<void> {
    const cursor = await readChannelCursor(db, IMAP_CURSOR);
    const fresh = cursor === null || BigInt(cursor) / UID_SPACE !== uidValidity;
    const size = { uid: true, size: true } as const;
    let heads: Awaited<ReturnType<ImapFlow['fetchAll']>> = [];
    let newest = 0;
    if (fresh) {
      const last = await client.fetchOne('*', { uid: true }, { uid: true });
      newest = last ? last.uid : 0;
      const unseen = newest > 0 ? await client.search({ seen: false, uid: `1:${newest}` }, { uid: true }) : [];
      if (unseen && unseen.length > 0) heads = await client.fetchAll(unseen.join(','), size, { uid: true });
    } else {
      const after = lastUidIn(cursor, uidValidity);
      // `n:*` also answers the newest mail when none is newer than n: it is filtered out.
      heads = (await client.fetchAll(`${after + 1}:*`, size, { uid: true })).filter((head) => head.uid > after);
    }
    for (const head of heads.sort((a, b) => a.uid - b.uid)) {
      if (signal.aborted) return;
      const cursorHere = cursorOf(uidValidity, head.uid);
      if ((head.size ?? 0) > MAX_MAIL_BYTES) {
        log.warn({ uid: head.uid, size: head.size }, `imap: a mail over the ${MAX_MAIL_BYTES}-byte limit was passed over`);
        await advanceChannelCursor(db, IMAP_CURSOR, cursorHere);
        continue;
      }
      const mail = await client.fetchOne(String(head.uid), { source: true }, { uid: true });
      const stored = mail && mail.source ? await store(mail.source, head.uid, cursorHere) : false;
      if (!stored) await advanceChannelCursor(db, IMAP_CURSOR, cursorHere);
      else await client.messageFlagsAdd(String(head.uid), ['\\Seen'], { uid: true });
    }
    if (fresh && !signal.aborted) await advanceChannelCursor(db, IMAP_CURSOR, cursorOf(uidValidity, newest));
  }

  /** Stores one mail with its cursor; false when it cannot be stored at all (malformed), which is logged. */
  async function store(source: Buffer, uid: number, cursor: string): Promise<boolean> {
    let message;
    try {
      message = InboundMessageSchema.safeParse(await parseMail(source));
    } catch (error) {
      if (!(error instanceof MalformedMailError)) throw error;
      log.warn({ uid, reason: error.message }, 'imap: a malformed mail was passed over');
      return false;
    }
    if (!message.success) {
      log.warn({ uid, reason: z.prettifyError(message.error) }, 'imap: a mail that cannot be stored was passed over');
      return false;
    }
    const outcome = await pipeline.receive(message.data, (tx) => advanceChannelCursor(tx, IMAP_CURSOR, cursor));
    log.info({ uid, status: outcome.status, externalId: message.data.externalId }, 'imap: mail received');
    return true;
  }

  return keepStreaming({ log, what: 'imap', session });
}
