/**
 * A sync pull page as JSON in UTF-8, copied into one region of the page's
 * bytes (repos/page-bytes.ts) from the bytes each change came as from the
 * database (repos/sync.ts): the page is never one object graph or one string
 * of a few MB. The region is the page's: it is read until the page is
 * released, once the response has been sent.
 */
import type { PulledPage } from '../repos/sync';

export function pageJson(page: PulledPage): Buffer {
  const { changes, bytes, ...rest } = page;
  const fields = JSON.stringify(rest);
  const head = Buffer.from('{"changes":[');
  const tail = Buffer.from(fields === '{}' ? ']}' : `],${fields.slice(1)}`);
  const commas = Math.max(changes.length - 1, 0);
  const size = changes.reduce((sum, change) => sum + change.end - change.start, head.length + commas + tail.length);
  const region = bytes.region(size);
  const out = region.bytes.subarray(region.start, region.start + size);
  let at = head.copy(out, 0);
  for (const [i, change] of changes.entries()) {
    if (i > 0) at = out.writeUInt8(COMMA, at);
    at += change.bytes.copy(out, at, change.start, change.end);
  }
  tail.copy(out, at);
  return out;
}

const COMMA = ','.charCodeAt(0);
