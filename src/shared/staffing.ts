/**
 * Staffing by Erlang C, the contact-center standard: how many agents a queue
 * needs now so that a share of its work is answered within a target time,
 * from the arrival rate and the average handle time. Written once here for
 * the hub's `queue:stats` and any screen that explains the figure.
 */

/** The probability that an arrival waits (Erlang C) with `agents` agents and `erlangs` of traffic; 1 when the queue cannot keep up. */
export function erlangC(agents: number, erlangs: number): number {
  if (erlangs <= 0) return 0;
  if (agents <= erlangs) return 1;
  // Erlang B by its stable recurrence, then C from B.
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (erlangs * b) / (k + erlangs * b);
  return (agents * b) / (agents - erlangs * (1 - b));
}

/** The share of arrivals answered within `targetSeconds`. */
export function serviceLevel(agents: number, erlangs: number, handleSeconds: number, targetSeconds: number): number {
  if (erlangs <= 0) return 1;
  if (agents <= erlangs) return 0;
  return 1 - erlangC(agents, erlangs) * Math.exp((-(agents - erlangs) * targetSeconds) / handleSeconds);
}

export interface ServiceTarget {
  /** e.g. 0.8 for "80 % answered…" */
  share: number;
  /** …"within 60 s". */
  withinSeconds: number;
}
export const DEFAULT_SERVICE_TARGET: ServiceTarget = { share: 0.8, withinSeconds: 60 };

/** The fewest agents that meet the target for `arrivalsPerHour` with `handleSeconds` each; 0 when nothing arrives. */
export function agentsNeeded(arrivalsPerHour: number, handleSeconds: number, target: ServiceTarget = DEFAULT_SERVICE_TARGET): number {
  if (arrivalsPerHour <= 0 || handleSeconds <= 0) return 0;
  const erlangs = (arrivalsPerHour / 3600) * handleSeconds;
  let agents = Math.max(1, Math.ceil(erlangs));
  while (serviceLevel(agents, erlangs, handleSeconds, target.withinSeconds) < target.share) agents++;
  return agents;
}
