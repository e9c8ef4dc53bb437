/** Signed, expiring session tokens (HS256). The key lives in the database so every hub agrees. */
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../shared/domain';
import type { Db } from '../db/connect';
import { getOrInitSetting } from '../repos/settings';

export const TOKEN_TTL_SECONDS = 12 * 60 * 60;
const ISSUER = 'switchboard-hub';

export interface TokenClaims {
  userId: string;
  role: Role;
}

export interface TokenService {
  sign(claims: TokenClaims): Promise<string>;
  /** The claims, or null for anything expired, forged or malformed. */
  verify(token: string): Promise<TokenClaims | null>;
}

export async function createTokenService(db: Db): Promise<TokenService> {
  const secret = await getOrInitSetting(db, 'token_secret', randomBytes(32).toString('base64'));
  const key = Buffer.from(secret, 'base64');
  return {
    sign: ({ userId, role }) =>
      new SignJWT({ role })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(`${TOKEN_TTL_SECONDS}s`)
        .sign(key),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
        if (typeof payload.sub !== 'string' || typeof payload.role !== 'string') return null;
        return { userId: payload.sub, role: payload.role as Role };
      } catch {
        return null;
      }
    },
  };
}
