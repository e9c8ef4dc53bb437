/** Test helper: what node-postgres sends and what comes back, in order, on every connection. */
import pg from 'pg';
import { vi } from 'vitest';

/** What went to and came back from Postgres on every connection, in order: `sent:TEXT` and `answered:TEXT`. */
export function wireLog(): string[] {
  const log: string[] = [];
  const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text?: string; submit?: unknown; callback?: (...a: unknown[]) => void };
    const text = (typeof config === 'string' ? config : (config.text ?? '')).trim().split(/\s+/).slice(0, 3).join(' ');
    if (typeof config === 'object' && typeof config.submit === 'function' && config.callback) {
      const callback = config.callback;
      config.callback = (...answer: unknown[]) => {
        log.push(`answered:${text}`);
        callback(...answer);
      };
    }
    log.push(`sent:${text}`);
    const result = query.apply(this, args);
    if (result instanceof Promise) void result.then(() => log.push(`answered:${text}`), () => log.push(`answered:${text}`));
    return result;
  } as never);
  return log;
}
