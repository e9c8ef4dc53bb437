/**
 * Who is who on Bluesky, asked of the brand's PDS over XRPC: the brand's DID
 * (its handle resolved once) and, best effort, an author's handle to show as
 * their name (cached; the DID when the PDS cannot tell).
 */
import { LRUCache } from 'lru-cache';
import { z } from 'zod';

const TIMEOUT_MS = 5_000;
/** How long an author's handle is trusted (handles can change). */
const NAME_TTL_MS = 60 * 60_000;
const FAILED_TTL_MS = 5 * 60_000;

const ResolvedSchema = z.object({ did: z.string().regex(/^did:[a-z]+:[A-Za-z0-9._:%-]+$/) });
const RepoSchema = z.object({ handle: z.string().min(1).max(253) });

async function xrpc(pdsUrl: string, method: string, params: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
  const url = `${pdsUrl.replace(/\/+$/, '')}/xrpc/${method}?${new URLSearchParams(params)}`;
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  if (!response.ok) throw new Error(`${method} answered ${response.status}`);
  return response.json();
}

/** The DID the handle names (`com.atproto.identity.resolveHandle`). */
export async function resolveHandle(pdsUrl: string, handle: string, signal: AbortSignal): Promise<string> {
  return ResolvedSchema.parse(await xrpc(pdsUrl, 'com.atproto.identity.resolveHandle', { handle }, signal)).did;
}

/** An author's handle by DID (`com.atproto.repo.describeRepo`), cached; the DID itself when there is no PDS to ask or it cannot tell. */
export function authorNames(pdsUrl: string | null): (did: string) => Promise<string> {
  const cache = new LRUCache<string, string>({ max: 10_000, ttl: NAME_TTL_MS });
  return async (did) => {
    const known = cache.get(did);
    if (known !== undefined) return known;
    let name = did;
    if (pdsUrl) {
      try {
        name = RepoSchema.parse(await xrpc(pdsUrl, 'com.atproto.repo.describeRepo', { repo: did })).handle;
      } catch {
        // Best effort: the DID names the author well enough, and a failing PDS must not hold the stream up.
      }
    }
    // A PDS that could not tell is asked again sooner.
    cache.set(did, name, name === did ? { ttl: FAILED_TTL_MS } : undefined);
    return name;
  };
}
