/** HTTP calls to the hub; every response is validated against the shared protocol. */
import type { z } from 'zod';
import {
  type CaseDetailResponse,
  CaseDetailResponseSchema,
  ErrorResponseSchema,
  type LoginResponse,
  LoginResponseSchema,
  type SyncPullResponse,
  SyncPullResponseSchema,
} from '../../shared/protocol';
import { CoreError } from './errors';

export interface HubClient {
  login(hubUrl: string, username: string, password: string): Promise<LoginResponse>;
  pull(cursor: number, limit: number): Promise<SyncPullResponse>;
  caseDetail(id: string): Promise<CaseDetailResponse | null>;
}

export function createHubClient(session: () => { hubUrl: string; token: string } | null, fetchImpl: typeof fetch = fetch): HubClient {
  async function request<T extends z.ZodType>(url: string, init: RequestInit, schema: T, timeoutMs = 15_000): Promise<z.output<T>> {
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new CoreError('unavailable', `the hub at ${new URL(url).origin} is unreachable (${error instanceof Error ? error.message : String(error)})`);
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = ErrorResponseSchema.safeParse(body);
      const message = parsed.success ? parsed.data.message : `hub answered ${response.status}`;
      if (response.status === 401) throw new CoreError('unauthorized', message);
      if (response.status === 404) throw new CoreError('not_found', message);
      if (response.status === 400) throw new CoreError('invalid_input', message);
      throw new CoreError('unavailable', message);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new CoreError('internal', `unexpected answer from the hub: ${parsed.error.message}`);
    return parsed.data;
  }

  function authed(): { hubUrl: string; headers: Record<string, string> } {
    const current = session();
    if (!current) throw new CoreError('unauthorized', 'not logged in');
    return { hubUrl: current.hubUrl, headers: { authorization: `Bearer ${current.token}`, 'content-type': 'application/json' } };
  }

  return {
    login: (hubUrl, username, password) =>
      request(
        new URL('/api/auth/login', hubUrl).href,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) },
        LoginResponseSchema,
      ),
    pull(cursor, limit) {
      const { hubUrl, headers } = authed();
      return request(new URL('/api/sync/pull', hubUrl).href, { method: 'POST', headers, body: JSON.stringify({ cursor, limit }) }, SyncPullResponseSchema, 60_000);
    },
    async caseDetail(id) {
      const { hubUrl, headers } = authed();
      try {
        return await request(new URL(`/api/cases/${id}`, hubUrl).href, { headers: { authorization: headers.authorization! } }, CaseDetailResponseSchema, 3_000);
      } catch (error) {
        if (error instanceof CoreError && error.code === 'not_found') return null;
        throw error;
      }
    },
  };
}
