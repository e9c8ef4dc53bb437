/** Percentiles and printing shared by the benchmarks. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(samplesMs: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

export function report(name: string, value: string, target?: { ok: boolean; text: string }): void {
  const verdict = target ? `  (target ${target.text}: ${target.ok ? 'met' : 'MISSED'})` : '';
  console.log(`${name.padEnd(52)} ${value}${verdict}`);
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
