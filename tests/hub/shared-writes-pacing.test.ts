/**
 * How the hub paces its shared writes (src/hub/live/shared-writes.ts), on
 * stand-in transports with a clock the test moves: a flush that took a while
 * holds the next one back as long (the events of that time share one write),
 * a quick one does not, and a long flush lets other work in between slices.
 */
import type { Namespace } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { FLUSH_SLICE_MS, writesSharedPerTurn } from '../../src/hub/live/shared-writes';
import { waitFor } from './helpers';

/** Transports as engine.io's WebSocket one looks to the pacing: each write (`ready`) costs `costMs` of the test's clock. */
function standIns(count: number, clock: { at: number }, costMs: number, log: string[], onWrite: (i: number) => void = () => undefined) {
  const transports = Array.from({ length: count }, (_, i) => ({
    name: 'websocket',
    writable: true,
    writes: 0,
    emit(event: 'ready') {
      if (event !== 'ready') return false;
      this.writes++;
      log.push(`write ${i}`);
      clock.at += costMs;
      onWrite(i);
      return true;
    },
    socket: { _socket: { cork: () => undefined, uncork: () => undefined } },
  }));
  const nsp = { sockets: new Map(transports.map((transport, i) => [String(i), { conn: { transport } }])) } as unknown as Namespace;
  return { transports, nsp };
}

/** The test's clock: real time plus what the stand-ins' writes cost, so a held flush still comes due. */
function testClock() {
  const clock = { at: 0 };
  const started = performance.now();
  return { clock, now: () => performance.now() - started + clock.at };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('shared writes, paced by their own cost', () => {
  it('sends a quick flush at the end of its turn, and the next one as soon', async () => {
    const { clock, now } = testClock();
    const log: string[] = [];
    const { transports, nsp } = standIns(3, clock, 0, log);
    const hold = writesSharedPerTurn(nsp, now);
    hold();
    expect(transports.every((t) => !t.writable)).toBe(true);
    await turn();
    expect(transports.map((t) => t.writes)).toEqual([1, 1, 1]);
    hold();
    await turn();
    expect(transports.map((t) => t.writes)).toEqual([2, 2, 2]);
  });

  it('holds the next flush as long as the last one took, and what comes meanwhile shares it', async () => {
    const { clock, now } = testClock();
    const log: string[] = [];
    // Two transports at 3 ms each: a flush of 6 ms, over FLUSH_WORTH_SPACING_MS.
    const after = { firstFlush: () => undefined as void };
    const { transports, nsp } = standIns(2, clock, 3, log, (i) => {
      // Right after the first flush's last write (a microtask runs once the flush returns).
      if (i === 1 && transports[1]!.writes === 1) queueMicrotask(() => after.firstFlush());
    });
    const hold = writesSharedPerTurn(nsp, now);
    const heldMeanwhile = new Promise<number[]>((resolve) => {
      after.firstFlush = () => {
        // Two broadcasts in two later turns: the first holds, the second finds them held.
        hold();
        void turn().then(() => {
          const afterOneTurn = transports.map((t) => t.writes);
          hold();
          void turn().then(() => resolve([...afterOneTurn, ...transports.map((t) => t.writes)]));
        });
      };
    });
    hold();
    expect(await heldMeanwhile).toEqual([1, 1, 1, 1]);
    await waitFor(async () => (transports.every((t) => t.writes === 2) ? true : undefined));
    expect(transports.map((t) => t.writes)).toEqual([2, 2]);
  });

  it('lets other work in between slices of a long flush, every transport written once, in order', async () => {
    const { clock, now } = testClock();
    const log: string[] = [];
    // Each write costs more than half a slice: two writes fill one.
    const { nsp } = standIns(4, clock, FLUSH_SLICE_MS * 0.75, log);
    const hold = writesSharedPerTurn(nsp, now);
    hold();
    // Queued in this turn, after the flush's own setImmediate: it runs after the flush's first slice, before the next.
    setImmediate(() => log.push('other work'));
    await waitFor(async () => (log.filter((entry) => entry.startsWith('write')).length === 4 ? true : undefined));
    expect(log).toEqual(['write 0', 'write 1', 'other work', 'write 2', 'write 3']);
  });
});
