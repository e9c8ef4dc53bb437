/**
 * Refresh tokens, rotated on every use with reuse detection (OAuth 2.0
 * Security BCP, "refresh token rotation", as Auth0 and Okta do it). Each
 * sign-in starts a family; a refresh token is opaque (32 random bytes), kept
 * here only as its SHA-256, and buys one new access token and one new refresh
 * token, the old one being marked used in the same statement — so of two
 * refreshes with one token, on one hub or two, exactly one rotates.
 *
 * Presenting a used token again means two parties hold it (it was copied):
 * the whole family is revoked, with its last access token. One exception keeps
 * a field console on a bad network signed in: a retry of a refresh whose
 * answer was lost (within `retrySeconds`, while the chain has not moved on)
 * gets the same successor again, which is derived from the token it replaces
 * with the family's key. A family also ends on sign-out, when the user's
 * session epoch is raised (sign out everywhere), with the session's absolute
 * lifetime (the access token's `auth_time`, tokens.ts), and after
 * `idleSeconds` without a refresh.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { RoleSchema, type Role } from '../../shared/domain';
import type { Db } from '../db/connect';
import { refreshFamilies, refreshTokens, users } from '../db/schema';
import type { IssuedToken, TokenService } from './tokens';

/** A console may stay offline this long between two refreshes (the session's lifetime still bounds it). */
export const DEFAULT_REFRESH_IDLE_SECONDS = 30 * 24 * 60 * 60;
/** How long after a rotation a retry of it gets the same answer instead of revoking the family. */
export const DEFAULT_REFRESH_RETRY_SECONDS = 30;

export type RevokedAccess = { jti: string; expiresAt: Date };

export type RefreshRefusal = 'unknown' | 'expired' | 'revoked' | 'ended' | 'reused';

export type RotationOutcome =
  | { status: 'ok'; access: IssuedToken; refreshToken: string; userId: string; familyId: string; replaced: RevokedAccess | null }
  | { status: 'refused'; reason: RefreshRefusal; userId?: string; familyId?: string; revoked?: RevokedAccess | null };

export interface SessionTokens {
  access: IssuedToken;
  refreshToken: string;
  familyId: string;
}

export interface RefreshTokens {
  /** A sign-in: a new family, its first refresh token and an access token naming the family. */
  start(user: { userId: string; role: Role; epoch: number }): Promise<SessionTokens>;
  rotate(refreshToken: string): Promise<RotationOutcome>;
  /** Who a refresh token (used or not) belongs to; null when unknown. */
  familyOf(refreshToken: string): Promise<{ familyId: string; userId: string } | null>;
  /** Ends a family: none of its refresh tokens works again. Answers its last access token, to revoke too (null when already revoked). */
  revokeFamily(familyId: string, reason: 'logout' | 'reuse' | 'epoch' | 'lifetime'): Promise<RevokedAccess | null>;
  /** An access token of the family issued another way (the bearer refresh): the one revoked with it from now on. */
  recordAccess(familyId: string, access: RevokedAccess): Promise<void>;
}

export interface RefreshTokenOptions {
  idleSeconds?: number;
  retrySeconds?: number;
  /** The clock; tests move it (give the token service the same one). */
  now?: () => Date;
}

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');
const newToken = () => randomBytes(32).toString('base64url');
/** The successor of a token: the same for a retry, unguessable without the family's key and the token itself. */
const successorOf = (rotationKey: string, token: string) => createHmac('sha256', Buffer.from(rotationKey, 'base64url')).update(token).digest('base64url');

