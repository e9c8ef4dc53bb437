/** Who the hub is on MQTT: its own user on the embedded broker, or the one an external broker URL names. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface MqttCredentials {
  username: string;
  password: string;
}

// A dot is not allowed in a device id (DeviceIdSchema), so no device can ever claim the hub's name.
export const HUB_MQTT_USERNAME = 'switchboard.hub';

/** Made at each start and kept in memory: nothing outside this process can sign in as the hub. */
export function newHubCredentials(): MqttCredentials {
  return { username: HUB_MQTT_USERNAME, password: randomBytes(32).toString('base64url') };
}

/** Constant-time comparison of a secret given at sign-in with the expected one. */
export function secretMatches(expected: string, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/**
 * The broker URL without its user and password, and those decoded. mqtt.js would take them from the URL
 * itself, but it splits `user:pass` at the last colon and lets them override explicit options.
 */
export function splitMqttUrl(url: string): { url: string; credentials: MqttCredentials | undefined } {
  const parsed = new URL(url);
  const credentials = parsed.username || parsed.password ? { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) } : undefined;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.href, credentials };
}
