/**
 * `POST /api/calls/:callSid/answer`: an agent answered a ringing call on their screen pop (channels/voice/
 * answer.ts). Only an agent the call was offered to may, and the first keeps it (409 for the others, and for
 * a call that ended; 403 for one not offered to them). While the call lasts it takes all of their capacity:
 * the offers they hold are withdrawn and routing offers them nothing until the provider says it ended.
 * Not audited, as accepting one's own work and setting one's own presence are not: nothing of anyone
 * else's changes, and the call is logged on the caller's case when it ends.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type CallAnswer, CallAnswerParamsSchema } from '../../shared/calls';
import { announceCallChange, answerCall } from '../channels/voice/answer';
import { Rejection } from '../repos/rejection';
import { requireUser } from './auth-guard';
import type { HubContext } from './context';
import { parseOr400, sendError, sendRejection } from './errors';

/** The body carries nothing (an empty object, or none). */
const EmptyBody = z.strictObject({}).optional();
const STATUS_OF: Record<string, 403 | 404 | 409> = { forbidden: 403, not_found: 404, conflict: 409 };

export async function registerCallRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  await app.register(async (api) => {
    api.addHook('preHandler', requireUser(ctx));

    api.post('/api/calls/:callSid/answer', async (request, reply) => {
      const params = parseOr400(reply, CallAnswerParamsSchema, request.params);
      if (!params) return reply;
      const body = EmptyBody.safeParse(request.body ?? undefined);
      if (!body.success) return sendError(reply, 400, 'invalid_request', z.prettifyError(body.error));
      try {
        const answered = await answerCall(ctx.db, request.actor!, params.callSid);
        if (answered.fresh) announceCallChange({ kind: 'answered', answered }, ctx);
        const answer: CallAnswer = { call: answered.call };
        return answer;
      } catch (error) {
        if (error instanceof Rejection && STATUS_OF[error.reason]) return sendRejection(reply, STATUS_OF[error.reason]!, error);
        throw error;
      }
    });
  });
}
