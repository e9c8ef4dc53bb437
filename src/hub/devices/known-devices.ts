/**
 * Which devices exist, as the ingest needs to know before a payload may wait
 * in memory for its device's turn. Devices found are remembered (devices are
 * never deleted); any other id is looked up once at a time, and payloads
 * waiting on look-ups are capped, so a flood for unknown ids holds a bounded
 * amount of memory and leaves nothing behind.
 */
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/connect';
import { deviceExists } from '../repos/devices';

// More devices than a hub serves; past it the least recent is looked up again.
const MAX_REMEMBERED = 100_000;
/** Payloads (at most MAX_PACKET_BYTES each over MQTT) that may wait on a look-up at once; more are refused. */
export const MAX_AWAITING_LOOKUP = 1_000;

export interface KnownDevices {
  /** True when the device is known to exist, without asking the database. */
  known(deviceId: string): boolean;
  /**
   * Asks the database; payloads of one device that wait on the same look-up resume in the order they asked.
   * Undefined when MAX_AWAITING_LOOKUP payloads already wait.
   */
  lookUp(deviceId: string): Promise<boolean> | undefined;
}

export function createKnownDevices(db: Db): KnownDevices {
  const remembered = new LRUCache<string, true>({ max: MAX_REMEMBERED });
  const lookups = new Map<string, Promise<boolean>>();
  let awaiting = 0;
  return {
    known: (deviceId) => remembered.has(deviceId),
    lookUp(deviceId) {
      if (awaiting >= MAX_AWAITING_LOOKUP) return undefined;
      let lookup = lookups.get(deviceId);
      if (!lookup) {
        lookup = deviceExists(db, deviceId)
          .then((exists) => {
            if (exists) remembered.set(deviceId, true);
            return exists;
          })
          .finally(() => lookups.delete(deviceId));
        lookups.set(deviceId, lookup);
      }
      awaiting++;
      const done = () => void awaiting--;
      lookup.then(done, done);
      return lookup;
    },
  };
}
