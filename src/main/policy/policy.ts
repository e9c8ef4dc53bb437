/**
 * The administrator's policy file of a managed workstation: where it lives on
 * each OS, what it may say, and reading it. Pure Node (the OS, environment and
 * file reader are parameters), never `electron`, so both shells use it and
 * tests run it for every OS on any machine.
 */
import { posix, win32 } from 'node:path';
import { z } from 'zod';
import { hubAddressProblem, isLoopbackHost } from '../../shared/hub-address';

/**
 * Updates are code the console will run: the feed must be https (a loopback
 * http feed is allowed for testing an update server on this computer).
 */
export const UpdateFeedUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).refine(
  (url) => {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || isLoopbackHost(parsed.hostname);
  },
  { error: 'must be https:// (updates are code the console runs; only a feed on this computer may use http://)' },
);

const HubUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const AutoUpdatePolicySchema = z.discriminatedUnion(
  'enabled',
  [
    z.strictObject({ enabled: z.literal(false) }),
    // No feedUrl: the feed built into the installer.
    z.strictObject({ enabled: z.literal(true), feedUrl: UpdateFeedUrlSchema.optional() }),
  ],
  { error: 'must be {"enabled": false} or {"enabled": true, "feedUrl": "https://…"}' },
);

/**
 * Every key is optional: a policy fixes only what it names. Strict, so a
 * misspelt key ("hubURL") is an error the administrator sees, not a lock that
 * silently does nothing.
 */
export const PolicySchema = z.strictObject({
  /** The hub every login uses; the user cannot choose another. */
  hubUrl: HubUrlSchema.optional(),
  /** Plain http:// to a hub on another computer (a trusted network); wins over SWITCHBOARD_ALLOW_INSECURE_HUB. */
  allowInsecureHub: z.boolean().optional(),
  autoUpdate: AutoUpdatePolicySchema.optional(),
});
export type Policy = z.infer<typeof PolicySchema>;

/** The policy file for this OS: in a folder only administrators can write. */
export function policyPath(platform: NodeJS.Platform): string {
  if (platform === 'win32') return win32.join(WINDOWS_PROGRAM_DATA, 'Switchboard', 'policy.json');
  if (platform === 'darwin') return posix.join('/Library', 'Application Support', 'Switchboard', 'policy.json');
  return posix.join('/etc', 'switchboard', 'policy.json');
}

/**
 * %ProgramData% as Windows installs it. Deliberately not read from the
 * environment: a user who starts the console with ProgramData pointing at a
 * folder of their own would otherwise choose their own "policy".
 */
export const WINDOWS_PROGRAM_DATA = 'C:\\ProgramData';

export type PolicyReading =
  | { kind: 'none'; path: string }
  | { kind: 'policy'; path: string; policy: Policy }
  | { kind: 'invalid'; path: string; problem: string };

/** Reads a file's text; throws Node's errors (ENOENT and the rest). */
export type ReadText = (path: string) => string;

/**
 * No file is no policy. A file that cannot be read or does not validate is
 * `invalid`: an administrator put something there to lock settings, and the
 * shells refuse to start rather than run without the lock.
 */
export function readPolicy(path: string, readText: ReadText): PolicyReading {
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    if (isNodeError(error) && error.code === 'ENOENT') return { kind: 'none', path };
    return { kind: 'invalid', path, problem: `it cannot be read (${isNodeError(error) && error.code ? error.code : errorMessage(error)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', path, problem: `it is not JSON (${errorMessage(error)})` };
  }
  const parsed = PolicySchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
    return { kind: 'invalid', path, problem: issues.join('; ') };
  }
  // The hub it fixes must pass the hub-address rule under the allowance it gives (or not).
  const hubProblem = parsed.data.hubUrl ? hubAddressProblem(parsed.data.hubUrl, { allowInsecure: parsed.data.allowInsecureHub ?? false }) : null;
  if (hubProblem) return { kind: 'invalid', path, problem: `hubUrl: ${hubProblem}` };
  return { kind: 'policy', path, policy: parsed.data };
}

/** Raised by the shells for an `invalid` reading: the console does not start. */
export class PolicyError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(
      `The administrator's policy file ${path} is not valid: ${problem}. ` +
        `Switchboard does not start without the settings it fixes; ask your administrator to correct or remove it.`,
    );
    this.name = 'PolicyError';
  }
}

/** The policy in force, or null; throws PolicyError for a file that is there but not valid. */
export function loadPolicy(opts: { platform: NodeJS.Platform; readText: ReadText; path?: string }): { path: string; policy: Policy } | null {
  const reading = readPolicy(opts.path ?? policyPath(opts.platform), opts.readText);
  if (reading.kind === 'invalid') throw new PolicyError(reading.path, reading.problem);
  return reading.kind === 'policy' ? { path: reading.path, policy: reading.policy } : null;
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
