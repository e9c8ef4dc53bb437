/** The MQTT topics of the device contract: each device publishes on its own telemetry topic, the hub reads them all. */

export const TELEMETRY_TOPIC = 'devices/+/telemetry';
const TOPIC_PATTERN = /^devices\/([^/]+)\/telemetry$/;
// Several hubs on one MQTT 5 broker read through a shared subscription: `$share/{group}/devices/+/telemetry`.
const SHARED_TELEMETRY = /^\$share\/[^/#+]+\/devices\/\+\/telemetry$/;

export const telemetryTopic = (deviceId: string) => `devices/${deviceId}/telemetry`;

/** The device a telemetry topic belongs to, or undefined for any other topic. */
export const deviceOfTopic = (topic: string): string | undefined => TOPIC_PATTERN.exec(topic)?.[1];

/** Whether a subscription filter is the hub's: every device's telemetry, plain or shared. */
export const isTelemetrySubscription = (filter: string) => filter === TELEMETRY_TOPIC || SHARED_TELEMETRY.test(filter);
