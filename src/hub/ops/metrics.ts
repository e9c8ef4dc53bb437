/**
 * Prometheus metrics of one hub. Each hub has its own registry, so several
 * hubs in one process (tests) never share counters.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type HubMetrics = ReturnType<typeof createMetrics>;

export function createMetrics(opts: { sockets: () => number }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_' });
  return {
    registry,
    telemetryReadings: new Counter({
      name: 'switchboard_telemetry_readings_total',
      help: 'Telemetry readings received, by outcome (stored or rejected payloads).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    casesCreated: new Counter({
      name: 'switchboard_cases_created_total',
      help: 'Cases created, by source (device rule or console).',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    mutations: new Counter({
      name: 'switchboard_sync_mutations_total',
      help: 'Pushed mutations, by result status.',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    syncDuration: new Histogram({
      name: 'switchboard_sync_duration_seconds',
      help: 'Time to answer a sync pull or push request.',
      labelNames: ['op'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    socketsConnected: new Gauge({
      name: 'switchboard_sockets_connected',
      help: 'Live console sockets connected to this hub.',
      registers: [registry],
      collect() {
        this.set(opts.sockets());
      },
    }),
  };
}
