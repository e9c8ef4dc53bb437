/**
 * The mentions inbox: posts that name the brand, synced like cases. A
 * convert or dismiss made here is laid over the hub's row (kept in `base`)
 * until the hub's row of that version arrives, so the list changes at once
 * and never flickers back.
 */
import type { MentionItem } from '../../../../shared/api';
import type { Channel, Mention, MentionStatus } from '../../../../shared/domain';
import { epochMs } from '../columns';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { CacheDb } from '../database';
import { createDocumentRepo } from './documents';
import type { OutboxRepo } from './outbox';

export interface MentionFilter {
  status?: MentionStatus;
  channel?: Channel;
  language?: string;
  limit: number;
}

interface ItemRow {
  data: string;
  customer_name: string | null;
  pending: number;
}

const ITEM_COLUMNS = `m.data, cu.name AS customer_name,
  (SELECT count(*) FROM outbox o WHERE o.entity_id = m.id AND o.acked_version IS NULL) AS pending`;

const toItem = (row: ItemRow): MentionItem => ({ ...(JSON.parse(row.data) as Mention), customerName: row.customer_name, pendingChanges: row.pending });

export function createMentionsRepo(db: CacheDb, outbox: OutboxRepo) {
  const itemById = db.prepare<[string], ItemRow>(
    `SELECT ${ITEM_COLUMNS} FROM mentions m LEFT JOIN customers cu ON cu.id = json_extract(m.data, '$.customerId') WHERE m.id = ?`,
  );
  // The list's SQL depends on which filters are set (a few shapes): prepare each shape once.
  const shapes = new Map<string, Database.Statement<unknown[]>>();
  const prepared = (sql: string) => {
    let statement = shapes.get(sql);
    if (!statement) shapes.set(sql, (statement = db.prepare<unknown[]>(sql)));
    return statement;
  };
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM mentions WHERE status = ?');
  const overlay = (row: Mention): Mention => {
    const local = outbox.mentionOverlayFor(row.id, row.version);
    return local ? { ...row, ...local } : row;
  };
  const repo = createDocumentRepo<Mention>(
    db,
    'mentions',
    { status: (m) => m.status, channel: (m) => m.channel, language: (m) => m.language, queue_id: (m) => m.queueId, at_ms: (m) => epochMs(m.at) },
    { overlay },
  );

  return {
    ...repo,
    /** Newest first: the inbox is read from the top. */
    list(filter: MentionFilter): { items: MentionItem[]; total: number } {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (filter.status) {
        where.push('m.status = ?');
        params.push(filter.status);
      }
      if (filter.channel) {
        where.push('m.channel = ?');
        params.push(filter.channel);
      }
      if (filter.language) {
        // "pt" matches "pt-BR" too: people filter by language, not by region.
        where.push("(m.language = ? OR m.language LIKE ? ESCAPE '\\')");
        params.push(filter.language, `${filter.language.replace(/[\\%_]/g, (ch) => `\\${ch}`)}-%`);
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const rows = prepared(
        `SELECT ${ITEM_COLUMNS} FROM mentions m LEFT JOIN customers cu ON cu.id = json_extract(m.data, '$.customerId') ${clause} ORDER BY m.at_ms DESC, m.id LIMIT ?`,
      ).all(...params, filter.limit) as ItemRow[];
      const total = (prepared(`SELECT count(*) AS n FROM mentions m ${clause}`).get(...params) as { n: number }).n;
      return { items: rows.map(toItem), total };
    },
    item(id: string): MentionItem | null {
      const row = itemById.get(id);
      return row ? toItem(row) : null;
    },
    countWithStatus: (status: MentionStatus): number => count.get(status)?.n ?? 0,
  };
}
export type MentionsRepo = ReturnType<typeof createMentionsRepo>;
