/**
 * The real channels in the console, end to end in Chromium against a real
 * demo hub: a post naming the brand (a signed X webhook) arrives live in the
 * mentions inbox with a toast, and converting it opens the case the hub makes
 * of it, whose composer knows its channel and limit; a ringing call (a signed
 * Twilio status callback) pops the caller's customer and cases, and an
 * unknown caller gets the new-case form with their number.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_MAIL_ADDRESSES } from '../../src/hub/config';
import { DEMO_PHONE_NUMBER } from '../../src/hub/demo/dataset';
import type { Customer } from '../../src/shared/domain';
import { SyncPullResponseSchema } from '../../src/shared/protocol';
import { newXUser, postX, tweet, xActivity } from '../hub/x-webhooks';
import { shotPath, startSignedIn, type E2eEnv } from './harness';
import { hubLogin } from './hub-http';

const WAIT = { timeout: 15_000 };
const DEMO_VOICE_TOKEN = 'demo-voice-token';

/** X's Account Activity delivery of one tweet naming the brand, signed as X signs it. */
async function postMention(hubUrl: string, text: string): Promise<void> {
  expect((await postX(hubUrl, xActivity({ tweets: [tweet(newXUser('fan'), text)] }))).status).toBe(200);
}

/** A Twilio status callback, signed over the URL the hub sees (no public URL configured in the demo). */
async function postRinging(hubUrl: string, from: string): Promise<string> {
  const sid = `CA${randomBytes(16).toString('hex')}`;
  const fields: Record<string, string> = { AccountSid: 'AC0123456789abcdef0123456789abcdef', CallSid: sid, CallStatus: 'ringing', Direction: 'inbound', From: from, To: DEMO_PHONE_NUMBER, ApiVersion: '2010-04-01' };
  const url = new URL('/webhooks/voice', hubUrl).href;
  const signature = createHmac('sha1', DEMO_VOICE_TOKEN)
    .update(url + Object.keys(fields).sort().map((k) => k + fields[k]).join(''))
    .digest('base64');
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(fields).toString() });
  expect(response.status).toBe(200);
  return sid;
}

/** Every customer a user's pull brings. */
async function pulledCustomers(hubUrl: string, username: string): Promise<Customer[]> {
  const token = await hubLogin(hubUrl, username);
  const customers: Customer[] = [];
  for (let cursor = 0; ; ) {
    const response = await fetch(new URL('/api/sync/pull', hubUrl), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ cursor, limit: 5000 }) });
    const page = SyncPullResponseSchema.parse(await response.json());
    for (const change of page.changes) if (change.op === 'upsert' && change.entity === 'customer') customers.push(change.row as Customer);
    cursor = page.cursor;
    if (!page.hasMore) return customers;
  }
}

/** A customer in dewi's cache whose phone number no other customer has (a supervisor sees them all). */
async function customerWithPhone(hubUrl: string): Promise<Customer> {
  const [all, dewis] = await Promise.all([pulledCustomers(hubUrl, 'sam'), pulledCustomers(hubUrl, 'dewi')]);
  const digits = (p: string | null) => p?.replace(/\D/g, '') ?? '';
  const found = dewis.find((c) => c.phone && all.filter((o) => digits(o.phone) === digits(c.phone)).length === 1);
  if (!found) throw new Error('the demo data has no customer of dewi’s with a phone number of their own');
  return found;
}

/** What the page's `document.getAnimations()` gives (this file is typed for Node, without the DOM). */
type PageAnimations = { document: { getAnimations(): { playState: string; effect: { getTiming(): { iterations?: number } } | null }[] } };
// Endless animations (a spinner) do not count.
const dialogsSettled = (page: Page) =>
  page.waitForFunction(() =>
    (globalThis as unknown as PageAnimations).document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
  );

