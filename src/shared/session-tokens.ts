/**
 * The wire shapes of a session's tokens: what signing in answers, and the
 * bodies of `POST /api/auth/refresh` and `POST /api/auth/logout`. The access
 * token is short-lived; the refresh token is opaque, long-lived and rotated
 * on every use (the hub keeps only its hash).
 */
import { z } from 'zod';
import { LoginResponseSchema } from './protocol';

/** 32 random bytes, base64url: 43 characters. Anything else is refused before the database is asked. */
export const RefreshTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a refresh token');

/** Seconds the access token lives from the moment the hub answered (a relative time, so clock skew does not matter). */
const ExpiresInSchema = z.number().int().min(0);

export const SessionLoginResponseSchema = LoginResponseSchema.extend({
  refreshToken: RefreshTokenSchema,
  expiresIn: ExpiresInSchema,
});
export type SessionLoginResponse = z.infer<typeof SessionLoginResponseSchema>;

/** With a refresh token: a rotation. Without a body, the bearer token is exchanged for a fresh one (the older form). */
export const RefreshRequestSchema = z.object({ refreshToken: RefreshTokenSchema }).strict();
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

export const RefreshResponseSchema = z.object({
  token: z.string().min(1),
  refreshToken: RefreshTokenSchema,
  expiresIn: ExpiresInSchema,
});
export type RefreshResponse = z.infer<typeof RefreshResponseSchema>;

/** The refresh token is optional: the bearer token alone signs its sign-in out when it names its family. */
export const LogoutRequestSchema = z.object({ refreshToken: RefreshTokenSchema.optional() }).strict();
export type LogoutRequest = z.infer<typeof LogoutRequestSchema>;
