/** Compact durations for dense lists: "45s", "12m", "3h 5m", "2d 4h". */
export function compactDuration(ms: number): string {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

export type SlaState = 'none' | 'ok' | 'soon' | 'breached';

export function slaState(dueAt: string | null, now: number, closed: boolean): SlaState {
  if (!dueAt || closed) return 'none';
  const left = Date.parse(dueAt) - now;
  if (left < 0) return 'breached';
  return left < 3_600_000 ? 'soon' : 'ok';
}

export function formatTimestamp(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
