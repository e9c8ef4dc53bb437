/**
 * The browser shell's loopback bridge: the renderer talks socket.io to the
 * console core over 127.0.0.1, authenticated by a per-launch secret.
 */
export const BRIDGE_PATH = '/bridge';
/** client → core: (method, input, ack(ApiResult)) */
export const BRIDGE_CALL_EVENT = 'call';
/** core → client: (eventName, payload) */
export const BRIDGE_PUSH_EVENT = 'event';
/** The URL fragment key carrying the secret, so it never reaches server logs. */
export const BRIDGE_SECRET_PARAM = 'secret';

export interface BridgeAuth {
  secret: string;
}
