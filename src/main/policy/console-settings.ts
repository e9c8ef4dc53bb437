/**
 * The one loader every shell uses (Electron, browser, headless): the
 * administrator's policy for this OS, the user's settings from the
 * environment (and a shell's own flag), and what the console core starts
 * with. The core enforces the locked hub itself (`lockedHubUrl`); the shells
 * only pass it on.
 */
import { loadPolicy, type Policy, type ReadText } from './policy';
import { type HubSettings, resolveHub, type UserSettings, userSettingsFromEnv } from './settings';

/**
 * A policy file of the tester's choosing, read only where the OS has none:
 * there is then no administrator's lock to get round, so a user can use it
 * only to lock themselves (how tests run the real CLIs under a policy).
 * Where the OS has a policy file, that file is the policy and this is ignored.
 */
export const POLICY_FILE_VARIABLE = 'SWITCHBOARD_POLICY_FILE';

export interface ConsoleSettings {
  /** The policy in force and where it was read, or null. */
  policy: { path: string; policy: Policy } | null;
  user: UserSettings;
  hub: HubSettings;
  /** What `createConsoleCore` takes from them. */
  core: { hubUrl: string; allowInsecureHub: boolean; lockedHubUrl?: string };
}

/** Throws PolicyError for a policy file that is there but invalid (the shells then refuse to start), and a user setting's own error for a malformed variable. */
export function loadConsoleSettings(opts: {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  readText: ReadText;
  defaultHubUrl: string;
  /** A shell's own flag (`--hub`), which wins over the environment but not over the policy. */
  hubUrl?: string | undefined;
}): ConsoleSettings {
  let policy = loadPolicy({ platform: opts.platform, readText: opts.readText });
  const override = opts.env[POLICY_FILE_VARIABLE]?.trim();
  // No OS policy (an OS file that fixes nothing, `{}`, is still a policy; an invalid one has thrown).
  if (!policy && override) policy = loadPolicy({ platform: opts.platform, readText: opts.readText, path: override });
  const fromEnv = userSettingsFromEnv(opts.env);
  const user = opts.hubUrl ? { ...fromEnv, hubUrl: opts.hubUrl } : fromEnv;
  const hub = resolveHub(policy?.policy ?? null, user, opts.defaultHubUrl);
  return {
    policy,
    user,
    hub,
    core: { hubUrl: hub.hubUrl, allowInsecureHub: hub.allowInsecureHub, ...(hub.locked ? { lockedHubUrl: hub.hubUrl } : {}) },
  };
}
