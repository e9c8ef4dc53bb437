/**
 * X's webhook security: the CRC answer and the request signature, both
 * `sha256=` + base64(HMAC-SHA256(consumer secret, …)).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const X_SIGNATURE_HEADER = 'x-twitter-webhooks-signature';

export function xSignature(consumerSecret: string, payload: string | Buffer): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(payload).digest('base64')}`;
}

/** The answer to `GET /webhooks/x?crc_token=T`. */
export function crcResponse(consumerSecret: string, crcToken: string): { response_token: string } {
  return { response_token: xSignature(consumerSecret, crcToken) };
}

/** Whether the header signs exactly these raw body bytes; compared in constant time. */
export function verifyXSignature(consumerSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(xSignature(consumerSecret, rawBody));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
