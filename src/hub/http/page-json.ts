/**
 * A sync pull page as JSON, written a slice of changes at a time with a turn
 * of the event loop between slices: a page of 5,000 rows is a few MB, and one
 * JSON.stringify of it (then one encoding of that string for the socket) would
 * hold every live event and request behind it. The bytes are exactly those of
 * JSON.stringify(page) in UTF-8.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SyncPullResponse } from '../../shared/protocol';

/** Changes serialised in one go: about a millisecond of work. */
export const JSON_SLICE = 250;

export async function pageJson(page: SyncPullResponse, slice = JSON_SLICE): Promise<Buffer> {
  const { changes, ...rest } = page;
  const parts: Buffer[] = [Buffer.from('{"changes":[')];
  for (let i = 0; i < changes.length; i += slice) {
    if (i > 0) {
      await nextTurn();
      parts.push(Buffer.from(','));
    }
    // The slice's own brackets dropped: the slices join into one array.
    parts.push(Buffer.from(JSON.stringify(changes.slice(i, i + slice))).subarray(1, -1));
  }
  const fields = JSON.stringify(rest);
  parts.push(Buffer.from(fields === '{}' ? ']}' : `],${fields.slice(1)}`));
  return Buffer.concat(parts);
}
