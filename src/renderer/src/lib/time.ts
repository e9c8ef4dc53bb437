/**
 * Times, durations and ages in the current language (English reads "2h 14m",
 * "Nov 16, 14:05"): dates and times through `Intl`, the duration units from
 * the messages (every runtime has them, Icelandic too).
 */
import { timeLeft } from '../../../shared/sla';
import { i18n, intlLocale } from '../i18n';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Unit = 'second' | 'minute' | 'hour' | 'day';

/** `Intl` formats, made once per locale. */
const cached = <T>(make: (locale: string, own: boolean, key: string) => T) => {
  const made = new Map<string, T>();
  return (key: string): T => {
    const { locale, own } = intlLocale();
    const id = `${locale}|${own}|${key}`;
    let value = made.get(id);
    if (value === undefined) made.set(id, (value = make(locale, own, key)));
    return value;
  };
};

/** "2h" in English, "2 ч" in Russian, "2 klst." in Icelandic. */
const amount = (n: number, unit: Unit): string => i18n.t(`units.${unit}`, { n });

/** Two units at most, for countdowns: "45s", "12m", "2h 14m", "3d 4h". */
export function compactDuration(ms: number): string {
  const s = Math.max(0, Math.floor(Math.abs(ms) / SECOND));
  if (s < 60) return amount(s, 'second');
  const m = Math.floor(s / 60);
  if (m < 60) return amount(m, 'minute');
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${amount(h, 'hour')} ${amount(m % 60, 'minute')}` : amount(h, 'hour');
  const d = Math.floor(h / 24);
  return h % 24 ? `${amount(d, 'day')} ${amount(h % 24, 'hour')}` : amount(d, 'day');
}

/** The shortest a language writes a unit ("3 t" in Icelandic, where a countdown says "3 klst."). */
const short = (n: number, unit: Exclude<Unit, 'second'>): string => i18n.t(`units.short.${unit}`, { n });

/** One unit, for ages in a dense column: "now", "12m", "3h", "2d". */
export function ageLabel(ms: number): string {
  if (ms < MINUTE) return i18n.t('time.now');
  if (ms < HOUR) return short(Math.floor(ms / MINUTE), 'minute');
  if (ms < DAY) return short(Math.floor(ms / HOUR), 'hour');
  return short(Math.floor(ms / DAY), 'day');
}

export function slaText(dueAt: string, now: number): string {
  const left = timeLeft(dueAt, now); // the shared SLA clock (src/shared/sla.ts)
  return left < 0 ? i18n.t('time.slaBreached', { duration: compactDuration(left) }) : i18n.t('time.slaIn', { duration: compactDuration(left) });
}

type DateStyle = 'time' | 'seconds' | 'day' | 'date' | 'full';
const CLOCK = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
const DATE_OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  time: CLOCK,
  seconds: { ...CLOCK, second: '2-digit' },
  day: { month: 'short', day: 'numeric', ...CLOCK },
  date: { month: 'short', day: 'numeric', year: 'numeric' },
  full: { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', ...CLOCK, second: '2-digit' },
};

/** A language `Intl` has no data for gets numeric dates from its neighbour: no month or day names in another language. */
const dateFormat = cached((locale, own, style) => {
  const options = DATE_OPTIONS[style as DateStyle];
  if (own) return new Intl.DateTimeFormat(locale, options);
  const { weekday: _weekday, ...rest } = options;
  return new Intl.DateTimeFormat(locale, rest.month ? { ...rest, month: 'numeric' } : rest);
});

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** "14:05" today, "Nov 16, 14:05" this year, "Nov 16, 2024" before. */
export function formatTimestamp(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  const today = new Date(now);
  if (sameDay(at, today)) return dateFormat('time').format(at);
  if (at.getFullYear() === today.getFullYear()) return dateFormat('day').format(at);
  return dateFormat('date').format(at);
}

/** "14:05:09" today, else "Nov 16, 14:05": a log's dense column. */
export function preciseTimestamp(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  return dateFormat(sameDay(at, new Date(now)) ? 'seconds' : 'day').format(at);
}

/** "Mon, Nov 16, 2024, 14:05:09": every part, for a tooltip. */
export const fullTimestamp = (iso: string): string => dateFormat('full').format(new Date(iso));

/** "12s ago", "3m ago" — for "last sync". */
export const agoText = (iso: string, now: number): string => {
  const ms = now - Date.parse(iso);
  return ms < 5 * SECOND ? i18n.t('time.justNow') : i18n.t('time.ago', { duration: compactDuration(ms).split(' ')[0] });
};
