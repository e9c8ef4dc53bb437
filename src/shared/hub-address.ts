/**
 * Which hubs a console may talk to. A login sends the password and every
 * request the token and customers' data, so outside this computer the hub
 * must be reached over TLS (https, and so wss for the live socket), unless
 * the workstation's configuration allows plain http
 * (`SWITCHBOARD_ALLOW_INSECURE_HUB=1`, read by the shells, never the core).
 */
import { z } from 'zod';

export const ALLOW_INSECURE_HUB_VARIABLE = 'SWITCHBOARD_ALLOW_INSECURE_HUB';

export interface HubAddressPolicy {
  /** Plain http:// to a hub on another computer (a trusted lab network). */
  allowInsecure: boolean;
}

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
/** ::ffff:127.x.y.z as the URL parser writes it (hex). */
const IPV4_MAPPED_LOOPBACK = /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/;

/** A URL's hostname (as `new URL()` normalises it) that never leaves this computer: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || IPV4_LOOPBACK.test(host) || IPV4_MAPPED_LOOPBACK.test(host);
}

/** Why the console may not use this hub, in words for the user; null when it may. */
export function hubAddressProblem(hubUrl: string, policy: HubAddressPolicy): string | null {
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    return `not a hub address: ${hubUrl}`;
  }
  if (url.protocol === 'https:') return null;
  // The origin never carries a user:password that may sit in the URL.
  if (url.protocol !== 'http:') return `the hub address must be https:// (got ${url.protocol}//${url.host})`;
  if (policy.allowInsecure || isLoopbackHost(url.hostname)) return null;
  return (
    `refusing the hub at ${url.origin}: plain http:// would send passwords, tokens and customers' data unencrypted over the network. ` +
    `Use https:// (only a hub on this computer — localhost, 127.0.0.0/8, ::1 — may use http://), ` +
    `or set ${ALLOW_INSECURE_HUB_VARIABLE}=1 where the network is trusted`
  );
}

const AllowInsecureSchema = z.enum(['0', '1'], { error: `${ALLOW_INSECURE_HUB_VARIABLE} must be 1 (allow plain http:// to a remote hub) or 0` });

/** The shells' reading of `SWITCHBOARD_ALLOW_INSECURE_HUB`: unset, empty or 0 → false; 1 → true; anything else is an error. */
export function parseAllowInsecureHub(value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  const parsed = AllowInsecureSchema.safeParse(value.trim());
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? `${ALLOW_INSECURE_HUB_VARIABLE} must be 1 or 0`);
  return parsed.data === '1';
}
