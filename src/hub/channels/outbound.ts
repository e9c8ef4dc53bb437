/**
 * The outbound contract between the delivery worker (delivery/) and each
 * channel's sender (`<channel>/send.ts`): one reply, one call to the
 * provider. A sender throws DeliveryError to say whether trying again could
 * help; anything else it throws counts as transient.
 */
import type { ReplyChannel } from '../../shared/replies';

/** A provider's reply details of an inbound message, as its adapter wrote them (inbound.ts `replyContext`). */
export type ReplyContext = Record<string, string | string[]>;

export interface OutboundReply {
  /** The reply's message id: the same on every attempt. */
  messageId: string;
  channel: ReplyChannel;
  body: string;
  /** Stable across attempts and hubs: a provider that takes an idempotency key gets this one (Mastodon's `Idempotency-Key`, a Bluesky rkey, the mail's Message-ID). */
  idempotencyKey: string;
  /** 1 on the first attempt. */
  attempt: number;
  case: { id: string; number: number; subject: string };
  /** The customer's identity on the channel (an address, a handle as stored), when known. */
  recipient: string | null;
  /** The inbound message the reply answers (the case's latest on this channel); null for a first contact there. */
  answers: { externalId: string; author: string; context: ReplyContext | null } | null;
}

export interface SendResult {
  /** The provider's id of what it created (tweet id, status id, record URI, Message-ID, comment id…). */
  externalId: string;
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** True when trying again cannot help (a 4xx: refused, not found, too long); the reply fails for good with this reason. */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface ChannelSender {
  readonly channel: ReplyChannel;
  /**
   * True when sending the same reply again (same idempotencyKey) cannot post it twice (Mastodon's
   * Idempotency-Key, a Bluesky rkey looked up first). An attempt cut off mid-call (its hub stopped) is
   * then simply tried again; for other providers it fails as "outcome unknown" for a person to check.
   */
  readonly idempotent?: boolean;
  /** Sends one reply; aborts when `signal` fires (the worker's timeout). */
  send(reply: OutboundReply, signal: AbortSignal): Promise<SendResult>;
  /** Releases connections (an SMTP pool). */
  close?(): Promise<void>;
}
