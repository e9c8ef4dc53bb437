/**
 * Reads made once for many callers. `cachedRead`: a setting read from the
 * database at most every `ttlMs` (other hubs may change it; this hub drops its
 * copy at once after its own save). `sharedRead`: whoever asks while a read
 * runs gets that read, and the next ask after it settles makes a new one. A
 * read that fails is not kept: the next use tries again.
 */
export interface CachedRead<T> {
  current(): Promise<T>;
  invalidate(): void;
}

export function cachedRead<T>(read: () => Promise<T>, ttlMs: number): CachedRead<T> {
  let cached: { at: number; value: Promise<T> } | null = null;
  return {
    current() {
      const now = Date.now();
      if (cached && now - cached.at < ttlMs) return cached.value;
      const value = read();
      const entry = { at: now, value };
      cached = entry;
      value.catch(() => {
        if (cached === entry) cached = null;
      });
      return value;
    },
    invalidate() {
      cached = null;
    },
  };
}

/** One read at a time, shared by every caller while it runs (a burst of asks is one read, not one each). */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () => {
    if (running) return running;
    const value = read();
    running = value;
    const done = () => {
      if (running === value) running = null;
    };
    value.then(done, done);
    return value;
  };
}
