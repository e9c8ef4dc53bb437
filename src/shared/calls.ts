/**
 * A live call and who is on it (the phone channel, hub channels/voice): the agent who answered a call
 * rung through a queue's number or their extension, told by the console's Answer on the screen pop
 * (`POST /api/calls/:callSid/answer`) or by the provider's `in-progress` callback for a call dialled to
 * their extension. While it lasts the call takes all of that agent's capacity (src/shared/routing.ts
 * `loadOf`); it ends with the provider's final callback.
 */
import { z } from 'zod';

/** Twilio's call SID: CA and 32 hex digits. */
export const CallSidSchema = z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'must be a Twilio call SID (CA + 32 hex digits)');

export const LiveCallSchema = z.object({
  callSid: CallSidSchema,
  /** The agent on the call. */
  userId: z.uuid(),
  /** The caller's number as the provider gave it. */
  from: z.string().min(1).max(100),
  answeredAt: z.iso.datetime({ offset: true }),
});
export type LiveCall = z.infer<typeof LiveCallSchema>;

/** Twilio ends a call at its time limit, 4 hours unless set otherwise (`<Dial timeLimit>`): a call "answered" before that has ended. */
export const LIVE_CALL_MAX_MS = 4 * 3_600_000;

/** `POST /api/calls/:callSid/answer`: the route's parameters (the body is empty). */
export const CallAnswerParamsSchema = z.strictObject({ callSid: CallSidSchema });
/** …and its answer: the call as the hub recorded it (the first agent to answer keeps it). */
export const CallAnswerSchema = z.object({ call: LiveCallSchema });
export type CallAnswer = z.infer<typeof CallAnswerSchema>;
