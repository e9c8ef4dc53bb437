/**
 * HTTP calls to the hub. Every answer is validated against the shared
 * protocol; every failure becomes a CoreError with an ApiError code
 * (401 → unauthorized, network or 5xx → unavailable).
 */
import { z } from 'zod';
import { RoleSchema, UserSchema, type User } from '../../shared/domain';
import {
  type CaseDetailResponse,
  CaseDetailResponseSchema,
  ErrorResponseSchema,
  type Mutation,
  PresenceStateSchema,
  type PresenceState,
  type SyncPullResponse,
  SyncPullResponseSchema,
  type SyncPushResponse,
  SyncPushResponseSchema,
} from '../../shared/protocol';
import { type RefreshResponse, RefreshResponseSchema, SessionLoginResponseSchema } from '../../shared/session-tokens';
import { wording } from '../../shared/wording';
import { CoreError } from './errors';

/** GET /api/me answers at least who the token belongs to; a full user when the hub sends one. */
const MeResponseSchema = z.object({ user: z.looseObject({ id: z.string(), role: RoleSchema }), presence: PresenceStateSchema.nullable().optional() });
/** A hub from before refresh tokens answers a login without them. */
const LoginAnswerSchema = SessionLoginResponseSchema.partial({ refreshToken: true, expiresIn: true });
export type LoginAnswer = z.output<typeof LoginAnswerSchema>;

export interface HubCredentials {
  hubUrl: string;
  token: string;
}

export interface HubClient {
  login(hubUrl: string, username: string, password: string): Promise<LoginAnswer>;
  /** Rotates a refresh token: a new access token and a new refresh token (the hub refuses the old one from now on). */
  refresh(hubUrl: string, refreshToken: string): Promise<RefreshResponse>;
  /** Signs out on the hub: the access token (when still valid) and the refresh token's sign-in stop working. */
  logout(credentials: HubCredentials, refreshToken: string | null): Promise<void>;
  /** Checks the token; returns the full user when the hub includes it. */
  me(): Promise<{ id: string; user: User | null; presence: PresenceState | null }>;
  pull(cursor: number, limit: number): Promise<SyncPullResponse>;
  push(mutations: Mutation[]): Promise<SyncPushResponse>;
  /** null when the case is missing or outside this user's scope. */
  caseDetail(id: string, timeoutMs?: number): Promise<CaseDetailResponse | null>;
  /** An attachment's bytes and type; null when the hub has no such attachment in this user's scope. */
  attachment(caseId: string, attachmentId: string): Promise<{ contentType: string; bytes: Buffer } | null>;
  /**
   * Any other JSON call of the hub's API with this session (supervisor and
   * admin work, which needs the hub and is never queued), its answer checked
   * against `schema`.
   */
  json<T extends z.ZodType>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, schema: T, body?: unknown): Promise<z.output<T>>;
}

const TIMEOUT_MS = 15_000;

