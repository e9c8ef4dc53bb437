/**
 * Where each streamed channel stopped (channel_cursors): Mastodon's last
 * notification id, Jetstream's last time_us. Both are unsigned integers in
 * decimal, so the cursor compares as a number and only ever moves forward —
 * an event replayed after a reconnect (or seen by a second hub) cannot take it back.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/connect';
import { channelCursors } from '../db/schema';

const DECIMAL = /^\d{1,30}$/;

export async function readChannelCursor(db: Db, channel: string): Promise<string | null> {
  const [row] = await db.select({ cursor: channelCursors.cursor }).from(channelCursors).where(eq(channelCursors.channel, channel));
  return row?.cursor ?? null;
}

/** Moves the channel's cursor to `cursor` unless it already stands there or further. */
export async function advanceChannelCursor(db: Db, channel: string, cursor: string): Promise<void> {
  // Checked here because the comparison below casts to numeric: a bad value must not become a SQL error mid-stream.
  if (!DECIMAL.test(cursor)) throw new Error(`a channel cursor is a decimal number, not "${cursor}"`);
  await db
    .insert(channelCursors)
    .values({ channel, cursor })
    .onConflictDoUpdate({
      target: channelCursors.channel,
      set: { cursor, updatedAt: sql`now()` },
      setWhere: sql`${channelCursors.cursor}::numeric < ${cursor}::numeric`,
    });
}
