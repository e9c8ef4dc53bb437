/** Read queries the console screens need, all answered from the cache. */
import type { CaseView, QueueItem } from '../../../shared/api';
import type { Case, CaseStatus, Customer, Device, Message, Queue } from '../../../shared/domain';
import type { Statement } from 'better-sqlite3';
import type { CacheDb } from './database';

export interface QueueFilter {
  queueId?: string;
  status?: CaseStatus | 'active';
  assigneeId?: string | null;
  search?: string;
  limit: number;
  offset?: number;
}

const ACTIVE: CaseStatus[] = ['new', 'open', 'pending', 'on_hold'];
const ORDER = 'ORDER BY c.priority_rank, c.sla_due_at IS NULL, c.sla_due_at, c.created_at';

interface ItemRow {
  data: string;
  customer_name: string | null;
  queue_name: string | null;
  assignee_name: string | null;
}

function toItem(row: ItemRow): QueueItem {
  return { ...(JSON.parse(row.data) as Case), customerName: row.customer_name, queueName: row.queue_name ?? '', assigneeName: row.assignee_name };
}

export function createQueries(db: CacheDb) {
  // The queue's SQL varies with its filters; keep each variant prepared once.
  const statements = new Map<string, Statement<unknown[]>>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare<unknown[]>(sql)));
    return statement;
  };
  const caseById = db.prepare<[string], ItemRow>(`
    SELECT c.data, cu.name AS customer_name, q.name AS queue_name, u.name AS assignee_name
    FROM cases c LEFT JOIN customers cu ON cu.id = c.customer_id LEFT JOIN queues q ON q.id = c.queue_id LEFT JOIN users u ON u.id = c.assignee_id
    WHERE c.id = ?`);
  const messagesOf = db.prepare<[string], { data: string }>('SELECT data FROM messages WHERE case_id = ? ORDER BY created_at, id');
  const customerById = db.prepare<[string], { data: string }>('SELECT data FROM customers WHERE id = ?');
  const deviceById = db.prepare<[string], { data: string }>('SELECT data FROM devices WHERE id = ?');
  const casesOfCustomer = db.prepare<[string, string], { data: string }>(
    'SELECT data FROM cases WHERE customer_id = ? AND id <> ? ORDER BY created_at DESC LIMIT 20',
  );
  const allQueues = db.prepare<[], { data: string }>('SELECT data FROM queues ORDER BY name');
  const countCases = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM cases');

  return {
    /** The queue: filtered, sorted by priority, then SLA due, then age. */
    queue(filter: QueueFilter): { items: QueueItem[]; total: number } {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (filter.queueId) {
        where.push('c.queue_id = ?');
        params.push(filter.queueId);
      }
      if (filter.status === 'active') {
        where.push(`c.status IN (${ACTIVE.map(() => '?').join(', ')})`);
        params.push(...ACTIVE);
      } else if (filter.status) {
        where.push('c.status = ?');
        params.push(filter.status);
      }
      if (filter.assigneeId === null) where.push('c.assignee_id IS NULL');
      else if (filter.assigneeId) {
        where.push('c.assignee_id = ?');
        params.push(filter.assigneeId);
      }
      if (filter.search) {
        where.push("(c.subject LIKE ? ESCAPE '\\' OR cu.name LIKE ? ESCAPE '\\' OR CAST(c.number AS TEXT) = ?)");
        const like = `%${filter.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
        params.push(like, like, filter.search.replace(/^#/, ''));
      }
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const from = `FROM cases c LEFT JOIN customers cu ON cu.id = c.customer_id LEFT JOIN queues q ON q.id = c.queue_id LEFT JOIN users u ON u.id = c.assignee_id ${clause}`;
      const rows = prepared(`SELECT c.data, cu.name AS customer_name, q.name AS queue_name, u.name AS assignee_name ${from} ${ORDER} LIMIT ? OFFSET ?`).all(
        ...params,
        filter.limit,
        filter.offset ?? 0,
      ) as ItemRow[];
      const total = (prepared(`SELECT count(*) AS n ${from}`).get(...params) as { n: number }).n;
      return { items: rows.map(toItem), total };
    },

    caseView(id: string): CaseView | null {
      const row = caseById.get(id);
      if (!row) return null;
      const item = toItem(row);
      const customer = item.customerId ? customerById.get(item.customerId) : undefined;
      const device = item.deviceId ? deviceById.get(item.deviceId) : undefined;
      return {
        case: item,
        messages: messagesOf.all(id).map((m) => JSON.parse(m.data) as Message),
        customer: customer ? (JSON.parse(customer.data) as Customer) : null,
        device: device ? (JSON.parse(device.data) as Device) : null,
        customerCases: item.customerId
          ? casesOfCustomer.all(item.customerId, id).map((r) => {
              const c = JSON.parse(r.data) as Case;
              return { id: c.id, number: c.number, subject: c.subject, status: c.status, channel: c.channel, createdAt: c.createdAt };
            })
          : [],
      };
    },

    queues: (): Queue[] => allQueues.all().map((r) => JSON.parse(r.data) as Queue),
    caseCount: (): number => countCases.get()?.n ?? 0,
  };
}
export type CacheQueries = ReturnType<typeof createQueries>;