export function hubEndpoint(hubUrl: string, path: string): string {
  let base: URL;
  try {
    base = new URL(hubUrl);
  } catch {
    throw new CoreError('invalid_input', `not a hub address: ${hubUrl}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new CoreError('invalid_input', `the hub address must be http(s): ${hubUrl}`);
  return new URL(path, base).href;
}

export function createHubClient(credentials: () => HubCredentials | null, fetchImpl: typeof fetch = globalThis.fetch): HubClient {
  async function request<T extends z.ZodType>(url: string, init: RequestInit, schema: T, timeoutMs = TIMEOUT_MS): Promise<z.output<T>> {
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const why = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : errorText(error);
      throw new CoreError('unavailable', `the hub at ${new URL(url).origin} is unreachable (${why})`, undefined, wording('hub.unreachable', { origin: new URL(url).origin }));
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = ErrorResponseSchema.safeParse(body);
      const message = parsed.success ? parsed.data.message : `the hub answered ${response.status}`;
      // The hub's key for the refusal; an older hub sends none, and its English is shown as it said it.
      const worded = parsed.success ? parsed.data.wording : undefined;
      const { status } = response;
      if (status === 401 || status === 403) throw new CoreError('unauthorized', message, status, worded);
      if (status === 404) throw new CoreError('not_found', message, status, worded);
      if (status === 400) throw new CoreError('invalid_input', message, status, worded);
      throw new CoreError('unavailable', message, status, worded);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new CoreError('internal', `unexpected answer from the hub at ${url}: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }

  function authed(path: string): { url: string; headers: Record<string, string> } {
    const current = credentials();
    if (!current) throw new CoreError('unauthorized', 'not logged in');
    return { url: hubEndpoint(current.hubUrl, path), headers: { authorization: `Bearer ${current.token}` } };
  }

  const json = { 'content-type': 'application/json' };

  return {
    login: (hubUrl, username, password) =>
      request(hubEndpoint(hubUrl, '/api/auth/login'), { method: 'POST', headers: json, body: JSON.stringify({ username, password }) }, LoginAnswerSchema),

    refresh: (hubUrl, refreshToken) =>
      request(hubEndpoint(hubUrl, '/api/auth/refresh'), { method: 'POST', headers: json, body: JSON.stringify({ refreshToken }) }, RefreshResponseSchema),

    async logout({ hubUrl, token }, refreshToken) {
      const body = refreshToken ? { refreshToken } : {};
      // 204 has no body; a short wait, since the user is signing out now.
      await request(
        hubEndpoint(hubUrl, '/api/auth/logout'),
        { method: 'POST', headers: { ...json, authorization: `Bearer ${token}` }, body: JSON.stringify(body) },
        z.unknown(),
        5_000,
      );
    },

    async me() {
      const { url, headers } = authed('/api/me');
      const { user, presence } = await request(url, { headers }, MeResponseSchema);
      const full = UserSchema.safeParse(user);
      return { id: user.id, user: full.success ? full.data : null, presence: presence ?? null };
    },

    pull(cursor, limit) {
      const { url, headers } = authed('/api/sync/pull');
      // A first pull of a big scope takes a while on the hub.
      return request(url, { method: 'POST', headers: { ...headers, ...json }, body: JSON.stringify({ cursor, limit }) }, SyncPullResponseSchema, 60_000);
    },

    push(mutations) {
      const { url, headers } = authed('/api/sync/push');
      return request(url, { method: 'POST', headers: { ...headers, ...json }, body: JSON.stringify({ mutations }) }, SyncPushResponseSchema, 60_000);
    },

    async attachment(caseId, attachmentId) {
      const { url, headers } = authed(`/api/cases/${encodeURIComponent(caseId)}/attachments/${encodeURIComponent(attachmentId)}`);
      let response: Response;
      try {
        response = await fetchImpl(url, { headers, signal: AbortSignal.timeout(60_000) });
      } catch (error) {
        throw new CoreError('unavailable', `the hub at ${new URL(url).origin} is unreachable (${errorText(error)}); attachments are downloaded from the hub`);
      }
      if (response.status === 404) return null;
      if (response.status === 401 || response.status === 403) throw new CoreError('unauthorized', 'the hub refused the session', response.status);
      if (!response.ok) throw new CoreError('unavailable', `the hub answered ${response.status}`, response.status);
      return { contentType: response.headers.get('content-type') ?? 'application/octet-stream', bytes: Buffer.from(await response.arrayBuffer()) };
    },

    json(method, path, schema, body) {
      const { url, headers } = authed(path);
      const init: RequestInit = body === undefined ? { method, headers } : { method, headers: { ...headers, ...json }, body: JSON.stringify(body) };
      return request(url, init, schema);
    },

    async caseDetail(id, timeoutMs = TIMEOUT_MS) {
      const { url, headers } = authed(`/api/cases/${encodeURIComponent(id)}`);
      try {
        return await request(url, { headers }, CaseDetailResponseSchema, timeoutMs);
      } catch (error) {
        if (error instanceof CoreError && error.code === 'not_found') return null;
        throw error;
      }
    },
  };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
