/**
 * A received mail → one normalised inbound message: mailparser reads the
 * MIME, this keeps what the pipeline uses. The Message-ID is the dedupe key
 * (a hash of the raw bytes when the sender set none, so a resent copy is
 * still one message); In-Reply-To, then References (nearest first), find the
 * thread; a `[#1234]` in the subject names a case.
 */
import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { TEXT_LIMITS } from '../../../shared/domain';
import type { InboundMessage } from '../inbound';

export class MalformedMailError extends Error {}

/** Angle-bracketed message ids, as In-Reply-To and References list them. */
const MESSAGE_ID = /<[^<>\s]{1,400}>/g;
const CASE_TOKEN = /\[#(\d{1,9})\]/;
// NUL and unpaired surrogates: Postgres stores neither (see freeText in shared/domain.ts).
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|\p{Cs}/gu;

const storable = (text: string) => text.replace(UNSTORABLE, '\uFFFD');
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const idsIn = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(' ') : (value ?? '')).match(MESSAGE_ID) ?? [];

/** A MIME type as the attachment declares it, or the generic one when it is not a plain `type/subtype`. */
function contentTypeOf(value: string | undefined): string {
  const type = value?.trim().toLowerCase() ?? '';
  return /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : 'application/octet-stream';
}

/** The most ids a reply's References carries (the replyContext limit): the thread's first and the nearest. */
const MAX_REFERENCES = 100;
const MAX_CONTEXT_VALUE = 200;

/**
 * What a reply to this mail needs (email/send.ts): its References as written,
 * oldest first (or, without them, its single In-Reply-To, as RFC 5322 says),
 * which the reply extends with this mail's own id; and its subject.
 */
function mailReplyContext(references: string[], inReplyTo: string[], subject: string): Record<string, string | string[]> | undefined {
  let ids = (references.length ? references : inReplyTo.length === 1 ? inReplyTo : []).filter((id) => id.length <= MAX_CONTEXT_VALUE);
  if (ids.length > MAX_REFERENCES) ids = [ids[0]!, ...ids.slice(-(MAX_REFERENCES - 1))];
  const context: Record<string, string | string[]> = {};
  if (ids.length) context.references = ids;
  if (subject) context.subject = clip(subject, MAX_CONTEXT_VALUE);
  return Object.keys(context).length ? context : undefined;
}

export async function parseMail(raw: Buffer, receivedAt = new Date()): Promise<InboundMessage> {
  let mail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true });
  } catch (error) {
    throw new MalformedMailError(`the message is not well-formed MIME: ${error instanceof Error ? error.message : String(error)}`);
  }
  const from = mail.from?.value.find((address) => address.address);
  if (!from?.address) throw new MalformedMailError('the message has no From address');

  const [inReplyTo, ...olderReplyIds] = idsIn(mail.inReplyTo);
  // References run oldest first: the nearest ancestor is the last.
  const references = [...olderReplyIds, ...idsIn(mail.references).reverse()];
  const replyTo = inReplyTo ?? references.shift();
  const subject = storable(mail.subject?.trim() ?? '');
  const caseToken = CASE_TOKEN.exec(subject);
  // mailparser turns an HTML-only message's HTML into its text.
  const body = clip(storable(mail.text?.trim() ?? ''), TEXT_LIMITS.body);
  const at = mail.date && Number.isFinite(mail.date.getTime()) ? mail.date : receivedAt;
  const messageId = idsIn(mail.messageId)[0] ?? `<sha256-${createHash('sha256').update(raw).digest('hex')}@switchboard.invalid>`;
  const replyContext = mailReplyContext(idsIn(mail.references), idsIn(mail.inReplyTo), subject);

  return {
    channel: 'email',
    externalId: messageId,
    author: { channel: 'email', handle: from.address, displayName: clip(storable(from.name.trim()), 200) },
    body,
    thread: replyTo ? { kind: 'reply', inReplyTo: replyTo, references: references.slice(0, 100) } : null,
    addressing: 'addressed',
    language: null,
    url: null,
    at: at.toISOString(),
    ...(subject ? { subject: clip(subject, 1000) } : {}),
    ...(caseToken ? { caseNumber: Number(caseToken[1]) } : {}),
    ...(replyContext ? { replyContext } : {}),
    attachments: mail.attachments.slice(0, 100).map((attachment, index) => ({
      fileName: clip(storable(attachment.filename?.trim() || `attachment-${index + 1}`), 255),
      contentType: contentTypeOf(attachment.contentType),
      content: attachment.content,
    })),
  };
}
