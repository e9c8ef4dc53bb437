/**
 * A read shared while it runs (src/hub/ops/cached-read.ts sharedRead): asks
 * that come while it runs get the same read, the next ask after it settles
 * reads again, and a failed read is not kept.
 */
import { describe, expect, it } from 'vitest';
import { sharedRead } from '../../src/hub/ops/cached-read';

/** A read the test settles by hand, counting how often it was made. */
function manualRead() {
  const pending: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  let made = 0;
  const read = () =>
    new Promise<number>((resolve, reject) => {
      made++;
      pending.push({ resolve, reject });
    });
  return { read, made: () => made, settle: (i: number) => pending[i]! };
}

describe('a read shared while it runs', () => {
  it('gives every ask during a read that read, and reads again once it has settled', async () => {
    const manual = manualRead();
    const ask = sharedRead(manual.read);
    const asks = [ask(), ask(), ask()];
    expect(manual.made()).toBe(1);
    manual.settle(0).resolve(7);
    expect(await Promise.all(asks)).toEqual([7, 7, 7]);
    const next = ask();
    expect(manual.made()).toBe(2);
    manual.settle(1).resolve(8);
    expect(await next).toBe(8);
  });

  it('keeps no failed read: the ask after it reads again', async () => {
    const manual = manualRead();
    const ask = sharedRead(manual.read);
    const failing = [ask(), ask()];
    manual.settle(0).reject(new Error('database gone'));
    for (const result of await Promise.allSettled(failing)) expect(result).toMatchObject({ status: 'rejected', reason: { message: 'database gone' } });
    const retried = ask();
    expect(manual.made()).toBe(2);
    manual.settle(1).resolve(9);
    expect(await retried).toBe(9);
  });
});
