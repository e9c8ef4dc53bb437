/**
 * Optimistic concurrency for the admin's settings documents (SLA policies,
 * the plan table), as help desks do: a save may say which document the
 * admin's edit started from (`expected`); the write transaction compares it,
 * key order aside (src/shared/documents.ts), with what it keeps and refuses
 * — writing nothing — when another admin saved in between. A save without
 * `expected` replaces whatever is kept (API clients written before it).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/connect';
import { sameDocument } from '../../shared/documents';

export class DocumentChangedError extends Error {
  constructor() {
    super('another admin saved changes since you opened this');
    this.name = 'DocumentChangedError';
  }
}

/** Throws DocumentChangedError (the transaction rolls back) when `expected` is given and is not what is kept. */
export function checkExpected<T>(kept: T, expected: T | undefined): void {
  if (expected !== undefined && !sameDocument(kept, expected)) throw new DocumentChangedError();
}

/** Advisory locks that serialise each document's read-compare-replace across hubs sharing a Postgres (db/write.ts uses 4711, surges 4712). */
export const PLANS_LOCK = 4713;
export const SLA_LOCK = 4714;

/** Taken first in the write transaction: a concurrent save waits, then compares with what this one wrote (also before any first save exists). */
export async function lockDocument(tx: Db, lock: number): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${lock})`);
}
