/**
 * The email channel end to end over real SMTP: a hub with its listener on an
 * ephemeral port, mail sent with nodemailer's SMTP transport (no mocks), and
 * what the pipeline makes of it — cases, customers, threads by In-Reply-To /
 * References and by `[#number]`, dedupe by Message-ID, attachments and their
 * download, and the SMTP errors that store nothing.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Queue } from '../../src/shared/domain';
import { hubOptionsFromCli } from '../../src/hub/config';
import { attachmentDisposition } from '../../src/hub/http/content-disposition';
import { backends, startTestHub, type TestHub } from './backends';
import { liveSockets, pullAll, pulledSince, queuesOf } from './helpers';

const SUPPORT = 'support@switchboard.test';
let serial = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${++serial}`;
const messageId = (label: string) => `<${unique(label)}@customer.example>`;

/** A plain-text SMTP client: the listener offers no STARTTLS to upgrade to and no AUTH. */
const smtpClient = (url: string) => {
  const smtp = new URL(url);
  return nodemailer.createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
};
type SendMailOptions = Parameters<ReturnType<typeof smtpClient>['sendMail']>[0];

describe('email channel configuration', () => {
  it('takes the SMTP port and the support addresses from flags or variables (flags win), and validates them', () => {
    const env = { SWITCHBOARD_SMTP_PORT: '2626', SWITCHBOARD_MAIL_ADDRESSES: 'Help@Example.com, billing@example.com' };
    expect(hubOptionsFromCli([], env)).toMatchObject({ smtpPort: 2626, mailAddresses: ['help@example.com', 'billing@example.com'], explicitPorts: { smtp: true } });
    expect(hubOptionsFromCli(['--smtp-port', '0', '--mail-addresses', 'a@b.test'], env)).toMatchObject({ smtpPort: 0, mailAddresses: ['a@b.test'] });
    expect(hubOptionsFromCli([], {})).toMatchObject({ explicitPorts: { smtp: false } });
    expect(() => hubOptionsFromCli(['--mail-addresses', 'not-an-address'], {})).toThrow('mailAddresses');
    expect(() => hubOptionsFromCli(['--smtp-port', '70000'], {})).toThrow('smtpPort');
  });

  it('names a download safely whatever the file is called', () => {
    expect(attachmentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(attachmentDisposition('отчёт "1".txt')).toBe(`attachment; filename="_____ _1_.txt"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%20%221%22.txt`);
  });
});

describe('the SMTP listener port', () => {
  it('is an error when asked for explicitly and already taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startTestHub(backends[0]!, { demo: false, smtpPort: port })).rejects.toThrow(`smtp: port ${port} is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe.each(backends)('the email channel on $name', (backend) => {
  let hub: TestHub;
  let sam: string;
  let ivan: string;
  let ana: string;
  let support: Queue;
  let cursor: number;
  let transport: ReturnType<typeof smtpClient>;
  const sockets = liveSockets();

  beforeAll(async () => {
    hub = await startTestHub(backend, { smtpPort: 0 });
    transport = smtpClient(hub.smtpUrl!);
    [sam, ivan, ana] = await Promise.all([hub.login('sam'), hub.login('ivan'), hub.login('ana')]);
    const queues = await queuesOf(hub, sam);
    support = queues.find((q) => q.name === 'Support')!;
    cursor = (await pullAll(hub, sam)).cursor;
  });
  afterAll(async () => {
    sockets.closeAll();
    transport?.close();
    await hub?.close();
  });

  const connect = (token: string) => sockets.connect(hub.url, token);

  /** What sam (a supervisor: every case) can pull since the hub started. */
  const pulled = () => pulledSince(hub, sam, cursor);
  const messagesWith = async (externalId: string) => (await pulled()).messages.filter((m) => m.externalId === externalId);
  const emailMessageIds = async () => new Set((await pulled()).messages.filter((m) => m.channel === 'email').map((m) => m.id));
  const send = (mail: SendMailOptions) => transport.sendMail({ from: '"Carla Customer" <carla@customer.example>', to: SUPPORT, ...mail });
  /** The SMTP reply code a refused mail got. */
  const refusal = async (sending: Promise<unknown>) => {
    const error = await sending.then(
      () => null,
      (e: unknown) => e as { responseCode?: number },
    );
    expect(error, 'the mail was accepted').not.toBeNull();
    return error!.responseCode;
  };

  it('reports the channel on in /health and listens where it says', async () => {
    expect(hub.smtpUrl).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    const health = (await (await hub.get('/health')).json()) as { channels: Record<string, string> };
    expect(health.channels).toMatchObject({ email: 'on' });
    await expect(transport.verify()).resolves.toBe(true);
  });

  it('opens a case in Support for a mail from an unknown sender, with a new customer, live to the Support agent', async () => {
    const ivanSocket = await connect(ivan);
    const subject = unique('My router keeps dropping');
    const address = `${unique('newcomer')}@customer.example`;
    const id = messageId('first');
    const upsert = new Promise<Case>((resolve) => ivanSocket.on('case:upsert', (c: Case) => c.subject === subject && resolve(c)));
    const info = await send({ from: `"Nina Newcomer" <${address}>`, subject, text: 'Since yesterday the connection drops every hour.', messageId: id });
    expect(info.accepted).toEqual([SUPPORT]);
    const live = await upsert;
    expect(live).toMatchObject({ queueId: support.id, channel: 'email', status: 'new', subject });
    const [message] = await messagesWith(id);
    expect(message).toMatchObject({ caseId: live.id, direction: 'in', channel: 'email', author: 'Nina Newcomer', body: 'Since yesterday the connection drops every hour.', attachments: [] });
    const customer = (await pulled()).customers.findLast((c) => c.id === live.customerId)!;
    expect(customer).toMatchObject({ name: 'Nina Newcomer', email: address.toLowerCase(), preferredChannel: 'email' });
  });

  it('joins the case of the mail a reply answers, by In-Reply-To or by References alone', async () => {
    const first = messageId('thread');
    await send({ subject: unique('Invoice question'), text: 'Why was I charged twice?', messageId: first });
    const [opening] = await messagesWith(first);
    const reply = messageId('reply');
    await send({ subject: 'Re: Invoice question', text: 'Any news?', messageId: reply, inReplyTo: first, references: [first] });
    // A client that sets References only, with an id the hub never saw before the one it knows.
    const later = messageId('later');
    await send({ subject: 'Re: Re: Invoice question', text: 'Still waiting.', messageId: later, references: [first, reply, messageId('unknown')] });
    expect((await messagesWith(reply))[0]?.caseId).toBe(opening!.caseId);
    expect((await messagesWith(later))[0]?.caseId).toBe(opening!.caseId);
  });

  it('joins case N for a mail from its customer with [#N] in the subject; a stranger naming N opens a case of their own', async () => {
    const first = messageId('numbered');
    await send({ subject: unique('Modem lights'), text: 'All lights are red.', messageId: first });
    const [opening] = await messagesWith(first);
    const caseRow = (await pulled()).cases.findLast((c) => c.id === opening!.caseId)!;
    const follow = messageId('token');
    await send({ subject: `Re: [#${caseRow.number}] Modem lights`, text: 'Still red this morning.', messageId: follow });
    expect((await messagesWith(follow))[0]?.caseId).toBe(caseRow.id);
    // Case numbers are easy to guess: naming one does not put a stranger's words into someone else's case.
    const stranger = messageId('stranger');
    await send({ from: `${unique('stranger')}@elsewhere.example`, subject: `Re: [#${caseRow.number}] Modem lights`, text: 'Same here.', messageId: stranger });
    const [strangers] = await messagesWith(stranger);
    expect(strangers).toBeDefined();
    expect(strangers!.caseId).not.toBe(caseRow.id);
  });

  it('stores a mail sent twice with the same Message-ID once', async () => {
    const id = messageId('twice');
    const subject = unique('Sent twice');
    await send({ subject, text: 'Once.', messageId: id });
    await send({ subject, text: 'Once.', messageId: id });
    expect(await messagesWith(id)).toHaveLength(1);
    expect((await pulled()).cases.filter((c) => c.subject === subject)).toHaveLength(1);
  });

  it('keeps attachments, downloadable by an agent of the case queue and by nobody outside it', async () => {
    const id = messageId('attached');
    const bytes = randomBytes(200_000);
    await send({ subject: unique('Logs attached'), text: 'See the log.', messageId: id, attachments: [{ filename: 'router log.bin', content: bytes, contentType: 'application/octet-stream' }] });
    const [message] = await messagesWith(id);
    expect(message!.attachments).toEqual([{ id: expect.any(String), fileName: 'router log.bin', contentType: 'application/octet-stream', size: bytes.length }]);
    const path = `/api/cases/${message!.caseId}/attachments/${message!.attachments[0]!.id}`;
    const download = await hub.get(path, ivan);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe(attachmentDisposition('router log.bin'));
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    // Ana works Devices and Social: the case is not in her scope, so the file does not exist for her.
    expect((await hub.get(path, ana)).status).toBe(404);
    expect((await hub.get(path)).status).toBe(401);
    // The attachment of another case's message, asked for under this case: 404 too.
    const other = messageId('other');
    await send({ subject: unique('Other case'), text: 'Unrelated.', messageId: other });
    const [otherMessage] = await messagesWith(other);
    expect((await hub.get(`/api/cases/${otherMessage!.caseId}/attachments/${message!.attachments[0]!.id}`, ivan)).status).toBe(404);
  });

  it('refuses a recipient that is not a support address with 550, and stores nothing', async () => {
    const before = await emailMessageIds();
    const refused = messageId('elsewhere');
    expect(await refusal(send({ to: 'someone.else@switchboard.test', subject: unique('Wrong address'), text: 'Hello?', messageId: refused }))).toBe(550);
    const sentinel = messageId('sentinel-rcpt');
    await send({ subject: unique('Sentinel'), text: 'After the refused one.', messageId: sentinel });
    const after = [...(await emailMessageIds())].filter((m) => !before.has(m));
    expect(after).toHaveLength(1);
    expect((await messagesWith(sentinel)).map((m) => m.id)).toEqual(after);
  });

  it('refuses a mail over the size limit with 552, and stores nothing', async () => {
    const before = await emailMessageIds();
    const big = messageId('big');
    const oversized = send({ subject: unique('Huge'), text: 'Too big.', messageId: big, attachments: [{ filename: 'huge.bin', content: randomBytes(8 * 1024 * 1024) }] });
    expect(await refusal(oversized)).toBe(552);
    const sentinel = messageId('sentinel-size');
    await send({ subject: unique('Sentinel'), text: 'After the huge one.', messageId: sentinel });
    const after = [...(await emailMessageIds())].filter((m) => !before.has(m));
    expect((await messagesWith(sentinel)).map((m) => m.id)).toEqual(after);
  });

  it('refuses malformed mail (no From, not MIME) with a 5xx code, and stores nothing', async () => {
    const before = await emailMessageIds();
    const garbage = send({ envelope: { from: 'x@customer.example', to: [SUPPORT] }, raw: 'this is not a mail\r\njust some words\r\n' });
    const code = await refusal(garbage);
    expect(code).toBeGreaterThanOrEqual(500);
    expect(code).toBeLessThan(600);
    const noFrom = send({ envelope: { from: 'x@customer.example', to: [SUPPORT] }, raw: `Subject: no sender\r\nMessage-ID: ${messageId('nofrom')}\r\n\r\nWho am I?\r\n` });
    expect(await refusal(noFrom)).toBe(554);
    const sentinel = messageId('sentinel-malformed');
    await send({ subject: unique('Sentinel'), text: 'After the malformed ones.', messageId: sentinel });
    const after = [...(await emailMessageIds())].filter((m) => !before.has(m));
    expect((await messagesWith(sentinel)).map((m) => m.id)).toEqual(after);
  });
});
