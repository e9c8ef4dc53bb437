/** The mentions inbox as synced rows: read in the actor's scope, locked for a change, moved with a new rev. */
import { and, eq, sql } from 'drizzle-orm';
import type { Mention, MentionStatus } from '../../shared/domain';
import type { Db } from '../db/connect';
import { toMention } from '../db/rows';
import { mentions } from '../db/schema';
import { type Actor, mentionScope } from './scope';
import { executeRows } from '../db/execute-rows';

export type MentionRow = typeof mentions.$inferSelect;

/** The mention, locked for this transaction, or null when it is missing or outside the actor's scope. */
export async function lockMentionInScope(tx: Db, actor: Actor, id: string): Promise<MentionRow | null> {
  const [row] = await tx
    .select()
    .from(mentions)
    .where(and(eq(mentions.id, id), mentionScope(actor)))
    .for('update');
  return row ?? null;
}

export async function setMentionStatus(tx: Db, id: string, status: MentionStatus, caseId: string | null, rev: number): Promise<Mention> {
  const [row] = await tx
    .update(mentions)
    .set({ status, caseId, rev, version: sql`${mentions.version} + 1`, updatedAt: new Date() })
    .where(eq(mentions.id, id))
    .returning();
  return toMention(row!);
}

export async function findMentionRow(tx: Db, id: string): Promise<MentionRow | null> {
  const [row] = await tx.select().from(mentions).where(eq(mentions.id, id));
  return row ?? null;
}

/** A rev drawn from the sequence, for an update that sets its rev explicitly. */
export async function drawRev(tx: Db): Promise<number> {
  const drawn = await executeRows<{ rev: string }>(tx, sql`SELECT nextval('rev_seq') AS rev`);
  return Number(drawn[0]!.rev);
}
