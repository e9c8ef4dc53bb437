/**
 * Replies by mail through the SMTP relay (nodemailer, pooled): From the first
 * support address, To the customer, the case's `[#number]` in the subject, and
 * In-Reply-To/References so the customer's mail client threads it (their
 * answer then threads back to the case, email/parse.ts). The Message-ID comes
 * from the reply's idempotency key, the same on every attempt, so a mail sent
 * twice (an answer lost after the relay took it) is recognisably one.
 * A 5xx from the relay fails for good; a 4xx or a connection problem is retried.
 */
import nodemailer from 'nodemailer';
import { DeliveryError, type ChannelSender, type OutboundReply, type SendResult } from '../outbound';

export interface EmailSenderConfig {
  /** `smtp://[user:pass@]host:port` or `smtps://…`. */
  relayUrl: string;
  /** The support address replies come from. */
  from: string;
}

/** How long one SMTP step may take; the worker's signal cuts the whole send shorter. */
const SMTP_TIMEOUT_MS = 30_000;

const RE_PREFIX = /^\s*(re|aw|sv|vs)\s*:\s*/i;

/** `Re: {subject} [#{number}]`, however many `Re:` and tokens the subject already has. */
export function replySubject(subject: string, number: number): string {
  let bare = subject.replace(/\s*\[#\d+\]\s*/g, ' ').trim();
  while (RE_PREFIX.test(bare)) bare = bare.replace(RE_PREFIX, '');
  return `Re: ${bare.trim() || 'your request'} [#${number}]`.replace(/\s+/g, ' ');
}

/** `<key@domain>`, with any character a msg-id may not carry replaced. */
export function replyMessageId(idempotencyKey: string, from: string): string {
  const domain = from.slice(from.lastIndexOf('@') + 1) || 'switchboard.invalid';
  return `<${idempotencyKey.replace(/[^\w.!#$%&'*+/=?^`{|}~-]/g, '-')}@${domain}>`;
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  permanent?: boolean;
  message?: string;
}

function deliveryError(error: unknown, signal: AbortSignal): DeliveryError {
  if (signal.aborted) return new DeliveryError('the mail relay did not answer in time', false);
  const failure = (typeof error === 'object' && error !== null ? error : {}) as SmtpFailure;
  const reason = failure.response?.trim() || failure.message || String(error);
  if (failure.responseCode !== undefined) {
    // RFC 5321: 5yz refuses for good, except 503 (a bad command sequence, fine on a new connection).
    const permanent = failure.permanent ?? (failure.responseCode >= 500 && failure.responseCode !== 503);
    return new DeliveryError(reason, permanent);
  }
  // The relay refused every recipient or the message itself without a reply code (no address).
  if (failure.code === 'EENVELOPE' || failure.code === 'EMESSAGE') return new DeliveryError(reason, true);
  return new DeliveryError(`the mail relay could not be reached: ${reason}`, false);
}

export function createEmailSender(config: EmailSenderConfig): ChannelSender {
  const transport = nodemailer.createTransport({
    url: config.relayUrl,
    pool: true,
    maxConnections: 2,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });

  return {
    channel: 'email',
    async send(reply: OutboundReply, signal: AbortSignal): Promise<SendResult> {
      if (!reply.recipient) throw new DeliveryError('the customer has no email address', true);
      const messageId = replyMessageId(reply.idempotencyKey, config.from);
      const answered = reply.answers?.externalId;
      const earlier = reply.answers?.context?.references;
      const references = [...(Array.isArray(earlier) ? earlier : typeof earlier === 'string' ? [earlier] : []), ...(answered ? [answered] : [])];
      try {
        await transport.sendMail({
          from: config.from,
          to: reply.recipient,
          subject: replySubject(reply.case.subject.trim() || String(reply.answers?.context?.subject ?? ''), reply.case.number),
          text: reply.body,
          messageId,
          ...(answered ? { inReplyTo: answered } : {}),
          ...(references.length ? { references } : {}),
          signal,
        });
      } catch (error) {
        throw deliveryError(error, signal);
      }
      return { externalId: messageId };
    },
    close: async () => transport.close(),
  };
}
