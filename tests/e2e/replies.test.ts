/**
 * Replies really leave, end to end in Chromium: the hub's outbound providers
 * are this test's own provider simulator (an SMTP sink and a local X API).
 * A mail arrives over SMTP, the agent answers it in the console, and the
 * sink receives the answer threaded to the original; a mention arrives, is
 * converted and answered, and the local X server receives the reply to the
 * tweet. Marking the customer do-not-engage stops the next reply in the
 * composer, saying why.
 */
import nodemailer from 'nodemailer';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoOutboundOptions, type ProviderSimulator, startProviderSimulator } from '../../src/hub/demo/provider-simulator';
import { newXUser, postX, tweet, xActivity } from '../hub/x-webhooks';
import { openBySubject, shotPath, startSignedIn, type E2eEnv } from './harness';

const WAIT = { timeout: 20_000 };

describe('replies leave on their channel (Chromium)', () => {
  let sim: ProviderSimulator;
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    sim = await startProviderSimulator({ port: 0, smtpPort: 0 });
    // dewi: an agent of Social (X) and Support (email).
    ({ env, page } = await startSignedIn('dewi', { hub: { ...demoOutboundOptions(sim), delivery: { pollMs: 200 } } }));
  });
  afterAll(async () => {
    await env?.stop();
    await sim?.close();
  });


  async function send(text: string) {
    await page.getByTestId('composer-input').fill(text);
    await page.getByTestId('composer-send').click();
    const sent = page.locator('[data-testid="message"]', { hasText: text }).locator('[data-testid="message-delivery"][data-status="sent"]');
    await sent.waitFor(WAIT);
  }

  it('answers a mail in the console, and the relay receives the answer threaded to it', async () => {
    const subject = `Router drops every evening ${Date.now()}`;
    const original = `<${uuidv7()}@customer.example>`;
    const smtp = new URL(env.hub.smtpUrl!);
    const transport = nodemailer.createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
    await transport.sendMail({ from: 'Maja Customer <maja@customer.example>', to: 'support@switchboard.test', subject, text: 'Since Monday, every evening at 8.', messageId: original });
    transport.close();

    await openBySubject(page, subject);
    expect(await page.getByTestId('composer-channel').inputValue()).toBe('Email');
    await send('Thanks Maja, we pushed a fix to your router. Does it hold tonight?');

    const mail = await sim.waitFor((c) => c.endpoint === 'SMTP DATA' && c.mail?.inReplyTo === original, WAIT.timeout);
    expect(mail.envelope?.to).toEqual(['maja@customer.example']);
    expect(mail.mail!.subject).toMatch(new RegExp(`^Re: ${subject} \\[#\\d+\\]$`));
    expect(mail.mail!.references).toEqual(original);
    expect(mail.mail!.text?.trim()).toBe('Thanks Maja, we pushed a fix to your router. Does it hold tonight?');
    await page.screenshot({ path: shotPath('email-reply-sent-1440.png') });
  });

  it('converts a mention and answers it: the local X server receives the reply to the tweet', async () => {
    const text = `@switchboard is the thermostat app down? ${Date.now()}`;
    const post = tweet(newXUser('fan'), text);
    expect((await postX(env.hub.url, xActivity({ tweets: [post] }))).status).toBe(200);

    await page.locator('[data-testid="queue-nav-item"][data-view="mentions"]').click();
    const row = page.locator('[data-testid="mention-row"]', { hasText: text });
    await row.waitFor(WAIT);
    await row.getByRole('button', { name: 'Convert' }).click();
    await page.getByTestId('convert-submit').click();
    await expect.poll(() => page.getByTestId('message-timeline').textContent(), WAIT).toContain(text);

    await send('Not down: an update is rolling out, it is back in 10 minutes.');
    const call = await sim.waitFor((c) => c.endpoint === 'POST /2/tweets' && (c.body as { reply?: { in_reply_to_tweet_id?: string } }).reply?.in_reply_to_tweet_id === post.id_str, WAIT.timeout);
    expect((call.body as { text: string }).text).toBe('Not down: an update is rolling out, it is back in 10 minutes.');
  });

  it('stops a reply to a customer marked do-not-engage in the composer, saying why', async () => {
    // Still on the converted case: its customer asks not to be contacted.
    await page.getByTestId('consent-menu').click();
    await page.getByRole('menuitem', { name: 'Do not engage' }).click();
    await page.getByTestId('do-not-engage').waitFor(WAIT);
    await page.getByTestId('composer-input').fill('One more thing…');
    const consent = page.getByTestId('composer-consent');
    await consent.waitFor(WAIT);
    expect(await consent.textContent()).toContain('do-not-engage');
    expect(await page.getByTestId('composer-send').isDisabled()).toBe(true);
    // An agent has no override.
    expect(await page.getByTestId('composer-override').count()).toBe(0);
    await page.screenshot({ path: shotPath('do-not-engage-1440.png') });
  });
});
