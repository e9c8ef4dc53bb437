/** Display helpers for customer data. */
const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
export const formatMoney = (value: number): string => money.format(value);

const languages = new Intl.DisplayNames(undefined, { type: 'language' });
/** "ru" → "Russian"; an unknown tag is shown as given. */
export function languageName(tag: string): string {
  try {
    return languages.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

export function sentimentLabel(value: number | null): { label: string; color: string } {
  if (value === null) return { label: 'Unknown', color: 'dimmed' };
  if (value <= -0.3) return { label: 'Negative', color: 'red' };
  if (value >= 0.3) return { label: 'Positive', color: 'teal' };
  return { label: 'Neutral', color: 'gray.7' };
}

/** "812 B", "14 KB", "3.2 MB": a file's size at a glance. */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}
