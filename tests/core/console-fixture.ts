/** Consoles behind a loopback proxy the test controls, and direct calls to the hub as other users. */
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import { type ConsoleCore, type ConsoleCoreOptions, createConsoleCore, dispatch } from '../../src/main/core';
import type { ApiInput, ApiMethod, ApiOutput, ApiResult, SyncStatus } from '../../src/shared/api';
import type { Case, Message } from '../../src/shared/domain';
import { CaseDetailResponseSchema, type CaseFields, type MutationResult, SyncPushResponseSchema } from '../../src/shared/protocol';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { waitFor } from './hub-fixture';

export function call<M extends ApiMethod>(core: ConsoleCore, method: M, input: ApiInput<M>): Promise<ApiResult<ApiOutput<M>>> {
  return dispatch(core.handlers, method, input) as Promise<ApiResult<ApiOutput<M>>>;
}

export async function ok<M extends ApiMethod>(core: ConsoleCore, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const result = await call(core, method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

export interface ProxiedConsole {
  core: ConsoleCore;
  proxy: TcpProxy;
  dataDir: string;
  /** Closes the core and opens a new one on the same files and proxy (the stored session names the proxy's address). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A console core whose every connection to the hub goes through a proxy the test can switch off. */
export async function proxiedConsole(hubUrl: string, dataDir: string, opts: Pick<ConsoleCoreOptions, 'pullPageSize' | 'secrets' | 'log'> = {}): Promise<ProxiedConsole> {
  const proxy = await startTcpProxy(hubUrl);
  const debug = process.env.DEBUG_CORE ? (m: string) => console.error(`[${dataDir.split('/').pop()}] ${m}`) : undefined;
  // A test's own log (to read what the core did) sees every line; DEBUG_CORE prints them too.
  const own = opts.log;
  const log =
    own && debug
      ? (m: string) => {
          own(m);
          debug(m);
        }
      : (own ?? debug);
  const openCore = () => createConsoleCore({ dataDir, hubUrl: proxy.url, retryBaseMs: 50, resyncIntervalMs: 3_600_000, ...opts, log });
  const c: ProxiedConsole = {
    core: await openCore(),
    proxy,
    dataDir,
    async restart() {
      await c.core.close();
      c.core = await openCore();
    },
    async close() {
      await c.core.close();
      await proxy.close();
    },
  };
  return c;
}

export async function loginVia(c: ProxiedConsole, username: string): Promise<void> {
  await ok(c.core, 'session.login', { username, password: 'demo' });
  await waitFor(async () => (await ok(c.core, 'sync.status', {})).online, { timeoutMs: 10_000, what: `${username} online` });
}

export async function goOffline(c: ProxiedConsole): Promise<void> {
  c.proxy.setOnline(false);
  await waitFor(async () => !(await ok(c.core, 'sync.status', {})).online, { timeoutMs: 10_000, what: 'offline' });
}

/** Back on the network and nothing left to send or fetch: a sync ran to the end with the outbox empty. */
export async function settle(c: ProxiedConsole, timeoutMs = 30_000): Promise<SyncStatus> {
  c.proxy.setOnline(true);
  return waitFor(
    async () => {
      // sync.now pushes and pulls over HTTP; it does not wait for the live socket's reconnect backoff.
      const result = await call(c.core, 'sync.now', {});
      return result.ok && result.value.pending === 0 ? result.value : null;
    },
    { timeoutMs, intervalMs: 50, what: 'outbox empty' },
  );
}

/** Pushes one mutation as another user, straight to the hub. */
export async function hubUpdate(hubUrl: string, token: string, caseId: string, fields: CaseFields, baseVersion?: number): Promise<MutationResult> {
  const version = baseVersion ?? (await hubCase(hubUrl, token, caseId)).case.version;
  return hubPush(hubUrl, token, [{ kind: 'case.update', entityId: caseId, baseVersion: version, payload: { fields } }]).then((r) => r[0]!);
}

export async function hubPush(hubUrl: string, token: string, drafts: Record<string, unknown>[]): Promise<MutationResult[]> {
  const mutations = drafts.map((d) => ({ id: uuidv7(), createdAt: new Date().toISOString(), ...d }));
  const response = await fetch(new URL('/api/sync/push', hubUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ mutations }),
  });
  if (!response.ok) throw new Error(`push: ${response.status} ${await response.text()}`);
  return SyncPushResponseSchema.parse(await response.json()).results;
}

export async function hubCase(hubUrl: string, token: string, id: string): Promise<{ case: Case; messages: Message[] }> {
  const response = await fetch(new URL(`/api/cases/${id}`, hubUrl), { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`case ${id}: ${response.status}`);
  return CaseDetailResponseSchema.parse(await response.json());
}

/** The hub's fields of a case, as the console's cached row must equal them once settled. */
export const hubFields = ({ id, number, subject, status, priority, queueId, assigneeId, tags, resolution, parts, version, rev }: Case) => ({
  id,
  number,
  subject,
  status,
  priority,
  queueId,
  assigneeId,
  tags,
  resolution,
  parts,
  version,
  rev,
});

export const consoleDir = (root: string, name: string) => join(root, name);
