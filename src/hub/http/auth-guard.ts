import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenClaims } from '../auth/tokens';
import type { Actor } from '../repos/scope';
import type { HubContext } from './context';
import { sendError } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    claims: TokenClaims | null;
  }
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer (.+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** preHandler for user routes: a valid, unexpired token of an existing user, or 401. */
export function requireUser(ctx: HubContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request);
    const session = token ? await ctx.sessions.resolve(token) : null;
    if (!session) return sendError(reply, 401, 'unauthorized', 'a valid bearer token is required');
    request.actor = session.actor;
    request.claims = session.claims;
  };
}
