/** What crosses between the core's thread and its pull thread (pull-thread.ts, pull-thread-entry.ts), each side checking what it receives. */
import { z } from 'zod';
import { StartFailureSchema } from './worker-messages';

export const PullThreadDataSchema = z.object({
  dataDir: z.string(),
  /** The cache's key, as the core's connection read it: the thread opens a second connection with it. */
  key: z.instanceof(Uint8Array),
  nativeBinding: z.string().optional(),
});
export type PullThreadData = z.infer<typeof PullThreadDataSchema>;

export const ToPullThreadSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fetch'), id: z.number().int(), hubUrl: z.string(), token: z.string(), cursor: z.number().int().min(0), limit: z.number().int().min(1) }),
  z.object({ type: z.literal('write'), id: z.number().int(), nextCursor: z.number().int().min(0), afterOffline: z.boolean(), me: z.string().nullable() }),
  z.object({ type: z.literal('drop'), id: z.number().int() }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('close') }),
]);
export type ToPullThread = z.infer<typeof ToPullThreadSchema>;

export const FromPullThreadSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('fetched'), id: z.number().int(), page: z.object({ cursor: z.number(), hasMore: z.boolean(), head: z.number().optional(), scope: z.string().optional(), count: z.number().int() }) }),
  z.object({ type: z.literal('written'), id: z.number().int(), written: z.object({ applied: z.number().int(), caseIds: z.array(z.string()), othersChanged: z.boolean(), mentionsChanged: z.boolean() }) }),
  z.object({ type: z.literal('cancelled'), id: z.number().int() }),
  /** A fetch or write that failed, or (no id) the thread's start. */
  z.object({ type: z.literal('failed'), id: z.number().int().optional(), error: StartFailureSchema }),
  z.object({ type: z.literal('closed') }),
]);
export type FromPullThread = z.infer<typeof FromPullThreadSchema>;
