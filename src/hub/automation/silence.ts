/**
 * The silence rules ("no telemetry for 30 minutes"), judged on a clock tick
 * over every device's engine state. The tick is a write transaction: with
 * several hubs on one Postgres each may tick, and the state a tick saves
 * (the silence it fired for) keeps the next from firing again.
 */
import type { Logger } from 'pino';
import type { Db } from '../db/connect';
import { writeTransaction } from '../db/write';
import { findDevice } from '../repos/devices';
import { allDeviceStates } from '../repos/rules';
import type { CurrentRules } from './current-rules';
import { type DeviceFired, runSilenceRules } from './device-rules';
import { type Periodic, periodic } from '../ops/periodic';

export const SILENCE_INTERVAL_MS = 30_000;

export type SilenceJudge = Periodic<DeviceFired[]>;

export function judgeSilence(db: Db, rules: CurrentRules, announce: (fired: DeviceFired) => void, log: Logger, opts: { intervalMs?: number } = {}): SilenceJudge {
  return periodic(
    async (now, stopped) => {
      const current = await rules.get();
      if (current.silence.length === 0) return [];
      const fired = await writeTransaction(db, async (tx) => runSilenceRules(tx, current, await allDeviceStates(tx), (id) => findDevice(tx, id), now));
      // After commit, as every firing; not once the hub is closing.
      if (!stopped()) fired.forEach(announce);
      return fired;
    },
    { intervalMs: opts.intervalMs ?? SILENCE_INTERVAL_MS, log, what: 'silence rules' },
  );
}
