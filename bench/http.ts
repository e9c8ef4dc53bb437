import http from 'node:http';
import { uuidv7 } from 'uuidv7';
/** JSON over HTTP to a hub, for the benchmarks. */
export function poster(hubUrl: string) {
  return (path: string, body: unknown, token?: string) =>
    fetch(new URL(path, hubUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
}

/** A supervisor's internal note on a case, as a console pushes it (one mutation). */
export function noteMutation(caseId: string, body: string) {
  return { id: uuidv7(), kind: 'case.note', entityId: caseId, baseVersion: 0, createdAt: new Date().toISOString(), payload: { body } };
}

export async function loginAs(hubUrl: string, username: string): Promise<string> {
  const response = await poster(hubUrl)('/api/auth/login', { username, password: 'demo' });
  if (!response.ok) throw new Error(`login ${username}: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * A lean keep-alive client for load: fetch spends more CPU per request than
 * the hub does on a small webhook, and on a machine of two cores the load
 * generator's CPU is taken from the hub being measured.
 */
export function leanPoster(hubUrl: string, sockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const base = new URL(hubUrl);
  const post = (path: string, body: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        { agent, host: base.hostname, port: base.port, path, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  return { post, close: () => agent.destroy() };
}
