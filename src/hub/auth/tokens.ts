/**
 * Signed, expiring session tokens (HS256). The key lives in the database,
 * wrapped (see token-key.ts), so every hub agrees; signing out or refreshing
 * revokes a token by its id, and each token carries its user's session
 * epoch, so raising the epoch ends every session the user has. A session
 * has an absolute lifetime: each token carries its sign-in time (`auth_time`),
 * kept by every refresh, and is refused past it however fresh it is. A token
 * issued through a refresh token names its family (`sid`, refresh-tokens.ts).
 */
import { jwtVerify, SignJWT } from 'jose';
import { eq, lt } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { RoleSchema, type Role } from '../../shared/domain';
import type { Db } from '../db/connect';
import { revokedTokens } from '../db/schema';
import { loadSigningKey, type WrapKeySource } from './token-key';

export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 60 * 60;
/** However often it is refreshed, a session ends this long after its sign-in (a field week). */
export const DEFAULT_SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
const ISSUER = 'switchboard-hub';
// Tokens signed before epochs existed have none: they belong to epoch 0.
const EpochSchema = z.number().int().min(0).default(0);
const SecondsSchema = z.number().int().min(0);
/** Tokens remembered as checked (well under a KB each): far more than the consoles one hub serves. */
const CHECKED_TOKENS_MAX = 10_000;

export interface TokenClaims {
  userId: string;
  role: Role;
  jti: string;
  expiresAt: Date;
  /** The user's session epoch when the token was signed (0 for tokens signed before epochs existed). */
  epoch: number;
  /** When the session's sign-in was (for tokens signed before sign-in times were kept: when the token was). */
  sessionStartedAt: Date;
  /** The refresh-token family of the sign-in (auth/refresh-tokens.ts); null for tokens signed without one. */
  familyId: string | null;
}

export interface SignClaims {
  userId: string;
  role: Role;
  epoch: number;
  /** A refresh of a session keeps its sign-in time. */
  sessionStartedAt?: Date;
  familyId?: string | null;
}

export interface IssuedToken {
  token: string;
  jti: string;
  expiresAt: Date;
  /** Whole seconds from signing to expiry, rounded down (what a console is told: its clock may differ from the hub's). */
  expiresIn: number;
}

export interface TokenService {
  /** A token of a new session, or with `sessionStartedAt`, a refresh of one. */
  sign(claims: SignClaims): Promise<string>;
  /** sign(), with the id and expiry of the token. */
  issue(claims: SignClaims): Promise<IssuedToken>;
  /** The claims of a well-signed, unexpired token of a session within its lifetime, or null; says nothing about revocation (see isRevoked). */
  verify(token: string): Promise<TokenClaims | null>;
  isRevoked(jti: string): Promise<boolean>;
  revoke(claims: Pick<TokenClaims, 'jti' | 'expiresAt'>): Promise<void>;
}

export interface TokenServiceOptions {
  /** What the signing key in the database is wrapped with. */
  wrapKey: WrapKeySource;
  ttlSeconds?: number;
  sessionMaxAgeSeconds?: number;
  /** The clock; tests move it. */
  now?: () => Date;
}

export async function createTokenService(db: Db, opts: TokenServiceOptions): Promise<TokenService> {
  const key = await loadSigningKey(db, opts.wrapKey);
  const ttlSeconds = opts.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const maxAgeSeconds = opts.sessionMaxAgeSeconds ?? DEFAULT_SESSION_MAX_AGE_SECONDS;
  const now = opts.now ?? (() => new Date());
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
  async function issue({ userId, role, epoch, sessionStartedAt, familyId }: SignClaims): Promise<IssuedToken> {
    const signedAt = now();
    const issuedAt = seconds(signedAt);
    const startedAt = sessionStartedAt ? seconds(sessionStartedAt) : issuedAt;
    const jti = uuidv7();
    // Never past the session's end, so a console can tell when it must sign in again.
    const expiresAt = Math.min(issuedAt + ttlSeconds, startedAt + maxAgeSeconds);
    const token = await new SignJWT({ role, epoch, auth_time: startedAt, ...(familyId ? { sid: familyId } : {}) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setJti(jti)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(key);
    return { token, jti, expiresAt: new Date(expiresAt * 1000), expiresIn: Math.max(0, Math.floor((expiresAt * 1000 - signedAt.getTime()) / 1000)) };
  }
  /**
   * A console sends the same token with every request and every socket, and checking its HMAC (WebCrypto, in
   * jose) was the dearest part of answering a push: a token whose signature and claims checked out is
   * remembered, by its exact text, until it is found expired (the most recent CHECKED_TOKENS_MAX at most).
   * What depends on the time is still checked on every use, in verify.
   */
  const checked = new Map<string, TokenClaims>();
  async function checkSignature(token: string, at: Date): Promise<TokenClaims | null> {
    let claims: TokenClaims;
    try {
      const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'], currentDate: at });
      const role = RoleSchema.safeParse(payload.role);
      const epoch = EpochSchema.safeParse(payload.epoch);
      const startedAt = SecondsSchema.safeParse(payload.auth_time ?? payload.iat);
      if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || !payload.exp || !role.success || !epoch.success || !startedAt.success) return null;
      claims = {
        userId: payload.sub,
        role: role.data,
        jti: payload.jti,
        expiresAt: new Date(payload.exp * 1000),
        epoch: epoch.data,
        sessionStartedAt: new Date(startedAt.data * 1000),
        familyId: typeof payload.sid === 'string' ? payload.sid : null,
      };
    } catch {
      return null;
    }
    // The oldest remembered makes room (a Map keeps insertion order).
    if (checked.size >= CHECKED_TOKENS_MAX) checked.delete(checked.keys().next().value!);
    checked.set(token, claims);
    return claims;
  }
  return {
    issue,
    sign: async (claims) => (await issue(claims)).token,
    async verify(token) {
      const at = now();
      const claims = checked.get(token) ?? (await checkSignature(token, at));
      if (!claims) return null;
      // Every time, not only when the signature was checked: the token expires, and the session's lifetime may have been shortened since.
      if (seconds(at) >= seconds(claims.expiresAt) || seconds(at) >= seconds(claims.sessionStartedAt) + maxAgeSeconds) {
        checked.delete(token);
        return null;
      }
      return claims;
    },
    async isRevoked(jti) {
      const [revoked] = await db.select({ jti: revokedTokens.jti }).from(revokedTokens).where(eq(revokedTokens.jti, jti));
      return revoked !== undefined;
    },
    async revoke(claims) {
      await db.insert(revokedTokens).values({ jti: claims.jti, expiresAt: claims.expiresAt }).onConflictDoNothing();
      // Entries past their token's expiry protect nothing any more.
      await db.delete(revokedTokens).where(lt(revokedTokens.expiresAt, now()));
    },
  };
}
