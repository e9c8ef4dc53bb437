/**
 * `GET /api/surges`: the surge alerts of the last hours, latest first, for a
 * supervisor's or admin's console that connects after they were sent live
 * (403 for everyone else, like the alerts themselves).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { mayOversee } from '../../shared/policy';
import type { SurgeListResponse } from '../../shared/protocol';
import { listSurgeAlerts } from '../repos/surges';
import { requireUser } from './auth-guard';
import type { HubContext } from './context';
import { parseOr400, sendError } from './errors';
import { forbiddenRoleWording } from '../../shared/wording';

const SurgeQuerySchema = z.object({
  /** How far back (default 24 hours, at most a week). */
  hours: z.coerce.number().int().min(1).max(168).default(24),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export async function registerSurgeRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  await app.register(async (surges) => {
    surges.addHook('preHandler', requireUser(ctx));
    surges.addHook('preHandler', async (request, reply) => {
      const { role } = request.actor!;
      if (!mayOversee(role)) return sendError(reply, 403, 'forbidden', 'only supervisors and admins get surge alerts', forbiddenRoleWording(['supervisor', 'admin']));
    });

    surges.get('/api/surges', async (request, reply) => {
      const query = parseOr400(reply, SurgeQuerySchema, request.query);
      if (!query) return reply;
      const body: SurgeListResponse = { alerts: await listSurgeAlerts(ctx.db, new Date(Date.now() - query.hours * 3_600_000), query.limit) };
      return body;
    });
  });
}
