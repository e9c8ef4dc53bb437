/**
 * Signing in: the backoff of the (account name, address) pair first, then the
 * password — checked as slowly for an unknown name as for a known one — and
 * an access token whose session starts now, with the first refresh token of
 * the sign-in's family (refresh-tokens.ts).
 */
import type { LoginRequest } from '../../shared/protocol';
import type { SessionLoginResponse } from '../../shared/session-tokens';
import type { Db } from '../db/connect';
import { findUserWithHash } from '../repos/users';
import { createLoginBackoff, type LoginBackoff } from './login-backoff';
import { createPasswordCheck } from './passwords';
import type { RefreshTokens } from './refresh-tokens';

export type LoginOutcome = { status: 'ok'; response: SessionLoginResponse } | { status: 'refused' } | { status: 'backoff'; retryAfterSeconds: number };

export type Login = (credentials: LoginRequest, ip: string) => Promise<LoginOutcome>;

export async function createLogin(db: Db, sessions: Pick<RefreshTokens, 'start'>, backoff: LoginBackoff = createLoginBackoff(db)): Promise<Login> {
  const checkPassword = await createPasswordCheck();
  return async ({ username, password }, ip) => {
    const attempt = await backoff.attempt(username, ip);
    if (!attempt.allowed) return { status: 'backoff', retryAfterSeconds: attempt.retryAfterSeconds };
    const found = await findUserWithHash(db, username);
    // Unknown users and wrong passwords look the same to the caller, in answer and in time.
    if (!(await checkPassword(found?.passwordHash ?? null, password)) || !found) return { status: 'refused' };
    await backoff.succeeded(username, ip);
    const { access, refreshToken } = await sessions.start({ userId: found.user.id, role: found.user.role, epoch: found.sessionEpoch });
    return { status: 'ok', response: { token: access.token, refreshToken, expiresIn: access.expiresIn, user: found.user } };
  };
}
