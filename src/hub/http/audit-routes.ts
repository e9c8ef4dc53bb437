/**
 * The audit log, for supervisors and admins (403 for everyone else): JSON, or
 * CSV for a spreadsheet. Read only: no route changes or deletes an entry.
 */
import type { FastifyInstance } from 'fastify';
import { type AuditEntry, AuditQuerySchema } from '../../shared/audit';
import { listAudit } from '../repos/audit';
import { requireUser } from './auth-guard';
import type { HubContext } from './context';
import { parseOr400, sendError } from './errors';

const CSV_COLUMNS = ['id', 'at', 'actorId', 'action', 'entity', 'entityId', 'before', 'after', 'reason'] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break.
 * A field a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is
 * prefixed with an apostrophe: a reason or a name is someone's typing (OWASP CSV injection).
 */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsv(entries: AuditEntry[]): string {
  const lines = [CSV_COLUMNS.join(','), ...entries.map((entry) => CSV_COLUMNS.map((column) => csvField(entry[column])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export async function registerAuditRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  await app.register(async (audit) => {
    audit.addHook('preHandler', requireUser(ctx));
    audit.addHook('preHandler', async (request, reply) => {
      const { role } = request.actor!;
      if (role !== 'supervisor' && role !== 'admin') return sendError(reply, 403, 'forbidden', 'only supervisors and admins may read the audit log');
    });

    audit.get('/api/audit', async (request, reply) => {
      const query = parseOr400(reply, AuditQuerySchema, request.query);
      if (!query) return reply;
      return { entries: await listAudit(ctx.db, query) };
    });

    audit.get('/api/audit.csv', async (request, reply) => {
      const query = parseOr400(reply, AuditQuerySchema, request.query);
      if (!query) return reply;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit.csv"')
        .send(auditCsv(await listAudit(ctx.db, query)));
    });
  });
}
