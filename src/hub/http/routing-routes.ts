/**
 * Routing for agents: the offers they hold, accept or decline one (push queues), take the
 * next case (pull queues), each answering with the case or why not; and for
 * admins, how every queue routes (read) and how one routes (set).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AuditReasonSchema } from '../../shared/audit';
import { QueueRoutingSchema } from '../../shared/routing';
import { Rejection } from '../repos/rejection';
import { listQueueRouting, setQueueRouting } from '../routing/settings';
import { acceptOffer, declineOffer, openOffers, takeNext } from '../routing/take';
import { requireUser } from './auth-guard';
import type { HubContext } from './context';
import { parseOr400, sendError, sendRejection } from './errors';
import { forbiddenRoleWording, wording } from '../../shared/wording';

const OfferParams = z.object({ caseId: z.uuid() });
const QueueParams = z.object({ id: z.uuid() });
/** The routing and, optionally, why (kept with the audit row, not on the queue). */
const QueueRoutingSaveSchema = QueueRoutingSchema.extend({ reason: AuditReasonSchema.optional() });

export async function registerRoutingRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  await app.register(async (api) => {
    api.addHook('preHandler', requireUser(ctx));
    const refused = (reply: Parameters<typeof sendError>[0], error: unknown) => {
      if (error instanceof Rejection) return sendRejection(reply, error.reason === 'conflict' ? 409 : 404, error);
      throw error;
    };

    api.post('/api/offers/:caseId/accept', async (request, reply) => {
      const params = parseOr400(reply, OfferParams, request.params);
      if (!params) return reply;
      try {
        const done = await acceptOffer(ctx.db, request.actor!, params.caseId);
        ctx.publish.casesMoved(done.moves, done.notes, done);
        // The agent's other consoles drop the offer too.
        ctx.publish.offerGone(request.actor!.id, { caseId: params.caseId, reason: 'accepted' });
        ctx.routing?.kick();
        return { case: done.moves[0]?.row ?? null };
      } catch (error) {
        return refused(reply, error);
      }
    });

    api.get('/api/offers', async (request) => ({ offers: await openOffers(ctx.db, request.actor!.id) }));

    api.post('/api/offers/:caseId/decline', async (request, reply) => {
      const params = parseOr400(reply, OfferParams, request.params);
      if (!params) return reply;
      try {
        await declineOffer(ctx.db, request.actor!, params.caseId);
        ctx.publish.offerGone(request.actor!.id, { caseId: params.caseId, reason: 'declined' });
        // The next agent gets it now, not at the next tick.
        ctx.routing?.kick();
        return reply.code(204).send();
      } catch (error) {
        return refused(reply, error);
      }
    });

    api.get('/api/admin/queues/routing', async (request, reply) => {
      if (request.actor!.role !== 'admin') return sendError(reply, 403, 'forbidden', 'only admins may read how queues route', forbiddenRoleWording(['admin']));
      return { queues: await listQueueRouting(ctx.db) };
    });

    api.put('/api/admin/queues/:id/routing', async (request, reply) => {
      if (request.actor!.role !== 'admin') return sendError(reply, 403, 'forbidden', 'only admins may change how a queue routes', forbiddenRoleWording(['admin']));
      const params = parseOr400(reply, QueueParams, request.params);
      const body = params && parseOr400(reply, QueueRoutingSaveSchema, request.body);
      if (!params || !body) return reply;
      const { reason, ...routing } = body;
      const saved = await setQueueRouting(ctx.db, params.id, routing, request.actor!.id, reason || null);
      if (!saved) return sendError(reply, 404, 'not_found', 'no such queue', wording('hub.notFound', { what: 'queue' }));
      // Its members' consoles pull the queue row now ("Next case" follows the mode); the others at their next pull.
      ctx.publish.queueChanged(params.id);
      ctx.routing?.kick();
      return saved;
    });

    api.post('/api/routing/next', async (request, reply) => {
      try {
        const taken = await takeNext(ctx.db, request.actor!);
        if (!taken) return sendError(reply, 404, 'nothing_waiting', 'no waiting case you may take in your pull queues');
        ctx.publish.casesMoved(taken.taken.moves, taken.taken.notes, taken.taken);
        return { case: taken.case };
      } catch (error) {
        return refused(reply, error);
      }
    });
  });
}
