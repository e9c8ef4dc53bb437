/**
 * Email's second way in, end to end against a real IMAP server: Dovecot on an
 * ephemeral port (tests/support/dovecot.ts), mail put in its mailbox with
 * IMAP APPEND as a mail server's delivery would, and a hub reading that
 * mailbox (`imapUrl`) into cases through the same pipeline as SMTP — a
 * reply threads into its case, what is read is flagged \Seen, a malformed or
 * oversized mail is passed over without holding the mailbox up, the first start takes
 * only unread mail, and a restart on the same database resumes from the
 * stored cursor: nothing missed, nothing twice.
 */
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubOptionsFromCli } from '../../src/hub/config';
import { ImapUrlSchema } from '../../src/hub/channels/email/imap-url';
import { MAX_MAIL_BYTES } from '../../src/hub/channels/email/server';
import { backends, hubOn, type TestHub } from './backends';
import { channelInbox } from './helpers';
import { type Dovecot, startDovecot } from '../support/dovecot';

let serial = 0;
const messageId = (label: string) => `<${label}-${Date.now().toString(36)}-${++serial}@customer.example>`;

/** A mail as a mail server would file it. */
function mail(opts: { id: string; from?: string | null; subject: string; body: string; inReplyTo?: string }): string {
  return [
    ...(opts.from === null ? [] : [`From: ${opts.from ?? 'Nina Customer <nina@customer.example>'}`]),
    'To: support@example.com',
    `Subject: ${opts.subject}`,
    `Message-ID: ${opts.id}`,
    ...(opts.inReplyTo ? [`In-Reply-To: ${opts.inReplyTo}`, `References: ${opts.inReplyTo}`] : []),
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.body,
    '',
  ].join('\r\n');
}

describe('the IMAP mailbox option', () => {
  it('takes the mailbox as one URL from a flag or a variable, and refuses one without its password', () => {
    const url = 'imaps://support%40example.com:s3cr%2Ft@mail.example.com/Support%20Team';
    expect(hubOptionsFromCli([], { SWITCHBOARD_IMAP_URL: url })).toMatchObject({ imapUrl: url });
    expect(ImapUrlSchema.parse(url)).toEqual({ host: 'mail.example.com', port: 993, secure: true, user: 'support@example.com', password: 's3cr/t', mailbox: 'Support Team' });
    expect(ImapUrlSchema.parse('imap://u:p@127.0.0.1:1143')).toEqual({ host: '127.0.0.1', port: 1143, secure: false, user: 'u', password: 'p', mailbox: 'INBOX' });
    expect(() => hubOptionsFromCli(['--imap-url', 'imaps://mail.example.com/INBOX'], {})).toThrow(/user and password.*imapUrl/s);
    expect(() => hubOptionsFromCli(['--imap-url', 'https://u:p@mail.example.com'], {})).toThrow('imapUrl');
  });
});

describe.each(backends)('an IMAP mailbox read by the hub on $name', (backend) => {
  let dovecot: Dovecot;
  let storage: Awaited<ReturnType<typeof backend.storage>>;
  let hub: TestHub;
  let sam: string;
  let client: ImapFlow;
  const { pulled, copies, messageOf } = channelInbox(() => ({ hub, token: sam, since: 0 }), 'email');
  /** Every mail put in the mailbox that the hub should store, each once. */
  const expected: string[] = [];
  const before = messageId('before');
  const seenBefore = messageId('seen-before');

  const start = async () => {
    hub = await hubOn(storage.options, { imapUrl: dovecot.url(), imapPollMs: 250 });
    sam = await hub.login('sam');
  };
  const append = (raw: string, flags: string[] = []) => client.append('INBOX', raw, flags);
  const flagsOf = async (id: string) => {
    const found = await client.search({ header: { 'message-id': id } }, { uid: true });
    const [uid] = found || [];
    if (uid === undefined) throw new Error(`no mail ${id} in the mailbox`);
    const fetched = await client.fetchOne(String(uid), { flags: true }, { uid: true });
    return fetched ? [...(fetched.flags ?? [])] : [];
  };

  beforeAll(async () => {
    dovecot = await startDovecot();
    client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await client.connect();
    await client.mailboxOpen('INBOX');
    // In the mailbox before the hub ever read it: the unread one is taken, the one someone already read is not.
    await append(mail({ id: before, subject: 'Waiting since last week', body: 'Is anyone there?' }));
    await append(mail({ id: seenBefore, subject: 'Old and answered', body: 'Thanks, solved.' }), ['\\Seen']);
    storage = await backend.storage();
    await start();
  });
  afterAll(async () => {
    await client?.logout().catch(() => undefined);
    await hub?.close();
    await storage?.dispose();
    await dovecot?.stop();
  });

  it('takes the unread mail that was there before its first start, and flags it read', async () => {
    expected.push(before);
    expect(await messageOf(before)).toMatchObject({ channel: 'email', direction: 'in', body: 'Is anyone there?' });
    expect(await flagsOf(before)).toContain('\\Seen');
    expect(await copies(seenBefore)).toBe(0);
  });

  it('opens a case for a new mail at once, and a reply threads into it', async () => {
    const first = messageId('first');
    await append(mail({ id: first, subject: 'My router keeps dropping', body: 'Since Monday, every hour.' }));
    const opened = await messageOf(first);
    const reply = messageId('reply');
    await append(mail({ id: reply, subject: 'Re: My router keeps dropping', body: 'Still happening today.', inReplyTo: first }));
    expect((await messageOf(reply)).caseId).toBe(opened.caseId);
    expected.push(first, reply);
    expect(await flagsOf(reply)).toContain('\\Seen');
  });

  it('passes over a malformed mail and one over the size limit, storing nothing of them, and goes on with the next', async () => {
    const broken = messageId('broken');
    const oversized = messageId('oversized');
    const next = messageId('after-broken');
    await append(mail({ id: broken, from: null, subject: 'No sender at all', body: 'lost' }));
    // Just over MAX_MAIL_BYTES, in lines a mail may carry.
    const line = `${'x'.repeat(76)}\r\n`;
    await append(mail({ id: oversized, subject: 'A huge log', body: line.repeat(Math.ceil((MAX_MAIL_BYTES + 1) / line.length)) }));
    await append(mail({ id: next, subject: 'After the broken one', body: 'This one is fine.' }));
    await messageOf(next);
    expected.push(next);
    expect(await copies(broken)).toBe(0);
    expect(await copies(oversized)).toBe(0);
  });

  it('resumes after a restart from where it stopped: mail that came meanwhile arrives once, nothing earlier twice', async () => {
    await hub.close();
    const meanwhile = [messageId('meanwhile-1'), messageId('meanwhile-2')];
    for (const [i, id] of meanwhile.entries()) await append(mail({ id, subject: `While the hub was down ${i}`, body: `number ${i}` }));
    // Read by someone in their mail client meanwhile: still new to the hub, so still taken.
    await client.messageFlagsAdd({ header: { 'message-id': meanwhile[1]! } }, ['\\Seen']);
    await start();
    for (const id of meanwhile) await messageOf(id);
    // A sentinel after them: once it is in, nothing else is still on its way.
    const sentinel = messageId('sentinel');
    await append(mail({ id: sentinel, subject: 'Sentinel', body: 'last' }));
    await messageOf(sentinel);
    expected.push(...meanwhile, sentinel);
    const stored = (await pulled()).messages.map((m) => m.externalId).filter((id) => id?.endsWith('@customer.example>'));
    expect(stored.sort()).toEqual([...expected].sort());
  });
});
