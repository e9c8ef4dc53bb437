/**
 * One i18next instance speaking ICU messages (i18next-icu: plurals by CLDR
 * rules — Russian one/few/many/other, Icelandic one/other, Indonesian other),
 * every locale bundled (no remote content) and ready before the first render.
 * No DOM and no React here (the renderer's index.ts adds them: the browser's
 * language, react-i18next), so tests in Node use it as it is.
 */
import { createInstance, type i18n as I18n, type ThirdPartyModule } from 'i18next';
import ICU from 'i18next-icu';
import en from './locales/en.json';
import id from './locales/id.json';
import is from './locales/is.json';
import ru from './locales/ru.json';
import { FALLBACK_LANGUAGE, type Language, LANGUAGES } from './languages';

export const RESOURCES = { en, ru, id, is } satisfies Record<Language, unknown>;

/** `plugins`: more plugins, e.g. react-i18next's binding (they must be in place before init). */
export function createI18n(language: Language, ...plugins: ThirdPartyModule[]): I18n {
  const instance = createInstance().use(new ICU());
  for (const plugin of plugins) instance.use(plugin);
  void instance
    .init({
      resources: Object.fromEntries(Object.entries(RESOURCES).map(([code, translation]) => [code, { translation }])),
      lng: language,
      fallbackLng: FALLBACK_LANGUAGE,
      supportedLngs: LANGUAGES.map((l) => l.code),
      // Bundled resources: ready at once, before the first render.
      initAsync: false,
      // React escapes what it renders.
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  return instance;
}
