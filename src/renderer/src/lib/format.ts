/** Display helpers for customer data, in the current language (`Intl`; see `intlLocale`). */
import { i18n, intlLocale } from '../i18n';

const byLocale = <T>(make: (locale: string) => T) => {
  const made = new Map<string, T>();
  return (): T => {
    const { locale } = intlLocale();
    let value = made.get(locale);
    if (value === undefined) made.set(locale, (value = make(locale)));
    return value;
  };
};

const money = byLocale((locale) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }));
export const formatMoney = (value: number): string => money().format(value);

const number = byLocale((locale) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }));
/** "1,234.5" / "1 234,5": a count or measure as the language writes it. */
export const formatNumber = (value: number): string => number().format(value);

const displayNames = new Map<string, Intl.DisplayNames>();
/** Language names from `Intl` in the language shown, or in English where `Intl` has no words for it. */
function intlNames(): Intl.DisplayNames {
  const { locale, own } = intlLocale();
  const shownIn = own ? locale : 'en';
  let names = displayNames.get(shownIn);
  if (!names) displayNames.set(shownIn, (names = new Intl.DisplayNames(shownIn, { type: 'language' })));
  return names;
}

/** The languages the console speaks, named by the messages (every runtime knows them). */
const NAMED = new Set(['en', 'ru', 'id', 'is']);

/** "ru" → "Russian" (in Russian: "русский"); an unknown tag is shown as given. */
export function languageName(tag: string): string {
  const primary = tag.toLowerCase().split(/[-_]/)[0] ?? '';
  if (NAMED.has(primary) && primary === tag.toLowerCase()) return i18n.t(`languageNames.${primary}` as never);
  try {
    return intlNames().of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

export function sentimentLabel(value: number | null): { label: string; color: string } {
  if (value === null) return { label: i18n.t('sentiment.unknown'), color: 'dimmed' };
  if (value <= -0.3) return { label: i18n.t('sentiment.negative'), color: 'red' };
  if (value >= 0.3) return { label: i18n.t('sentiment.positive'), color: 'teal' };
  return { label: i18n.t('sentiment.neutral'), color: 'light-dark(var(--mantine-color-gray-7), var(--mantine-color-dark-1))' };
}

/** "812 B", "14 KB", "3.2 MB": a file's size at a glance. */
export function formatBytes(size: number): string {
  if (size < 1024) return i18n.t('units.bytes', { size });
  if (size < 1024 * 1024) return i18n.t('units.kilobytes', { size: Math.round(size / 1024) });
  return i18n.t('units.megabytes', { size: size / (1024 * 1024) });
}