describe('channels in the console (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    // dewi: an agent of Social (X's queue: its mentions) and Support (the demo phone number's).
    ({ env, page } = await startSignedIn('dewi'));
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('shows a mention that arrives live, with a toast and the count, and converting it opens the case the hub makes', async () => {
    const nav = page.locator('[data-testid="queue-nav-item"][data-view="mentions"]');
    await nav.click();
    await page.getByTestId('mentions-view').waitFor(WAIT);
    const count = page.getByTestId('mentions-count');
    const before = Number(await count.getAttribute('data-count'));

    const text = `@switchboard my thermostat shows E7 since the update ${Date.now()}`;
    await postMention(env.hub.url, text);
    const row = page.locator('[data-testid="mention-row"]', { hasText: text });
    await row.waitFor(WAIT);
    await expect.poll(() => page.locator('[data-testid="mention-toast"]', { hasText: text }).count(), WAIT).toBe(1);
    await expect.poll(async () => Number(await count.getAttribute('data-count')), WAIT).toBe(before + 1);
    expect(await row.getAttribute('data-status')).toBe('new');
    await page.screenshot({ path: shotPath('mentions-1440.png') });

    // Keyboard: the row is reachable with the arrows, c opens the convert dialog, Enter converts.
    await page.locator('[data-mentions-viewport]').focus();
    const index = await page.locator('[data-testid="mention-row"]').evaluateAll((rows, t) => rows.findIndex((r) => r.textContent?.includes(t)), text);
    for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => row.getAttribute('data-selected'), WAIT).toBe('true');
    await page.keyboard.press('c');
    await page.getByTestId('convert-submit').waitFor(WAIT);
    await page.getByTestId('convert-submit').click();

    // The hub opens the case; the console opens it as soon as it arrives, with the post in it.
    const view = page.getByTestId('case-view');
    await view.waitFor(WAIT);
    await expect.poll(() => page.getByTestId('message-timeline').textContent(), WAIT).toContain(text);
    await expect.poll(async () => Number(await count.getAttribute('data-count')), WAIT).toBe(before);
    // It left the "new" list.
    await expect.poll(() => row.count(), WAIT).toBe(0);

    // The composer replies on X, counting to X's 280 and refusing past it.
    const channel = page.getByTestId('composer-channel');
    expect(await channel.inputValue()).toBe('X');
    await page.getByTestId('composer-input').fill('a'.repeat(281));
    await expect.poll(() => page.getByTestId('composer-counter').getAttribute('data-over'), WAIT).toBe('true');
    expect(await page.getByTestId('composer-send').isDisabled()).toBe(true);
    await page.getByTestId('composer-input').fill('Sorry about that! Could you send us a DM with the serial number?');
    await expect.poll(() => page.getByTestId('composer-counter').textContent(), WAIT).toBe('64 / 280');
    expect(await page.getByTestId('composer-send').isDisabled()).toBe(false);
    await page.screenshot({ path: shotPath('converted-case-1440.png') });
    await page.getByTestId('composer-send').click();
    // The reply goes to the hub and comes back with its delivery.
    await expect.poll(() => page.locator('[data-testid="message-delivery"]').count(), WAIT).toBeGreaterThan(0);
  });

  it('pops a ringing call with the caller’s customer, and an unknown caller gets the new-case form with the number', async () => {
    const customer = await customerWithPhone(env.hub.url);
    await postRinging(env.hub.url, customer.phone!);
    const pop = page.getByTestId('call-pop-from');
    await pop.waitFor(WAIT);
    expect(await page.getByTestId('call-pop-from').textContent()).toBe(customer.phone);
    expect(await page.getByTestId('call-pop-customer-name').textContent()).toBe(customer.name);
    expect((await page.getByTestId('call-pop-plan').textContent())?.toLowerCase()).toBe(customer.plan);
    await dialogsSettled(page);
    await page.screenshot({ path: shotPath('call-pop-1440.png') });
    const firstCase = page.getByTestId('call-pop-case').first();
    if ((await firstCase.count()) > 0) {
      const caseId = await firstCase.getAttribute('data-case-id');
      await firstCase.click();
      await expect.poll(() => page.getByTestId('case-view').getAttribute('data-case-id'), WAIT).toBe(caseId);
    } else {
      await page.getByTestId('call-pop-dismiss').click();
    }
    await expect.poll(() => pop.isVisible(), WAIT).toBe(false);

    const unknown = `+1555${String(Date.now()).slice(-7)}`;
    await postRinging(env.hub.url, unknown);
    await page.getByTestId('call-pop-unknown').waitFor(WAIT);
    await page.setViewportSize({ width: 1024, height: 700 });
    await dialogsSettled(page);
    await page.screenshot({ path: shotPath('call-pop-unknown-1024.png') });
    await page.getByTestId('call-pop-new-customer').click();
    await page.getByTestId('new-case-subject').waitFor(WAIT);
    expect(await page.getByTestId('new-case-subject').inputValue()).toBe(`Call from ${unknown}`);
    expect(await page.getByTestId('new-case-note').inputValue()).toContain(unknown);
    await dialogsSettled(page);
    await page.screenshot({ path: shotPath('new-case-1024.png') });
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(() => page.getByTestId('new-case-subject').count(), WAIT).toBe(0);

    // A new case for a known customer: found in the local cache by their number as typed, with spaces.
    await page.getByTestId('new-case-button').click();
    await page.getByTestId('new-case-subject').fill('Called about the thermostat display');
    const spaced = customer.phone!.replace(/\D/g, '').replace(/(\d{3})(?=\d)/g, '$1 ');
    await page.getByTestId('new-case-customer').fill(spaced);
    await page.getByRole('option', { name: customer.name }).click();
    await page.getByTestId('new-case-submit').click();
    await expect.poll(() => page.getByTestId('customer-summary').textContent(), WAIT).toContain(customer.name);
  });

  it('lists a mail’s attachment on its message and downloads it through the console', async () => {
    const smtp = new URL(env.hub.smtpUrl!);
    const transport = nodemailer.createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
    const bytes = randomBytes(30_000);
    const subject = `Router log attached ${Date.now()}`;
    await transport.sendMail({ from: 'Nina Newcomer <nina@example.org>', to: DEFAULT_MAIL_ADDRESSES[0], subject, text: 'The log is attached.', attachments: [{ filename: 'router log.bin', content: bytes, contentType: 'application/octet-stream' }] });
    transport.close();

    await page.locator('[data-testid="queue-nav-item"][data-view="all"]').click();
    await page.getByTestId('queue-search').fill(subject);
    const row = page.locator('[data-testid="queue-row"]', { hasText: subject });
    await row.waitFor(WAIT);
    await row.click();
    const attachment = page.getByTestId('message-attachment');
    await attachment.waitFor(WAIT);
    expect(await attachment.textContent()).toContain('router log.bin');
    expect(await attachment.textContent()).toContain('29 KB');
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.getByTestId('attachment-download').click()]);
    expect(download.suggestedFilename()).toBe('router log.bin');
    expect((await readFile((await download.path())!)).equals(bytes)).toBe(true);
  });

  it('dismisses a mention with the keyboard and adds another to an existing case picked by number', async () => {
    await page.locator('[data-testid="queue-nav-item"][data-view="all"]').click();
    await page.getByTestId('queue-search').fill('');
    const first = page.getByTestId('queue-row').first();
    await first.waitFor(WAIT);
    const [caseId, number] = await Promise.all([first.getAttribute('data-case-id'), first.getAttribute('data-case-number')]);

    await page.locator('[data-testid="queue-nav-item"][data-view="mentions"]').click();
    await page.getByTestId('mentions-view').waitFor(WAIT);
    const stamp = Date.now();
    const noise = `@switchboard first! ${stamp}`;
    const useful = `@switchboard the same E7 error here ${stamp}`;
    await postMention(env.hub.url, noise);
    await postMention(env.hub.url, useful);
    const noiseRow = page.locator('[data-testid="mention-row"]', { hasText: noise });
    const usefulRow = page.locator('[data-testid="mention-row"]', { hasText: useful });
    await Promise.all([noiseRow.waitFor(WAIT), usefulRow.waitFor(WAIT)]);
    const count = page.getByTestId('mentions-count');
    const before = Number(await count.getAttribute('data-count'));

    await noiseRow.getByTestId('mention-body').click();
    await page.keyboard.press('d');
    await expect.poll(() => noiseRow.count(), WAIT).toBe(0);
    await expect.poll(async () => Number(await count.getAttribute('data-count')), WAIT).toBe(before - 1);

    await usefulRow.getByTestId('mention-convert').click();
    await page.getByTestId('convert-into').getByText('Add to an existing case').click();
    await page.getByTestId('convert-case').fill(`#${number}`);
    await page.getByRole('option', { name: new RegExp(`^#${number} `) }).click();
    await page.getByTestId('convert-submit').click();
    await expect.poll(() => page.getByTestId('case-view').getAttribute('data-case-id'), WAIT).toBe(caseId);
    // The post joins the case's conversation once the hub has applied it.
    await expect.poll(() => page.getByTestId('message-timeline').textContent(), WAIT).toContain(useful);
    await expect.poll(async () => Number(await count.getAttribute('data-count')), WAIT).toBe(before - 2);
  });
});
