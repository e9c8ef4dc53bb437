/**
 * Signed, expiring session tokens (HS256). The key lives in the database so
 * every hub agrees; signing out or refreshing revokes a token by its id, and
 * each token carries its user's session epoch, so raising the epoch ends
 * every session the user has.
 */
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { eq, lt } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { RoleSchema, type Role } from '../../shared/domain';
import type { Db } from '../db/connect';
import { revokedTokens } from '../db/schema';
import { getOrInitSetting } from '../repos/settings';

export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 60 * 60;
const ISSUER = 'switchboard-hub';
// Tokens signed before epochs existed have none: they belong to epoch 0.
const EpochSchema = z.number().int().min(0).default(0);

export interface TokenClaims {
  userId: string;
  role: Role;
  jti: string;
  expiresAt: Date;
  /** The user's session epoch when the token was signed (0 for tokens signed before epochs existed). */
  epoch: number;
}

export interface TokenService {
  sign(claims: { userId: string; role: Role; epoch: number }): Promise<string>;
  /** The claims of a well-signed, unexpired token, or null; says nothing about revocation (see isRevoked). */
  verify(token: string): Promise<TokenClaims | null>;
  isRevoked(jti: string): Promise<boolean>;
  revoke(claims: TokenClaims): Promise<void>;
}

export async function createTokenService(db: Db, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS): Promise<TokenService> {
  const secret = await getOrInitSetting(db, 'token_secret', randomBytes(32).toString('base64'));
  const key = Buffer.from(secret, 'base64');
  return {
    sign: ({ userId, role, epoch }) =>
      new SignJWT({ role, epoch })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setJti(uuidv7())
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
        const role = RoleSchema.safeParse(payload.role);
        const epoch = EpochSchema.safeParse(payload.epoch);
        if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || !payload.exp || !role.success || !epoch.success) return null;
        return { userId: payload.sub, role: role.data, jti: payload.jti, expiresAt: new Date(payload.exp * 1000), epoch: epoch.data };
      } catch {
        return null;
      }
    },
    async isRevoked(jti) {
      const [revoked] = await db.select({ jti: revokedTokens.jti }).from(revokedTokens).where(eq(revokedTokens.jti, jti));
      return revoked !== undefined;
    },
    async revoke(claims) {
      await db.insert(revokedTokens).values({ jti: claims.jti, expiresAt: claims.expiresAt }).onConflictDoNothing();
      // Entries past their token's expiry protect nothing any more.
      await db.delete(revokedTokens).where(lt(revokedTokens.expiresAt, new Date()));
    },
  };
}
