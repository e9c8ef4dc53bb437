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

export const SILENCE_INTERVAL_MS = 30_000;

export interface SilenceJudge {
  /** One tick now (tests call it instead of waiting). */
  check(now?: Date): Promise<DeviceFired[]>;
  stop(): void;
}

export function judgeSilence(db: Db, rules: CurrentRules, announce: (fired: DeviceFired) => void, log: Logger, opts: { intervalMs?: number } = {}): SilenceJudge {
  let running: Promise<DeviceFired[]> | null = null;
  const check = async (now = new Date()): Promise<DeviceFired[]> => {
    const current = await rules.get();
    if (current.silence.length === 0) return [];
    const fired = await writeTransaction(db, async (tx) => runSilenceRules(tx, current, await allDeviceStates(tx), (id) => findDevice(tx, id), now));
    // After commit, as every firing.
    fired.forEach(announce);
    return fired;
  };
  const timer = setInterval(() => {
    if (running) return;
    running = check()
      .catch((error: unknown) => {
        log.error({ err: error }, 'silence rules failed');
        return [];
      })
      .finally(() => (running = null));
  }, opts.intervalMs ?? SILENCE_INTERVAL_MS);
  timer.unref();
  return {
    check,
    stop: () => clearInterval(timer),
  };
}
