/**
 * Twilio's voice status callbacks → the call's state and, once it ends, a
 * normalised inbound message (the call logged with its duration). Only the
 * fields the hub uses are checked; Twilio's many others pass untouched (the
 * signature covers them all).
 */
import { z } from 'zod';
import { CallSidSchema } from '../../../shared/calls';
import type { InboundMessage } from '../inbound';

export const CALL_STATUSES = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

const ENDED: readonly CallStatus[] = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];
export const callEnded = (status: CallStatus): boolean => ENDED.includes(status);

/** How far a call has got: a callback that does not move it further (repeated, or late) changes nothing. */
export function callStage(status: CallStatus): number {
  if (callEnded(status)) return 4;
  return { queued: 0, initiated: 1, ringing: 2, 'in-progress': 3 }[status as 'queued' | 'initiated' | 'ringing' | 'in-progress'];
}

/** A phone number or SIP/client address as Twilio gives it; the hub matches on its digits. */
const PhoneAddress = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((v) => /\d/.test(v), 'must contain a phone number');

export const CallStatusCallbackSchema = z.object({
  CallSid: CallSidSchema,
  From: PhoneAddress,
  To: PhoneAddress,
  CallStatus: z.enum(CALL_STATUSES),
  CallDuration: z.coerce.number().int().min(0).max(7 * 24 * 3600).optional(),
  /** RFC 2822, on status callbacks; when it fails to parse, the time of arrival is used. */
  Timestamp: z.string().max(100).optional(),
});
export type CallStatusCallback = z.infer<typeof CallStatusCallbackSchema>;

/** "3 min 12 s", "1 h 0 min 5 s", "0 s". */
export function durationInWords(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${m} min ${s} s`;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

function endedAt(callback: CallStatusCallback, now: Date): string {
  const ms = callback.Timestamp ? Date.parse(callback.Timestamp) : Number.NaN;
  return (Number.isFinite(ms) ? new Date(ms) : now).toISOString();
}

/** The ended call as the message logged on the caller's case: it joins their open case, or opens one in `queueId`'s queue. */
export function normaliseEndedCall(callback: CallStatusCallback, queueId: string | null, now = new Date()): InboundMessage {
  const duration = callback.CallDuration ?? 0;
  // An unanswered call lasted nothing worth saying.
  const parts = [`Call from ${callback.From}`, ...(callback.CallStatus === 'completed' || duration > 0 ? [durationInWords(duration)] : []), callback.CallStatus];
  return {
    channel: 'phone',
    externalId: callback.CallSid,
    author: { channel: 'phone', handle: callback.From, displayName: '' },
    body: parts.join(', '),
    thread: { kind: 'customer' },
    addressing: 'addressed',
    language: null,
    url: null,
    at: endedAt(callback, now),
    ...(queueId ? { queueId } : {}),
  };
}
