/**
 * The audit log, for supervisors and admins (403 for everyone else): JSON, or
 * CSV for a spreadsheet. Read only: no route changes or deletes an entry.
 */
import type { FastifyInstance } from 'fastify';
import { AuditQuerySchema, auditCsv } from '../../shared/audit';
import { mayOversee } from '../../shared/policy';
import { listAudit } from '../repos/audit';
import { requireUser } from './auth-guard';
import type { HubContext } from './context';
import { parseOr400, sendError } from './errors';
import { forbiddenRoleWording } from '../../shared/wording';

export async function registerAuditRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  await app.register(async (audit) => {
    audit.addHook('preHandler', requireUser(ctx));
    audit.addHook('preHandler', async (request, reply) => {
      const { role } = request.actor!;
      if (!mayOversee(role)) return sendError(reply, 403, 'forbidden', 'only supervisors and admins may read the audit log', forbiddenRoleWording(['supervisor', 'admin']));
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
