/**
 * Twilio's request validation: `X-Twilio-Signature` = base64(HMAC-SHA1(auth
 * token, the full URL Twilio called + every POST field sorted by name, each
 * name followed by its value)).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/** By name, then by value for a name given twice; code-unit order, as Twilio's own libraries sort. */
const byNameThenValue = ([an, av]: [string, string], [bn, bv]: [string, string]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0);

export function twilioSignature(authToken: string, url: string, fields: [string, string][]): string {
  const payload = url + [...fields].sort(byNameThenValue).map(([name, value]) => name + value).join('');
  return createHmac('sha1', authToken).update(payload, 'utf8').digest('base64');
}

/** Whether the header signs exactly this URL and these fields; compared in constant time. */
export function verifyTwilioSignature(authToken: string, url: string, fields: [string, string][], header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, fields));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
