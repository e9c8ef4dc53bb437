/**
 * A pull page's buffers (src/hub/repos/page-bytes.ts): regions of a page held
 * never overlap, nor those of two pages held at once; a released page's
 * buffers are lent to the next page, and only up to a bound (a small region
 * takes none); and a pull over
 * HTTP gives its buffers back once the response is done, while two pulls at
 * once each get their own page intact.
 */
import { describe, expect, it, vi } from 'vitest';
import { PageBytes, spareBytesForTests } from '../../src/hub/repos/page-bytes';
import { backends, startTestHub } from './backends';

function fill(page: PageBytes, size: number, byte: number) {
  const region = page.region(size);
  region.bytes.fill(byte, region.start, region.start + size);
  return region;
}

const intact = (region: { bytes: Buffer; start: number }, size: number, byte: number) => region.bytes.subarray(region.start, region.start + size).every((b) => b === byte);

describe('a pull page’s buffers', () => {
  it('never lends one region twice while pages hold them', () => {
    const a = new PageBytes();
    const b = new PageBytes();
    const regions = [fill(a, 300_000, 1), fill(b, 300_000, 2), fill(a, 300_000, 3), fill(a, 900_000, 4), fill(b, 5_000_000, 5), fill(a, 50_000, 6), fill(a, 50_000, 8)];
    expect(intact(regions[0]!, 300_000, 1)).toBe(true);
    expect(intact(regions[1]!, 300_000, 2)).toBe(true);
    expect(intact(regions[2]!, 300_000, 3)).toBe(true);
    expect(intact(regions[3]!, 900_000, 4)).toBe(true);
    expect(intact(regions[4]!, 5_000_000, 5)).toBe(true);
    expect(intact(regions[5]!, 50_000, 6)).toBe(true);
    expect(intact(regions[6]!, 50_000, 8)).toBe(true);
    // Two regions of one page share a buffer while it has room.
    expect(regions[2]!.bytes).toBe(regions[0]!.bytes);
    expect(regions[2]!.start).toBe(300_000);
    a.release();
    b.release();
  });

  it('gives a small region that no held buffer has room for a buffer of its own, and lends nothing for it', () => {
    const kept = spareBytesForTests();
    const page = new PageBytes();
    const regions = [fill(page, 0, 0), fill(page, 2_000, 1), fill(page, 30_000, 2)];
    expect(spareBytesForTests()).toBe(kept);
    expect(regions[1]!.bytes).not.toBe(regions[2]!.bytes);
    expect(intact(regions[1]!, 2_000, 1)).toBe(true);
    // Once the page holds a lent buffer, small regions share it.
    const large = fill(page, 100_000, 3);
    const after = fill(page, 2_000, 4);
    expect(after.bytes).toBe(large.bytes);
    expect(intact(large, 100_000, 3)).toBe(true);
    page.release();
  });

  it('lends a released page’s buffers to the next page, and keeps only so many', () => {
    const first = new PageBytes();
    const taken = fill(first, 500_000, 7);
    first.release();
    const kept = spareBytesForTests();
    expect(kept).toBeGreaterThanOrEqual(taken.bytes.length);
    const next = new PageBytes();
    const again = next.region(400_000);
    // A kept buffer, not a new one.
    expect(spareBytesForTests()).toBe(kept - again.bytes.length);
    next.release();
    expect(spareBytesForTests()).toBe(kept);

    // Many pages released at once: what is kept is bounded.
    const many = Array.from({ length: 60 }, () => {
      const page = new PageBytes();
      page.region(1 << 20);
      return page;
    });
    for (const page of many) page.release();
    expect(spareBytesForTests()).toBeLessThanOrEqual(24 << 20);
    expect(spareBytesForTests()).toBeGreaterThan(8 << 20);
  });
});

describe.each(backends)('pulls over HTTP on $name', (backend) => {
  it('each of two pulls at once gets its own page, and the buffers come back once sent', async () => {
    const hub = await startTestHub(backend);
    try {
      const token = await hub.login('sam');
      const pull = async (cursor: number) => {
        const response = await hub.post('/api/sync/pull', { cursor, limit: 200 }, token);
        expect(response.status).toBe(200);
        return (await response.json()) as { changes: { rev: number; entity: string }[]; cursor: number };
      };
      const before = spareBytesForTests();
      const alone = await pull(0);
      // Lent back once sent: the buffers the page took (kept ones, or new when none were kept) wait to be lent again.
      await vi.waitFor(() => expect(spareBytesForTests()).toBeGreaterThanOrEqual(Math.max(before, 1)));
      const after = await pull(alone.cursor);
      const [both0, bothAfter] = await Promise.all([pull(0), pull(alone.cursor)]);
      expect(alone.changes.length).toBe(200);
      expect(both0).toEqual(alone);
      expect(bothAfter).toEqual(after);
    } finally {
      await hub.close();
    }
  });
});
