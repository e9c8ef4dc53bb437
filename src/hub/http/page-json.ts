/**
 * A sync pull page as JSON in UTF-8, joined from
 * the JSON each change came as from the database (repos/sync.ts): the
 * page is never one object graph or one string of a few MB.
 */
import type { PulledPage } from '../repos/sync';

export function pageJson(page: PulledPage): Buffer {
  const { changes, ...rest } = page;
  const parts: Buffer[] = [Buffer.from('{"changes":[')];
  for (const [i, change] of changes.entries()) {
    if (i > 0) parts.push(COMMA);
    parts.push(change.json);
  }
  const fields = JSON.stringify(rest);
  parts.push(Buffer.from(fields === '{}' ? ']}' : `],${fields.slice(1)}`));
  return Buffer.concat(parts);
}

const COMMA = Buffer.from(',');
