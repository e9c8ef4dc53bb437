/**
 * Meta's webhook security: the verification handshake's token and the
 * request signature, `sha256=` + hex(HMAC-SHA256(app secret, raw body)).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const META_SIGNATURE_HEADER = 'x-hub-signature-256';

export function metaSignature(appSecret: string, payload: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(payload).digest('hex')}`;
}

/** Equal strings, compared in constant time for strings of one length. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether the header signs exactly these raw body bytes (hex in either case). */
export function verifyMetaSignature(appSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  return sameSecret(header.toLowerCase(), metaSignature(appSecret, rawBody));
}
