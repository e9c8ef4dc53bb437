import dayjs from 'dayjs';
import { timeLeft } from '../../../shared/sla';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Two units at most, for countdowns: "45s", "12m", "2h 14m", "3d 4h". */
export function compactDuration(ms: number): string {
  const s = Math.max(0, Math.floor(Math.abs(ms) / SECOND));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** One unit, for ages in a dense column: "now", "12m", "3h", "2d". */
export function ageLabel(ms: number): string {
  if (ms < MINUTE) return 'now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)}h`;
  return `${Math.floor(ms / DAY)}d`;
}

export function slaText(dueAt: string, now: number): string {
  const left = timeLeft(dueAt, now); // the shared SLA clock (src/shared/sla.ts)
  return left < 0 ? `breached ${compactDuration(left)} ago` : `in ${compactDuration(left)}`;
}

/** "14:05" today, "Nov 16, 14:05" this year, "Nov 16, 2024" before. */
export function formatTimestamp(iso: string, now = Date.now()): string {
  const at = dayjs(iso);
  const today = dayjs(now);
  if (at.isSame(today, 'day')) return at.format('HH:mm');
  if (at.isSame(today, 'year')) return at.format('MMM D, HH:mm');
  return at.format('MMM D, YYYY');
}

export const fullTimestamp = (iso: string): string => dayjs(iso).format('ddd, MMM D YYYY, HH:mm:ss');

/** "12s ago", "3m ago" — for "last sync". */
export const agoText = (iso: string, now: number): string => {
  const ms = now - Date.parse(iso);
  return ms < 5 * SECOND ? 'just now' : `${compactDuration(ms).split(' ')[0]} ago`;
};
