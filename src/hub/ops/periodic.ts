/**
 * A look the hub takes on a clock (surges, SLA breaches, device silence):
 * one at a time — two overlapping would read the same "not yet recorded" and
 * wait on each other's locks — and `check(now)` for tests to take one at
 * once instead of waiting. A failed look is logged; the next tick tries again.
 */
import type { Logger } from 'pino';

export interface Periodic<T> {
  check(now?: Date): Promise<T>;
  /** No more ticks; resolves once the look under way has ended. */
  stop(): Promise<void>;
}

/** `run` is told whether the watch has been stopped, so a look under way sends nothing more once the hub is closing. */
export function periodic<T>(run: (now: Date, stopped: () => boolean) => Promise<T>, opts: { intervalMs: number; log: Logger; what: string }): Periodic<T> {
  let last: Promise<unknown> = Promise.resolve();
  let busy = false;
  let stopped = false;

  const check = (now = new Date()): Promise<T> => {
    const next = last.then(() => run(now, () => stopped));
    last = next.catch(() => undefined);
    return next;
  };

  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    check()
      .catch((error: unknown) => opts.log.warn({ err: error }, `${opts.what} failed`))
      .finally(() => {
        busy = false;
      });
  }, opts.intervalMs);
  timer.unref();

  return {
    check,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await last;
    },
  };
}
