import { and, asc, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Case, CaseStatus, Customer, Device, Message } from '../../shared/domain';
import type { Db } from '../db/connect';
import { toCase, toCustomer, toDevice, toMessage } from '../db/rows';
import { cases, customers, devices, messages } from '../db/schema';
import { type Actor, caseScope } from './scope';

export interface CaseFilter {
  queueId?: string;
  status?: CaseStatus;
  limit: number;
  offset: number;
}

export async function listCases(db: Db, actor: Actor, filter: CaseFilter): Promise<{ cases: Case[]; total: number }> {
  const conditions: (SQL | undefined)[] = [caseScope(actor)];
  if (filter.queueId) conditions.push(eq(cases.queueId, filter.queueId));
  if (filter.status) conditions.push(eq(cases.status, filter.status));
  const where = and(...conditions);
  const rows = await db.select().from(cases).where(where).orderBy(desc(cases.createdAt)).limit(filter.limit).offset(filter.offset);
  const [total] = await db.select({ n: count() }).from(cases).where(where);
  return { cases: rows.map(toCase), total: Number(total?.n ?? 0) };
}

/** One case with what a console shows beside it, or null when missing or out of scope. */
export async function getCaseDetail(
  db: Db,
  actor: Actor,
  id: string,
): Promise<{ case: Case; messages: Message[]; customer: Customer | null; device: Device | null } | null> {
  const [row] = await db.select().from(cases).where(and(eq(cases.id, id), caseScope(actor)));
  if (!row) return null;
  // The wire carries milliseconds: order by what consoles see, then by id (UUIDv7, time-ordered), as they do.
  const msgs = await db
    .select()
    .from(messages)
    .where(eq(messages.caseId, id))
    .orderBy(sql`date_trunc('milliseconds', ${messages.createdAt})`, asc(messages.id));
  const [customer] = row.customerId ? await db.select().from(customers).where(eq(customers.id, row.customerId)) : [];
  const [device] = row.deviceId ? await db.select().from(devices).where(eq(devices.id, row.deviceId)) : [];
  return {
    case: toCase(row),
    messages: msgs.map(toMessage),
    customer: customer ? toCustomer(customer) : null,
    device: device ? toDevice(device) : null,
  };
}

export type NewCase = Omit<typeof cases.$inferInsert, 'number' | 'version' | 'rev' | 'createdAt' | 'updatedAt'>;
export type NewMessage = Omit<typeof messages.$inferInsert, 'version' | 'rev' | 'createdAt' | 'updatedAt'>;

export async function insertCase(db: Db, values: NewCase): Promise<Case> {
  const [row] = await db.insert(cases).values(values).returning();
  if (!row) throw new Error('case insert returned nothing');
  return toCase(row);
}

export async function insertMessage(db: Db, values: NewMessage): Promise<Message> {
  const [row] = await db.insert(messages).values(values).returning();
  if (!row) throw new Error('message insert returned nothing');
  return toMessage(row);
}

export async function findCase(db: Db, id: string): Promise<Case | null> {
  const [row] = await db.select().from(cases).where(eq(cases.id, id));
  return row ? toCase(row) : null;
}
