/**
 * The admin API. Users and queues: admins. Who works which queue: admins and
 * supervisors (moving agents between queues is a supervisor's daily work).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MembersSchema, NewQueueSchema, NewUserSchema, QueuePatchSchema, UserPatchSchema } from '../../shared/admin';
import type { Role } from '../../shared/domain';
import { OVERSEER_ROLES } from '../../shared/policy';
import { hashPassword } from '../auth/passwords';
import { createQueue, createUser, listAdminUsers, setMembers, signOutEverywhere, updateQueue, updateUser } from '../repos/admin';
import { PresenceSetSchema } from '../../shared/protocol';
import { overridePresence } from '../repos/users';
import { requireUser } from './auth-guard';
import type { HubContext } from './context';
import { parseOr400, sendError } from './errors';
import { forbiddenRoleWording, wording } from '../../shared/wording';

const IdParams = z.object({ id: z.uuid() });

/** The route guard: 403 for anyone whose role is not one of `roles` (also used by plans-routes.ts). */
export function allow(...roles: readonly Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!roles.includes(request.actor!.role)) return sendError(reply, 403, 'forbidden', `only ${roles.join(' and ')} may do this`, forbiddenRoleWording(roles));
  };
}

export async function registerAdminRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  await app.register(async (admin) => {
    admin.addHook('preHandler', requireUser(ctx));
    const admins = { preHandler: allow('admin') };
    // Who works which queue, and presence: oversight (src/shared/policy.ts).
    const overseers = { preHandler: allow(...OVERSEER_ROLES) };

    admin.get('/api/admin/users', overseers, async () => ({ users: await listAdminUsers(ctx.db) }));

    admin.post('/api/admin/users', admins, async (request, reply) => {
      const body = parseOr400(reply, NewUserSchema, request.body);
      if (!body) return reply;
      const { password, ...user } = body;
      const created = await createUser(ctx.db, user, await hashPassword(password), request.actor!.id);
      // A new agent is on the agents board at once.
      ctx.publish.staffChanged();
      return reply.code(201).send({ user: created });
    });

    admin.patch('/api/admin/users/:id', admins, async (request, reply) => {
      const params = parseOr400(reply, IdParams, request.params);
      const body = params && parseOr400(reply, UserPatchSchema, request.body);
      if (!params || !body) return reply;
      const { password, ...rest } = body;
      const user = await updateUser(ctx.db, params.id, { ...rest, ...(password ? { passwordHash: await hashPassword(password) } : {}) }, request.actor!.id);
      if (!user) return sendError(reply, 404, 'not_found', 'no such user', wording('hub.notFound', { what: 'user' }));
      // A new role or name takes effect on the user's next request, on every hub, and on their open sockets at once.
      await ctx.sessions.changed({ userId: user.id });
      // A new password has ended the user's sessions (repos/admin.ts): their live sockets close too.
      if (password) await ctx.disconnectUser(user.id);
      else if (body.role) await ctx.syncUserRooms(user.id);
      // Role, skills and capacity are on the boards; a new role is a new scope for the user's consoles.
      if (body.role || body.skills || body.capacity !== undefined) ctx.publish.staffChanged(body.role ? [user.id] : []);
      return { user };
    });

    // Signs a user out of every console at once, e.g. when a laptop is lost: their tokens stop working on every hub.
    admin.post('/api/admin/users/:id/sign-out', admins, async (request, reply) => {
      const params = parseOr400(reply, IdParams, request.params);
      if (!params) return reply;
      if (!(await signOutEverywhere(ctx.db, params.id, request.actor!.id))) return sendError(reply, 404, 'not_found', 'no such user', wording('hub.notFound', { what: 'user' }));
      await ctx.sessions.changed({ userId: params.id });
      await ctx.disconnectUser(params.id);
      return reply.code(204).send();
    });

    // A supervisor sets an agent's presence (away, with the reason): live to everyone who watches, and audited.
    admin.post('/api/admin/users/:id/presence', overseers, async (request, reply) => {
      const params = parseOr400(reply, IdParams, request.params);
      const body = params && parseOr400(reply, PresenceSetSchema, request.body);
      if (!params || !body) return reply;
      const state = await overridePresence(ctx.db, request.actor!.id, params.id, body.presence, body.reason);
      if (!state) return sendError(reply, 404, 'not_found', 'no such user', wording('hub.notFound', { what: 'user' }));
      ctx.publish.presence(params.id, state);
      return { userId: params.id, ...state };
    });

    admin.post('/api/admin/queues', admins, async (request, reply) => {
      const body = parseOr400(reply, NewQueueSchema, request.body);
      if (!body) return reply;
      return reply.code(201).send({ queue: await createQueue(ctx.db, body, request.actor!.id) });
    });

    admin.patch('/api/admin/queues/:id', admins, async (request, reply) => {
      const params = parseOr400(reply, IdParams, request.params);
      const body = params && parseOr400(reply, QueuePatchSchema, request.body);
      if (!params || !body) return reply;
      const queue = await updateQueue(ctx.db, params.id, body, request.actor!.id);
      return queue ? { queue } : sendError(reply, 404, 'not_found', 'no such queue', wording('hub.notFound', { what: 'queue' }));
    });

    admin.put('/api/admin/queues/:id/members', overseers, async (request, reply) => {
      const params = parseOr400(reply, IdParams, request.params);
      const body = params && parseOr400(reply, MembersSchema, request.body);
      if (!params || !body) return reply;
      const moved = await setMembers(ctx.db, params.id, body.userIds, request.actor!.id);
      if (!moved) return sendError(reply, 404, 'not_found', 'no such queue or user');
      // Members who left are not in the new list: every user's queues are read again.
      await ctx.sessions.changed({ all: true });
      await ctx.syncQueueRoom(params.id, body.userIds);
      // The boards recount the queue's agents; those who joined or left pull their new scope (the socket's rooms already followed).
      ctx.publish.staffChanged([...moved.joined, ...moved.left]);
      return { queueId: params.id, userIds: body.userIds };
    });
  });
}
