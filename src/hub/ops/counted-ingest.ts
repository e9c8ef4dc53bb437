import type { TelemetryIngest } from '../devices/ingest';
import type { HubMetrics } from './metrics';

/** The ingest, counting readings stored and payloads rejected — whichever path (MQTT, HTTP) they came by. */
export function countReadings(ingest: TelemetryIngest, metrics: HubMetrics): TelemetryIngest {
  return {
    async ingest(deviceId, payload) {
      try {
        const result = await ingest.ingest(deviceId, payload);
        metrics.telemetryReadings.inc({ result: 'stored' }, result.stored);
        return result;
      } catch (error) {
        metrics.telemetryReadings.inc({ result: 'rejected' });
        throw error;
      }
    },
    drain: () => ingest.drain(),
  };
}
