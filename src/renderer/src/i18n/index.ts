/**
 * The console's language: the user's pick on this machine, else the OS's
 * (Electron) or the browser's (browser shell), else English. `<html lang>`
 * follows it. Components translate with react-i18next's `useTranslation`;
 * modules that build text outside React use `i18n.t` here.
 */
import { initReactI18next } from 'react-i18next';
import type en from './locales/en.json';
import { createI18n } from './instance';
import { chooseLanguage, FALLBACK_LANGUAGE, type Language } from './languages';

export { LANGUAGES, type Language } from './languages';

/** Per machine: the renderer's own storage (Electron's profile; per origin in the browser shell). */
const STORAGE_KEY = 'switchboard.language';

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

const preferred = (): readonly string[] => (navigator.languages?.length ? navigator.languages : [navigator.language]);

export const i18n = createI18n(chooseLanguage(storedLanguage(), preferred()), initReactI18next);

const followLanguage = (language: string) => document.documentElement.setAttribute('lang', language);
followLanguage(i18n.language);
i18n.on('languageChanged', followLanguage);

/** The user's pick: shown at once and remembered on this machine. */
export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage refused (a locked-down profile): the pick lasts this session.
  }
  void i18n.changeLanguage(language);
}

/** The language shown (for `lang`, collation, text case). */
export const currentLocale = (): string => i18n.language || FALLBACK_LANGUAGE;

/**
 * Where the runtime's `Intl` lacks a language's data (Chromium's ICU, so
 * Electron's too, has no Icelandic), a neighbour that writes numbers, times
 * and numeric dates the same way: Icelandic as German does (1.234,5 · 27.11. ·
 * 14:45). Only its digits are used, never its words: `own` false says so.
 */
const NEIGHBOUR: Partial<Record<Language, string>> = { is: 'de' };

export function intlLocale(): { locale: string; own: boolean } {
  const language = currentLocale();
  if (Intl.DateTimeFormat.supportedLocalesOf([language]).length > 0) return { locale: language, own: true };
  return { locale: NEIGHBOUR[language as Language] ?? FALLBACK_LANGUAGE, own: false };
}

/** Keys are checked against the English messages. */
declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}
