/** The audit log: written in the transaction of the change it records, read newest first; never changed. */
import { and, desc, eq, gte, lt, or, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { AuditAction, AuditEntry, AuditQuery } from '../../shared/audit';
import type { Db } from '../db/connect';
import { auditLog } from '../db/schema';

export interface AuditDraft {
  actorId: string | null;
  action: AuditAction;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export async function recordAudit(tx: Db, drafts: AuditDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  await tx.insert(auditLog).values(auditRows(drafts));
}

/** The audit log's rows for these drafts (for a write that inserts them with others, json-rows.ts). */
export function auditRows(drafts: AuditDraft[]): (typeof auditLog.$inferInsert)[] {
  return drafts.map((d) => ({ id: uuidv7(), actorId: d.actorId, action: d.action, entity: d.entity, entityId: d.entityId, before: d.before ?? null, after: d.after ?? null, reason: d.reason ?? null }));
}

export async function listAudit(db: Db, query: AuditQuery): Promise<AuditEntry[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        query.since ? gte(auditLog.at, new Date(query.since)) : undefined,
        query.until ? lt(auditLog.at, new Date(query.until)) : undefined,
        query.actor ? eq(auditLog.actorId, query.actor) : undefined,
        query.action ? eq(auditLog.action, query.action) : undefined,
        // About the case: it changed, or the change names it (AuditQuerySchema).
        query.caseId
          ? or(
              and(eq(auditLog.entity, 'case'), eq(auditLog.entityId, query.caseId)),
              sql`${auditLog.before}->>'caseId' = ${query.caseId}`,
              sql`${auditLog.after}->>'caseId' = ${query.caseId}`,
            )
          : undefined,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(query.limit);
  return rows.map((r) => ({ ...r, at: r.at.toISOString(), action: r.action as AuditAction, before: r.before ?? null, after: r.after ?? null }));
}
