/**
 * A setting read from the database at most every `ttlMs` (other hubs may
 * change it; this hub drops its copy at once after its own save). A read
 * that fails is not kept: the next use tries again.
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
