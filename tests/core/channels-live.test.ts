/**
 * Mentions and replies between a real demo hub and a console core: a post
 * that names the brand (a signed X webhook) reaches the core live, is listed
 * and counted; converting it (pushed) gives the case the hub opens, under the
 * id the core told the UI; a reply on it comes back from the hub with its
 * delivery; a mail's attachment is listed, and its bytes come through the
 * console API from the hub.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAIL_ADDRESSES } from '../../src/hub/config';
import type { RunningHub } from '../../src/hub/hub';
import type { ApiEvents } from '../../src/shared/api';
import { newXUser, postX, tweet, xActivity } from '../hub/x-webhooks';
import { call, loginVia, ok, type ProxiedConsole, proxiedConsole } from './console-fixture';
import { tempDir } from './fixtures';
import { startDemoHub, waitFor } from './hub-fixture';

describe('mentions and replies with a real hub', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let sam: ProxiedConsole;

  beforeAll(async () => {
    dir = await tempDir('switchboard-channels-live-');
    hub = await startDemoHub(dir.path);
    sam = await proxiedConsole(hub.url, join(dir.path, 'sam'));
    await loginVia(sam, 'sam');
  });
  afterAll(async () => {
    await sam?.close();
    await hub?.close();
    await dir?.remove();
  });

  it('gets a mention live, counts it, converts it into the case the hub opens, and replies with a delivery', async () => {
    const before = (await ok(sam.core, 'mentions.list', { status: 'new', limit: 1 })).total;
    const arrived: ApiEvents['mentions:changed'][] = [];
    sam.core.events.on('mentions:changed', (e) => arrived.push(e));
    // A tweet naming the brand, as X's Account Activity API delivers it, signed.
    const fan = newXUser('fan');
    const post = tweet(fan, '@switchboard my thermostat keeps rebooting at night');
    expect((await postX(hub.url, xActivity({ tweets: [post] }))).status).toBe(200);

    const event = await waitFor(() => arrived.find((e) => e.arrived.some((m) => m.externalId === post.id_str)), { timeoutMs: 10_000, what: 'mention:new in the core' });
    const mention = event.arrived.find((m) => m.externalId === post.id_str)!;
    expect(mention).toMatchObject({ channel: 'x', status: 'new', author: `@${fan.screen_name}`, pendingChanges: 0 });
    expect((await ok(sam.core, 'mentions.list', { status: 'new', limit: 1 })).total).toBe(before + 1);
    expect((await ok(sam.core, 'mentions.list', { channel: 'x', limit: 50 })).items.map((m) => m.id)).toContain(mention.id);

    const { caseId, mention: shown } = await ok(sam.core, 'mentions.convert', { id: mention.id });
    expect(shown.status).toBe('converted');
    await ok(sam.core, 'sync.now', {});
    // The hub opened the case under the id the core promised, with the post in it.
    const view = await waitFor(() => ok(sam.core, 'cases.get', { id: caseId }), { timeoutMs: 10_000, what: 'the converted case' });
    expect(view.case.channel).toBe('x');
    expect(view.messages.map((m) => m.externalId)).toContain(post.id_str);
    const settled = await waitFor(
      async () => (await ok(sam.core, 'mentions.list', { status: 'converted', limit: 500 })).items.find((m) => m.id === mention.id && m.pendingChanges === 0 && m.version > mention.version),
      { timeoutMs: 10_000, what: "the hub's converted mention row" },
    );
    expect(settled.caseId).toBe(caseId);
    expect((await ok(sam.core, 'mentions.list', { status: 'new', limit: 1 })).total).toBe(before);

    // A reply on it: the hub's row comes back with its delivery, and the cache returns it.
    const reply = await ok(sam.core, 'cases.reply', { id: caseId, body: 'Sorry to hear that — we are looking into it.', channel: 'x' });
    expect(reply.delivery?.status).toBe('queued');
    await ok(sam.core, 'sync.now', {});
    const confirmed = await waitFor(
      async () => (await ok(sam.core, 'cases.get', { id: caseId }))?.messages.find((m) => m.id === reply.id && m.rev > 0),
      { timeoutMs: 10_000, what: "the hub's row of the reply" },
    );
    expect(confirmed.delivery).not.toBeNull();
    expect(['queued', 'sent', 'failed']).toContain(confirmed.delivery!.status);
  });

  it('downloads an attachment of a mail through the console API, and says so when the hub is unreachable', async () => {
    const smtp = new URL(hub.smtpUrl!);
    const transport = nodemailer.createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
    const bytes = randomBytes(40_000);
    const subject = `Router log ${Date.now()}`;
    await transport.sendMail({ from: 'Nina Newcomer <nina@example.org>', to: DEFAULT_MAIL_ADDRESSES[0], subject, text: 'See the log attached.', attachments: [{ filename: 'router log.bin', content: bytes, contentType: 'application/octet-stream' }] });
    transport.close();

    const found = await waitFor(
      async () => {
        await ok(sam.core, 'sync.now', {});
        const item = (await ok(sam.core, 'cases.list', { search: subject, limit: 5 })).items[0];
        const view = item ? await ok(sam.core, 'cases.get', { id: item.id }) : null;
        const message = view?.messages.find((m) => m.attachments.length > 0);
        return message ? { caseId: item!.id, attachment: message.attachments[0]! } : null;
      },
      { timeoutMs: 15_000, what: 'the mail with its attachment in the cache' },
    );
    expect(found.attachment).toMatchObject({ fileName: 'router log.bin', size: bytes.length });

    const file = await ok(sam.core, 'attachments.download', { caseId: found.caseId, attachmentId: found.attachment.id });
    expect(file).toMatchObject({ fileName: 'router log.bin', contentType: 'application/octet-stream', size: bytes.length });
    expect(Buffer.from(file.base64, 'base64').equals(bytes)).toBe(true);

    // Not an attachment of this case: refused by the core before asking the hub.
    const wrong = await call(sam.core, 'attachments.download', { caseId: found.caseId, attachmentId: '01900000-0000-7000-8000-000000000000' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // The bytes live on the hub: offline, the download says the hub is unreachable.
    sam.proxy.setOnline(false);
    try {
      const offline = await call(sam.core, 'attachments.download', { caseId: found.caseId, attachmentId: found.attachment.id });
      expect(offline).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    } finally {
      sam.proxy.setOnline(true);
    }
  });
});
