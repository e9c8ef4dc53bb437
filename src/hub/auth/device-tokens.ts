/** Device tokens: stored only as a SHA-256 digest, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

// Device tokens are long random strings, not passwords: a fast digest is enough and keeps ingest cheap.
export function hashDeviceToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function deviceTokenMatches(tokenHash: string, token: string): boolean {
  const expected = Buffer.from(tokenHash);
  const given = Buffer.from(hashDeviceToken(token));
  return expected.length === given.length && timingSafeEqual(expected, given);
}
