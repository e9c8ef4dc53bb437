/** The headless console's command line, checked before anything opens. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parsePullPageSize } from '../core/sync';
import { ALLOW_INSECURE_HUB_VARIABLE, parseAllowInsecureHub } from '../../shared/hub-address';

export const USAGE = `usage: npm run console:headless -- --data DIR [--hub URL]

  --data DIR   the console's data folder (cache.sqlite, the stored session); required
  --hub URL    the hub a first login uses (default: $SWITCHBOARD_HUB_URL, else the core's default)
  --pull-page-size N
               rows per sync pull page, 1–5000 (default 5000; smaller on a slow link)
  --help       print this and exit

A hub outside this computer must be https://; ${ALLOW_INSECURE_HUB_VARIABLE}=1 allows plain http://.

Speaks JSON-RPC 2.0 on stdin/stdout, one message per line; logs go to stderr.
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export type HeadlessArgs =
  | { help: true }
  | {
      help: false;
      dataDir: string;
      hubUrl: string | undefined;
      pullPageSize?: number;
      /** Present only when allowed: plain http:// to a hub outside loopback (the core refuses it otherwise). */
      allowInsecureHub?: true;
    };

const HubUrlSchema = z.url({ protocol: /^https?$/ });

export function parseHeadlessArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): HeadlessArgs {
  let values: { data?: string; hub?: string; help?: boolean; 'pull-page-size'?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { data: { type: 'string' }, hub: { type: 'string' }, 'pull-page-size': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };
  if (values.data === undefined || values.data.trim() === '') throw new UsageError('--data DIR is required');
  const hubUrl = values.hub ?? (env.SWITCHBOARD_HUB_URL || undefined);
  if (hubUrl !== undefined && !HubUrlSchema.safeParse(hubUrl).success) throw new UsageError(`--hub must be an http(s) URL, got ${JSON.stringify(hubUrl)}`);
  let allowInsecureHub: boolean;
  try {
    allowInsecureHub = parseAllowInsecureHub(env[ALLOW_INSECURE_HUB_VARIABLE]);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const base = { help: false as const, dataDir: values.data, hubUrl, ...(allowInsecureHub ? { allowInsecureHub: true as const } : {}) };
  const size = values['pull-page-size'];
  if (size === undefined) return base;
  try {
    return { ...base, pullPageSize: parsePullPageSize(size) };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
