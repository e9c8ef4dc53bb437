/** Derived columns the repositories store beside each row's JSON. */

/**
 * Unicode-aware lower case for search; SQLite's LIKE only folds ASCII.
 * toLowerCase() is Unicode's default (locale-neutral) mapping, the same as the
 * 'und' locale, at a twentieth of toLocaleLowerCase's cost per row.
 */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** ISO-8601 (any offset) → epoch ms, so times sort as numbers. */
export function epochMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO-8601 time: ${iso}`);
  return ms;
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped (use ESCAPE '\\'). */
export function containsPattern(text: string): string {
  return `%${fold(text).replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
