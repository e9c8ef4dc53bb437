/**
 * The languages the console speaks and how one is chosen: the user's pick on
 * this machine, else the first of the OS's (Electron) or browser's preferred
 * languages we have, else English. Pure: no i18next, no DOM, so tests use it.
 */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'ru', name: 'Русский' },
  { code: 'id', name: 'Bahasa Indonesia' },
  { code: 'is', name: 'Íslenska' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];
export const FALLBACK_LANGUAGE: Language = 'en';

export const isLanguage = (tag: unknown): tag is Language => LANGUAGES.some((language) => language.code === tag);

/** "ru-RU" → "ru"; a language we do not have (or nothing) → null. */
export function matchLanguage(tag: string | null | undefined): Language | null {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : null;
}

/** The user's stored pick wins; then the preferred languages in order; then English. */
export function chooseLanguage(stored: string | null, preferred: readonly string[]): Language {
  return matchLanguage(stored) ?? preferred.map(matchLanguage).find((code) => code !== null) ?? FALLBACK_LANGUAGE;
}
