/**
 * Demo traffic through the hub's real entrances, as the providers send it:
 * signed X Account Activity and Meta page webhooks, mail over SMTP to the
 * hub's own listener, Twilio voice status callbacks, and Mastodon statuses
 * and Bluesky posts published on the provider simulator's networks, which
 * the hub reads over its own streams (notification SSE, Jetstream). Nothing
 * here writes to the database: what the demo shows is what a real
 * deployment would do.
 */
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { metaSignature, META_SIGNATURE_HEADER } from '../channels/meta/signature';
import { TWILIO_SIGNATURE_HEADER, twilioSignature } from '../channels/voice/signature';
import { xSignature, X_SIGNATURE_HEADER } from '../channels/x/signature';
import type { BlueskyPost, ProviderSimulator } from './provider-simulator';
import type { MastodonVisibility } from './simulated-mastodon';

let lastId = BigInt(Date.now()) * 1_000_000n;
const nextId = () => String(++lastId);

export interface Author {
  /** A handle without the @ (X), a name (Facebook), an address (mail), a number (phone). */
  id: string;
  name: string;
}

async function post(url: string, path: string, headers: Record<string, string>, body: string): Promise<void> {
  const response = await fetch(new URL(path, url), { method: 'POST', headers, body });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
}

/** A tweet naming the brand; `toBrand` makes it a reply to the brand (it opens a case), otherwise a mention. */
export async function sendXTweet(hubUrl: string, x: { consumerSecret: string; userId: string }, author: Author, text: string, toBrand: boolean): Promise<void> {
  const id = nextId();
  const userId = String(BigInt(`0x${Buffer.from(author.id).toString('hex').slice(0, 12) || '1'}`));
  const body = JSON.stringify({
    for_user_id: x.userId,
    tweet_create_events: [
      {
        created_at: new Date().toUTCString(),
        id_str: id,
        text,
        in_reply_to_status_id_str: toBrand ? nextId() : null,
        in_reply_to_user_id_str: toBrand ? x.userId : null,
        user: { id_str: userId, name: author.name, screen_name: author.id },
        lang: undefined,
        timestamp_ms: String(Date.now()),
      },
    ],
  });
  await post(hubUrl, '/webhooks/x', { 'content-type': 'application/json', [X_SIGNATURE_HEADER]: xSignature(x.consumerSecret, body) }, body);
}

/** A comment on one of the page's posts (Webhooks for Pages, `feed` change). */
export async function sendMetaComment(hubUrl: string, meta: { appSecret: string; pageId: string }, author: Author, text: string): Promise<void> {
  const postId = `${meta.pageId}_${nextId()}`;
  const body = JSON.stringify({
    object: 'page',
    entry: [
      {
        id: meta.pageId,
        time: Date.now(),
        changes: [
          {
            field: 'feed',
            value: {
              from: { id: nextId(), name: author.name },
              message: text,
              post_id: postId,
              comment_id: `${postId.split('_')[1]}_${nextId()}`,
              created_time: Math.floor(Date.now() / 1000),
              item: 'comment',
              parent_id: postId,
              verb: 'add',
            },
          },
        ],
      },
    ],
  });
  await post(hubUrl, '/webhooks/meta', { 'content-type': 'application/json', [META_SIGNATURE_HEADER]: metaSignature(meta.appSecret, body) }, body);
}

/** A mail to the support address over SMTP, as any mail server would deliver it. */
export async function sendMail(smtpUrl: string, to: string, from: Author, subject: string, text: string): Promise<void> {
  const { hostname, port } = new URL(smtpUrl);
  const transport = nodemailer.createTransport({ host: hostname, port: Number(port), secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: { name: from.name, address: from.id }, to, subject, text });
  } finally {
    transport.close();
  }
}

/** One call's status callbacks, as Twilio posts them: ringing, then completed after `seconds`. */
export async function sendCall(
  hubUrl: string,
  voice: { authToken: string; publicUrl?: string },
  call: { from: string; to: string; seconds: number },
  wait: (ms: number) => Promise<void>,
): Promise<void> {
  const sid = `CA${randomBytes(16).toString('hex')}`;
  const url = `${(voice.publicUrl ?? hubUrl).replace(/\/$/, '')}/webhooks/voice`;
  const callback = async (status: string, extra: Record<string, string> = {}) => {
    const fields: [string, string][] = Object.entries({ CallSid: sid, From: call.from, To: call.to, CallStatus: status, Direction: 'inbound', ApiVersion: '2010-04-01', ...extra });
    const headers = { 'content-type': 'application/x-www-form-urlencoded', [TWILIO_SIGNATURE_HEADER]: twilioSignature(voice.authToken, url, fields) };
    await post(hubUrl, '/webhooks/voice', headers, new URLSearchParams(fields).toString());
  };
  await callback('ringing');
  await wait(call.seconds * 1000);
  await callback('completed', { CallDuration: String(call.seconds) });
}

/** Other Mastodon instances the demo's customers post from. */
const MASTODON_DOMAINS = ['mastodon.example', 'fosstodon.example', 'mstdn.example'];

/** At most `max` characters (the network's limit), cut at a word. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
}

/**
 * A customer's Mastodon status mentioning the brand (a reply to one of its
 * statuses, or a direct message), on the simulated instance: the hub hears of
 * it on its notification stream. `author.id` is a handle, or an acct already.
 */
export function postMastodonStatus(
  sim: Pick<ProviderSimulator, 'postMastodon'>,
  author: Author & { language: string },
  text: string,
  opts: { inReplyToId?: string; visibility?: MastodonVisibility } = {},
): { statusId: string } {
  const acct = author.id.includes('@') ? author.id : `${author.id}@${MASTODON_DOMAINS[author.id.length % MASTODON_DOMAINS.length]}`;
  return sim.postMastodon({ acct, displayName: author.name, text: clip(text, 480), language: author.language, ...opts });
}

/** A customer's Bluesky post, on the simulated network's Jetstream. `author.id` is a handle, or a name to make one of. */
export function postBlueskyPost(
  sim: Pick<ProviderSimulator, 'postBluesky'>,
  author: Author & { language: string },
  text: string,
  opts: Pick<BlueskyPost, 'replyTo' | 'did'> = {},
): { uri: string } {
  const handle = author.id.includes('.') ? author.id : `${author.id}.bsky.social`;
  return sim.postBluesky({ handle, text: clip(text, 300), langs: [author.language], ...opts });
}
