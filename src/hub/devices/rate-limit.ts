/**
 * Per-device rate limit on telemetry messages: a token bucket per device.
 * A device may send `burst` messages at once (a catch-up after a reconnect)
 * and `perSecond` on average; the rest are dropped.
 */
import { LRUCache } from 'lru-cache';

export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** A device reporting every second, or a few times a second, never meets it; a flood does at once. */
export const DEVICE_MESSAGE_RATE: RateLimit = { perSecond: 10, burst: 60 };

// Buckets of this many devices at most are held; a forgotten one starts full again.
const MAX_TRACKED_DEVICES = 100_000;

export type Verdict = { allowed: true; droppedBefore: number } | { allowed: false; firstDrop: boolean };

interface Bucket {
  tokens: number;
  at: number;
  dropped: number;
}

export interface RateLimiter {
  /** Takes one message's token from the device's bucket; says whether the message may pass, and what was dropped. */
  take(deviceId: string): Verdict;
}

export function createRateLimiter(limit: RateLimit = DEVICE_MESSAGE_RATE): RateLimiter {
  // A bucket left alone this long is full again, the same as no bucket: it is forgotten then.
  const refillMs = (limit.burst / limit.perSecond) * 1000;
  const buckets = new LRUCache<string, Bucket>({ max: MAX_TRACKED_DEVICES, ttl: refillMs });
  return {
    take(deviceId) {
      const now = performance.now();
      const bucket = buckets.get(deviceId) ?? { tokens: limit.burst, at: now, dropped: 0 };
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
      bucket.at = now;
      let verdict: Verdict;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        verdict = { allowed: true, droppedBefore: bucket.dropped };
        bucket.dropped = 0;
      } else {
        verdict = { allowed: false, firstDrop: bucket.dropped === 0 };
        bucket.dropped++;
      }
      buckets.set(deviceId, bucket);
      return verdict;
    },
  };
}
