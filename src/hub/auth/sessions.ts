/**
 * Who a bearer token speaks for, remembered between requests. Checking the
 * signature costs microseconds; the revocation look-up and the user's role,
 * name and queues were three queries on every request and socket handshake,
 * the largest part of a small push. What is remembered is dropped the moment
 * a token is revoked or a user's role or queues change — on this hub at once,
 * and on the others through `announce` (the live adapter) — and lives
 * `ttlMs` at most, which bounds what a hub that missed an announcement could
 * get wrong.
 */
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Actor } from '../repos/scope';
import type { TokenClaims, TokenService } from './tokens';

export interface Session {
  claims: TokenClaims;
  actor: Actor;
}

/** What changed: one token (revoked), one user (role, name, sessions ended) or everyone (queue memberships). */
export const SessionChangeSchema = z.union([z.object({ jti: z.string().min(1) }).strict(), z.object({ userId: z.string().min(1) }).strict(), z.object({ all: z.literal(true) }).strict()]);
export type SessionChange = z.infer<typeof SessionChangeSchema>;

export interface Sessions {
  /** The session a token opens, or null: forged, expired, malformed, revoked, of an ended session epoch, or of a user who no longer exists. */
  resolve(token: string): Promise<Session | null>;
  /** A change made here: dropped here, then announced to the other hubs (awaited, so a logout is over everywhere when it answers). */
  changed(change: SessionChange): Promise<void>;
  /** Signs a token out for good: revoked in the database, then changed({jti}). */
  revoke(claims: Pick<TokenClaims, 'jti' | 'expiresAt'>): Promise<void>;
  /** A change another hub announced: dropped here. */
  forget(change: SessionChange): void;
}

export interface SessionOptions {
  loadActor(userId: string): Promise<Actor | null>;
  /** Tells the other hubs; absent when this hub is alone. */
  announce?: (change: SessionChange) => Promise<void>;
  ttlMs?: number;
  max?: number;
}

export const SESSION_TTL_MS = 15_000;

export function createSessions(tokens: TokenService, opts: SessionOptions): Sessions {
  const ttl = opts.ttlMs ?? SESSION_TTL_MS;
  const max = opts.max ?? 10_000;
  const revoked = new LRUCache<string, boolean>({ max, ttl });
  const actors = new LRUCache<string, Actor>({ max, ttl });
  // A look-up that started before a change must not store what it read before that change.
  let generation = 0;

  const forget = (change: SessionChange) => {
    generation++;
    if ('jti' in change) revoked.delete(change.jti);
    else if ('userId' in change) actors.delete(change.userId);
    else {
      revoked.clear();
      actors.clear();
    }
  };

  const changed = async (change: SessionChange) => {
    forget(change);
    await opts.announce?.(change);
  };

  return {
    async resolve(token) {
      const claims = await tokens.verify(token);
      if (!claims) return null;
      let isRevoked = revoked.get(claims.jti);
      let actor = actors.get(claims.userId);
      if (isRevoked === undefined || actor === undefined) {
        const started = generation;
        [isRevoked, actor] = await Promise.all([
          isRevoked ?? tokens.isRevoked(claims.jti),
          actor ?? opts.loadActor(claims.userId).then((found) => found ?? undefined),
        ]);
        if (started === generation) {
          revoked.set(claims.jti, isRevoked);
          if (actor) actors.set(claims.userId, actor);
        }
      }
      return !isRevoked && actor && claims.epoch >= actor.sessionEpoch ? { claims, actor } : null;
    },
    changed,
    async revoke(claims) {
      await tokens.revoke(claims);
      await changed({ jti: claims.jti });
    },
    forget,
  };
}
