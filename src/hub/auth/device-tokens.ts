/** Device tokens: stored only as a SHA-256 digest, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Device } from '../../shared/domain';
import type { Db } from '../db/connect';
import { findDevice } from '../repos/devices';

// Device tokens are long random strings, not passwords: a fast digest is enough and keeps ingest cheap.
export function hashDeviceToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function deviceTokenMatches(tokenHash: string, token: string): boolean {
  const expected = Buffer.from(tokenHash);
  const given = Buffer.from(hashDeviceToken(token));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// Compared against when the device is unknown, so an unknown id takes as long to refuse as a wrong token.
const NO_DEVICE = hashDeviceToken('');

/** The device, when `token` is its token; null for an unknown device or a wrong token (HTTP and MQTT alike). */
export async function authenticateDevice(db: Db, deviceId: string, token: string): Promise<Device | null> {
  const device = await findDevice(db, deviceId);
  const matches = deviceTokenMatches(device?.tokenHash ?? NO_DEVICE, token);
  return device && matches ? device : null;
}
