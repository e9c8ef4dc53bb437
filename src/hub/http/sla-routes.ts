/**
 * The SLA policies (hub sla/policies.ts): read and replaced by admins only,
 * the replacement audited (`sla.update`). New cases use it at once on every
 * hub (they read it in their own transaction); the breach watcher's copy
 * follows within seconds. The admin may say why (`reason`, kept with the
 * audit row). With `expected` (the document the admin's edit started from)
 * it saves only while the hub still keeps that: else 409 `conflict`, nothing
 * changed (sla/expected.ts). The saved document is announced to every console (`sla:changed`),
 * and every signed-in console reads it (GET /api/settings/sla): its SLA
 * countdown follows each case's own policy (paused statuses, business hours,
 * warning lead). The policies hold nothing secret.
 */
import type { FastifyInstance } from 'fastify';
import { type SlaSettings, SlaSaveInputSchema } from '../../shared/protocol';
import { readSlaSettings, writeSlaSettings } from '../sla/policies';
import { requireUser } from './auth-guard';
import type { HubContext } from './context';
import { parseOr400, sendError } from './errors';
import { forbiddenRoleWording, wording } from '../../shared/wording';
import { DocumentChangedError } from '../sla/expected';

export async function registerSlaRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  await app.register(async (api) => {
    api.addHook('preHandler', requireUser(ctx));

    api.get('/api/admin/sla-policies', async (request, reply) => {
      if (request.actor!.role !== 'admin') return sendError(reply, 403, 'forbidden', 'only admins may read the SLA policies', forbiddenRoleWording(['admin']));
      const answer: SlaSettings = await readSlaSettings(ctx.db);
      return answer;
    });

    api.get('/api/settings/sla', async () => {
      const answer: SlaSettings = await readSlaSettings(ctx.db);
      return answer;
    });

    api.put('/api/admin/sla-policies', async (request, reply) => {
      if (request.actor!.role !== 'admin') return sendError(reply, 403, 'forbidden', 'only admins may change the SLA policies', forbiddenRoleWording(['admin']));
      const body = parseOr400(reply, SlaSaveInputSchema, request.body);
      if (!body) return reply;
      const { reason, expected, ...settings } = body;
      try {
        const { after } = await writeSlaSettings(ctx.db, settings, request.actor!.id, reason || null, expected);
        ctx.slaSettings?.invalidate();
        ctx.publish.slaChanged(after);
        return after;
      } catch (error) {
        if (error instanceof DocumentChangedError) return sendError(reply, 409, 'conflict', error.message, wording('hub.settingsConflict'));
        // A calendar for a queue that does not exist (the foreign key).
        if ((error as { code?: string }).code === '23503' || /foreign key/i.test(String((error as Error).message))) return sendError(reply, 400, 'bad_request', 'a queue calendar names a queue that does not exist');
        throw error;
      }
    });
  });
}
