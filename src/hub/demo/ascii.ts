/** ASCII spellings of demo names, for mailboxes and social handles. */

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};
// Icelandic letters that Unicode decomposition does not reduce to a Latin base letter.
const ICELANDIC: Record<string, string> = { ð: 'd', þ: 'th', æ: 'ae', ö: 'o' };

/** Lower-case ASCII words joined by `separator`, e.g. "Guðrún Jónsdóttir" → "gudrun.jonsdottir". */
export function asciiName(name: string, separator = '.'): string {
  const latin = [...name.toLowerCase()].map((ch) => CYRILLIC[ch] ?? ICELANDIC[ch] ?? ch).join('');
  return latin
    .normalize('NFD')
    .replace(/[^a-z ]/g, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .join(separator);
}
