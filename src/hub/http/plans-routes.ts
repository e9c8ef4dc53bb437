/**
 * What each plan includes (hub sla/plans.ts): replaced by admins only, the
 * replacement audited (`plans.update`, with the admin's optional `reason`) and
 * announced (`plans:changed`). With `expected` (the table the admin's edit
 * started from) it saves only while the hub still keeps that: else 409
 * `conflict`, nothing changed (sla/expected.ts). New cases use it at once on every hub: each
 * reads it in its own transaction. Every signed-in console reads it too
 * (GET /api/settings/plans): the queue's priority score weighs the entitlement.
 */
import type { FastifyInstance } from 'fastify';
import { type PlansSettings, PlansSaveInputSchema } from '../../shared/entitlements';
import { readPlanEntitlements, writePlanEntitlements } from '../sla/plans';
import { allow } from './admin-routes';
import { requireUser } from './auth-guard';
import type { HubContext } from './context';
import { DocumentChangedError } from '../sla/expected';
import { wording } from '../../shared/wording';
import { parseOr400, sendError } from './errors';

export async function registerPlansRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  await app.register(async (api) => {
    api.addHook('preHandler', requireUser(ctx));
    const admins = { preHandler: allow('admin') };

    const current = async (): Promise<PlansSettings> => ({ entitlements: await readPlanEntitlements(ctx.db) });
    api.get('/api/admin/plans', admins, current);
    api.get('/api/settings/plans', current);

    api.put('/api/admin/plans', admins, async (request, reply) => {
      const body = parseOr400(reply, PlansSaveInputSchema, request.body);
      if (!body) return reply;
      let after;
      try {
        ({ after } = await writePlanEntitlements(ctx.db, body.entitlements, request.actor!.id, body.reason || null, body.expected?.entitlements));
      } catch (error) {
        if (error instanceof DocumentChangedError) return sendError(reply, 409, 'conflict', error.message, wording('hub.settingsConflict'));
        throw error;
      }
      const answer: PlansSettings = { entitlements: after };
      ctx.publish.plansChanged(answer);
      return answer;
    });
  });
}