export function createRefreshTokens(db: Db, tokens: TokenService, opts: RefreshTokenOptions = {}): RefreshTokens {
  const idleMs = (opts.idleSeconds ?? DEFAULT_REFRESH_IDLE_SECONDS) * 1000;
  const retryMs = (opts.retrySeconds ?? DEFAULT_REFRESH_RETRY_SECONDS) * 1000;
  const now = opts.now ?? (() => new Date());

  async function revokeIn(tx: Db, familyId: string, reason: string, at: Date): Promise<RevokedAccess | null> {
    const [family] = await tx
      .update(refreshFamilies)
      .set({ revokedAt: at, revokedReason: reason })
      .where(and(eq(refreshFamilies.id, familyId), isNull(refreshFamilies.revokedAt)))
      .returning({ jti: refreshFamilies.accessJti, expiresAt: refreshFamilies.accessExpiresAt });
    return family?.jti && family.expiresAt ? { jti: family.jti, expiresAt: family.expiresAt } : null;
  }

  /** Signs the next access token of a family whose presented token was just rotated (or is being retried). */
  async function next(tx: Db, familyId: string, presented: string, at: Date, successorExists: boolean): Promise<RotationOutcome> {
    // Locked: two refreshes of one family (a retry beside its original) record their access tokens one after the other.
    const [family] = await tx
      .select({ family: refreshFamilies, role: users.role, userEpoch: users.sessionEpoch })
      .from(refreshFamilies)
      .innerJoin(users, eq(users.id, refreshFamilies.userId))
      .where(eq(refreshFamilies.id, familyId))
      .for('update');
    if (!family || family.family.revokedAt) return { status: 'refused', reason: 'revoked', familyId, userId: family?.family.userId };
    const { userId } = family.family;
    const role = RoleSchema.safeParse(family.role);
    if (family.family.epoch < family.userEpoch || !role.success) {
      return { status: 'refused', reason: 'ended', userId, familyId, revoked: await revokeIn(tx, familyId, 'epoch', at) };
    }
    const access = await tokens.issue({ userId, role: role.data, epoch: family.userEpoch, sessionStartedAt: family.family.signedInAt, familyId });
    // Signed past the session's absolute lifetime: it ends here, however often it was refreshed.
    if (access.expiresAt.getTime() <= at.getTime()) {
      return { status: 'refused', reason: 'ended', userId, familyId, revoked: await revokeIn(tx, familyId, 'lifetime', at) };
    }
    const refreshToken = successorOf(family.family.rotationKey, presented);
    if (!successorExists) {
      await tx.insert(refreshTokens).values({ tokenHash: digest(refreshToken), familyId, createdAt: at, expiresAt: new Date(at.getTime() + idleMs) });
    }
    await tx.update(refreshFamilies).set({ accessJti: access.jti, accessExpiresAt: access.expiresAt }).where(eq(refreshFamilies.id, familyId));
    const previous = family.family.accessJti && family.family.accessExpiresAt && family.family.accessExpiresAt > at ? { jti: family.family.accessJti, expiresAt: family.family.accessExpiresAt } : null;
    return { status: 'ok', access, refreshToken, userId, familyId, replaced: previous };
  }

  return {
    async start({ userId, role, epoch }) {
      const at = now();
      const familyId = uuidv7();
      const refreshToken = newToken();
      return db.transaction(async (t) => {
        const tx = t as unknown as Db;
        // Families whose every token has expired protect nothing any more.
        await tx.delete(refreshFamilies).where(sql`NOT EXISTS (SELECT 1 FROM ${refreshTokens} WHERE ${refreshTokens.familyId} = ${refreshFamilies.id} AND ${refreshTokens.expiresAt} > ${at})`);
        const access = await tokens.issue({ userId, role, epoch, sessionStartedAt: at, familyId });
        await tx.insert(refreshFamilies).values({
          id: familyId,
          userId,
          epoch,
          signedInAt: at,
          rotationKey: randomBytes(32).toString('base64url'),
          accessJti: access.jti,
          accessExpiresAt: access.expiresAt,
        });
        await tx.insert(refreshTokens).values({ tokenHash: digest(refreshToken), familyId, createdAt: at, expiresAt: new Date(at.getTime() + idleMs) });
        return { access, refreshToken, familyId };
      });
    },

    async rotate(presented) {
      const hash = digest(presented);
      const at = now();
      return db.transaction(async (t) => {
        const tx = t as unknown as Db;
        // The one statement that decides a rotation: of two with the same token, the second finds it used.
        const [rotated] = await tx
          .update(refreshTokens)
          .set({ usedAt: at })
          .where(and(eq(refreshTokens.tokenHash, hash), isNull(refreshTokens.usedAt), gt(refreshTokens.expiresAt, at)))
          .returning({ familyId: refreshTokens.familyId });
        if (rotated) return next(tx, rotated.familyId, presented, at, false);

        const [row] = await tx
          .select({ usedAt: refreshTokens.usedAt, familyId: refreshTokens.familyId, userId: refreshFamilies.userId, rotationKey: refreshFamilies.rotationKey, revokedAt: refreshFamilies.revokedAt })
          .from(refreshTokens)
          .innerJoin(refreshFamilies, eq(refreshFamilies.id, refreshTokens.familyId))
          .where(eq(refreshTokens.tokenHash, hash));
        if (!row) return { status: 'refused', reason: 'unknown' };
        const { familyId, userId } = row;
        if (row.revokedAt) return { status: 'refused', reason: 'revoked', familyId, userId };
        if (!row.usedAt) return { status: 'refused', reason: 'expired', familyId, userId };
        if (at.getTime() - row.usedAt.getTime() < retryMs) {
          // A retry of a refresh whose answer was lost: the same successor, as long as nobody has used it yet.
          const [successor] = await tx
            .select({ tokenHash: refreshTokens.tokenHash })
            .from(refreshTokens)
            .where(and(eq(refreshTokens.tokenHash, digest(successorOf(row.rotationKey, presented))), isNull(refreshTokens.usedAt), gt(refreshTokens.expiresAt, at)));
          if (successor) return next(tx, familyId, presented, at, true);
        }
        return { status: 'refused', reason: 'reused', familyId, userId, revoked: await revokeIn(tx, familyId, 'reuse', at) };
      });
    },

    async familyOf(presented) {
      const [row] = await db
        .select({ familyId: refreshFamilies.id, userId: refreshFamilies.userId })
        .from(refreshTokens)
        .innerJoin(refreshFamilies, eq(refreshFamilies.id, refreshTokens.familyId))
        .where(eq(refreshTokens.tokenHash, digest(presented)));
      return row ?? null;
    },

    revokeFamily: (familyId, reason) => revokeIn(db, familyId, reason, now()),

    async recordAccess(familyId, access) {
      await db.update(refreshFamilies).set({ accessJti: access.jti, accessExpiresAt: access.expiresAt }).where(eq(refreshFamilies.id, familyId));
    },
  };
}

