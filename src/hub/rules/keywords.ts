/**
 * Keyword matching for message rules: whole words or phrases, case-insensitive,
 * in any script. `\b` knows only ASCII letters, so the word boundary here is
 * "no letter, mark, digit or _ on either side" by Unicode property: "сломан"
 * does not match inside "сломанный", "bilun" is found in "Bilun!", and
 * "rusak" in "HP saya rusak.".
 */

const WORD = '[\\p{L}\\p{M}\\p{N}_]';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface KeywordMatcher {
  /** The keywords found in `text`, as the rule spells them, in the rule's order. */
  find(text: string): string[];
}

export function keywordMatcher(keywords: readonly string[]): KeywordMatcher {
  const spelled = keywords.map((k) => k.normalize('NFC').trim());
  // One capturing group per keyword, so a match says which keyword it was, however its case differs;
  // longest first, so "refund now" is not cut short by "refund".
  const order = spelled.map((_, i) => i).sort((a, b) => spelled[b]!.length - spelled[a]!.length);
  const groups = order.map((i) => `(${spelled[i]!.split(/\s+/).map(escape).join('\\s+')})`);
  const pattern = new RegExp(`(?<!${WORD})(?:${groups.join('|')})(?!${WORD})`, 'giu');
  return {
    find(text) {
      const found = new Set<number>();
      for (const match of text.normalize('NFC').matchAll(pattern)) {
        const index = match.findIndex((group, i) => i > 0 && group !== undefined);
        if (index > 0) found.add(order[index - 1]!);
        if (found.size === spelled.length) break;
      }
      return [...found].sort((a, b) => a - b).map((i) => spelled[i]!);
    },
  };
}
