/**
 * The rules of a reply, written once for the composer, the console core and
 * the hub: which channels a customer can be answered on, how long a reply may
 * be there, and the consent policy (by default a brand engages only with
 * posts addressed to it, or with customers who opted in; an admin may relax
 * either half (src/shared/channel-settings.ts); never with one marked
 * do-not-engage, unless a supervisor overrides it with a reason).
 */
import { z } from 'zod';
import { type ConsentPolicy, DEFAULT_CONSENT_POLICY } from './channel-settings';
import { type Channel, type Customer, freeText, type Role } from './domain';
import { mayOversee } from './policy';
import { type Refusal, rejectionOf } from './rejections';

/** Channels a reply can leave on; a device alert, a call or the web form is nothing to reply on. */
export const REPLY_CHANNELS = ['email', 'x', 'facebook', 'instagram', 'mastodon', 'bluesky'] as const satisfies readonly Channel[];
export type ReplyChannel = (typeof REPLY_CHANNELS)[number];
export const isReplyChannel = (channel: Channel): channel is ReplyChannel => (REPLY_CHANNELS as readonly Channel[]).includes(channel);

/**
 * The longest reply each network takes, in characters as people count them
 * (code points): X 280, Mastodon 500 (the default instance limit), Bluesky
 * 300 graphemes, Instagram DMs 1,000, Messenger 2,000; mail is bounded only by
 * the one text rule.
 */
export const REPLY_LIMITS: Record<ReplyChannel, number> = { x: 280, mastodon: 500, bluesky: 300, instagram: 1000, facebook: 2000, email: 20_000 };

/** How many characters a reply counts for on its channel (code points, so an emoji is one, as the networks count it). */
export const replyLength = (body: string): number => [...body].length;

/** Networks where a reply is public and answers a post: consent applies to what it answers. */
const PUBLIC_CHANNELS: ReadonlySet<Channel> = new Set(['x', 'facebook', 'instagram', 'mastodon', 'bluesky']);

/** The customer's identity on a channel (their address or handle), or null when they have none there. */
export function identityOn(customer: Pick<Customer, 'email' | 'handles'>, channel: ReplyChannel): string | null {
  if (channel === 'email') return customer.email;
  return customer.handles[channel] ?? null;
}

/**
 * The channels a case can be answered on, the default first: the case's own
 * channel (when one can reply there), then the customer's preferred one, then
 * every other channel the customer has an identity on.
 */
export function replyChannels(caseChannel: Channel, customer: Pick<Customer, 'email' | 'handles' | 'preferredChannel'> | null): ReplyChannel[] {
  const order: Channel[] = [caseChannel, ...(customer ? [customer.preferredChannel] : []), ...REPLY_CHANNELS];
  const out: ReplyChannel[] = [];
  for (const channel of order) {
    if (!isReplyChannel(channel) || out.includes(channel)) continue;
    // The case's own channel is always offered: the post or mail it answers names whom to reply to.
    if (channel === caseChannel || (customer && identityOn(customer, channel))) out.push(channel);
  }
  return out;
}

/** A supervisor's reason for sending past the consent rule; kept with the reply. */
export const ConsentOverrideSchema = z.object({ reason: freeText(500, z.string().trim().min(3, 'say why (at least 3 characters)')) });
export type ConsentOverride = z.infer<typeof ConsentOverrideSchema>;

/** Overriding consent is oversight (src/shared/policy.ts). */
export const canOverrideConsent = (role: Role): boolean => mayOversee(role);

export interface ReplyContext {
  channel: Channel;
  body: string;
  customer: Pick<Customer, 'consent' | 'doNotEngage'> | null;
  /** The latest inbound message of the case on the reply's channel: what the reply answers; null for a first contact there. */
  answers: { addressed: boolean } | null;
  /** The admin's consent policy; today's rule (only with opt-in) when not given. */
  policy?: ConsentPolicy;
}

/** Why a reply may not go: `reason` a code (`consent`, `channel`, `length`), the English and wording its detail. */
export type ReplyRefusal = Refusal & { reason: 'consent' | 'channel' | 'length' };

/** The consent rule's refusals (src/shared/rejections.ts). */
type ConsentRefusal = 'consentDoNotEngage' | 'consentFirstContact' | 'consentUnaddressed';

/** Which of the consent policy's refusals stops this reply, or null when it allows it. */
function consentRefusalOf(ctx: Pick<ReplyContext, 'channel' | 'customer' | 'answers' | 'policy'>): ConsentRefusal | null {
  // Always honoured, whatever the policy.
  if (ctx.customer?.doNotEngage) return 'consentDoNotEngage';
  if (!PUBLIC_CHANNELS.has(ctx.channel) || ctx.customer?.consent) return null;
  const policy = ctx.policy ?? DEFAULT_CONSENT_POLICY;
  if (!ctx.answers) return policy.firstContact === 'allowed' ? null : 'consentFirstContact';
  if (!ctx.answers.addressed) return policy.unaddressed === 'allowed' ? null : 'consentUnaddressed';
  return null;
}

/** Why the consent policy refuses this reply (its English and wording, no override tried), or null when it allows it. */
export function consentRefusal(ctx: Pick<ReplyContext, 'channel' | 'customer' | 'answers' | 'policy'>): Refusal | null {
  const refusal = consentRefusalOf(ctx);
  return refusal ? rejectionOf(refusal, { override: 'no' }) : null;
}

/**
 * Why this reply may not be sent, or null. A consent refusal is lifted by a
 * supervisor's override; the channel and length never are.
 */
export function refuseReply(ctx: ReplyContext, override?: { role: Role; reason?: string }): ReplyRefusal | null {
  if (!isReplyChannel(ctx.channel)) return { reason: 'channel', ...rejectionOf('notReplyChannel', { channel: ctx.channel }) };
  const limit = REPLY_LIMITS[ctx.channel];
  if (replyLength(ctx.body) > limit) return { reason: 'length', ...rejectionOf('replyTooLong', { channel: ctx.channel, limit }) };
  const consent = consentRefusalOf(ctx);
  if (!consent) return null;
  if (override?.reason && canOverrideConsent(override.role)) return null;
  // Tried by someone who may not: the refusal says only a supervisor may.
  return { reason: 'consent', ...rejectionOf(consent, { override: override?.reason ? 'yes' : 'no' }) };
}
