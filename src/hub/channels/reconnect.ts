/**
 * What every streamed channel (Mastodon's SSE, Bluesky's Jetstream) does
 * between connections: run a session until it ends or fails, wait with
 * exponential backoff and jitter, and run the next — until closed. A provider
 * refusing the credentials is retried slowly (a typo does not hammer it), and
 * `close()` waits for the session in flight, so a message being stored
 * commits before the database closes.
 */
import type { Logger } from 'pino';

/** The provider refused the credentials (HTTP 401): retrying soon would not help. */
export class StreamAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamAuthError';
  }
}

export interface StreamSession {
  /** Aborted by `close()`: the session ends as soon as what it is storing is stored. */
  signal: AbortSignal;
  /** Says the session is established, so the next failure starts the backoff over. */
  connected(): void;
}

export interface KeepStreamingOptions {
  log: Logger;
  /** Names the stream in log lines. */
  what: string;
  /** Runs until the provider ends the stream (resolves) or it fails (rejects). */
  session(session: StreamSession): Promise<void>;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** The wait after a refused credential. */
  authDelayMs?: number;
}

/** The n-th wait (from 0): doubling up to the ceiling, each drawn from its upper half so hubs that lost a provider together spread out. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export function keepStreaming(options: KeepStreamingOptions): { close(): Promise<void> } {
  const { log, what } = options;
  const minMs = options.minDelayMs ?? 500;
  const maxMs = options.maxDelayMs ?? 60_000;
  const authMs = options.authDelayMs ?? 5 * 60_000;
  const stop = new AbortController();
  const done = (async () => {
    let attempt = 0;
    while (!stop.signal.aborted) {
      let wait: number;
      try {
        await options.session({ signal: stop.signal, connected: () => (attempt = 0) });
        if (stop.signal.aborted) break;
        wait = backoffDelay(attempt++, minMs, maxMs);
        log.info({ retryInMs: wait }, `${what} stream ended; reconnecting`);
      } catch (error) {
        if (stop.signal.aborted) break;
        if (error instanceof StreamAuthError) {
          wait = authMs;
          log.error({ retryInMs: wait }, `${what}: ${error.message}`);
        } else {
          wait = backoffDelay(attempt++, minMs, maxMs);
          log.warn({ err: error, retryInMs: wait }, `${what} stream failed; reconnecting`);
        }
      }
      await sleep(wait, stop.signal);
    }
  })();
  return {
    async close() {
      stop.abort();
      await done;
    },
  };
}
