/**
 * The buffers a sync pull page's bytes are written into (each slice's
 * changes, then the page as sent), lent again once the page has been sent.
 *
 * Why not a fresh buffer each time: V8 counts memory outside its heap, and a
 * bootstrap of 100,000 cases wrote ~100 MB of it in a few seconds; past 64 MB
 * of such growth V8 starts a full collection of the hub's whole heap, and its
 * pauses (15–28 ms each, twice a pull) were the longest stalls of the hub's
 * event loop during a big pull. Lent buffers keep that figure flat.
 */

/** A buffer lent holds several slices: a slice of 500 cases is ~400 KB. */
const CHUNK_BYTES = 1 << 20;
/** What stays lent-out-able between pages (the rest is left to the collector): a few pages' worth. */
const KEEP_BYTES = 24 << 20;
/** A region smaller than this that no held buffer has room for is a buffer of its own, not lent: a console's routine pull of a few changes holds no MB. */
const SMALL_BYTES = 64 << 10;

const spare: Buffer[] = [];
let spareBytes = 0;

function takeSpare(size: number): Buffer | undefined {
  const i = spare.findIndex((buffer) => buffer.length >= size);
  if (i < 0) return undefined;
  const [buffer] = spare.splice(i, 1);
  spareBytes -= buffer!.length;
  return buffer;
}

function giveBack(buffer: Buffer): void {
  if (spareBytes + buffer.length > KEEP_BYTES) return;
  spare.push(buffer);
  spareBytes += buffer.length;
}

/** The bytes of one page: regions of buffers it holds until `release`. */
export class PageBytes {
  private held: Buffer[] = [];
  private used = 0;

  /** `size` bytes of a buffer this page holds, from `start`, for the caller to write. */
  region(size: number): { bytes: Buffer; start: number } {
    const current = this.held.at(-1);
    if (current && current.length - this.used >= size) {
      const start = this.used;
      this.used += size;
      return { bytes: current, start };
    }
    if (size < SMALL_BYTES) return { bytes: Buffer.allocUnsafe(size), start: 0 };
    const buffer = takeSpare(size) ?? Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, size));
    this.held.push(buffer);
    this.used = size;
    return { bytes: buffer, start: 0 };
  }

  /** The page has been sent (or dropped): nothing reads its bytes any more, and its buffers are lent to the next page. */
  release(): void {
    for (const buffer of this.held) giveBack(buffer);
    this.held = [];
    this.used = 0;
  }
}

/** For tests: how many bytes wait to be lent. */
export function spareBytesForTests(): number {
  return spareBytes;
}
