/**
 * `npm run lint:electron`: Doyensec's Electronegativity over the console's
 * Electron side (src/main, src/preload, src/renderer with the index.html the
 * build ships, src/shared, package.json), offline. Fails on a file it cannot
 * parse, on any finding at medium severity or above that
 * scripts/electronegativity.accepted.json does not explain, and on an
 * accepted finding that no longer occurs (so the list stays true).
 *
 * Offline: the tool fetches translations on start (a stand-in loads its
 * bundled English ones instead) and Electron's release list from GitHub for
 * one check (excluded in the config, with the reason).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { withContentSecurityPolicy } from '../src/shared/csp';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ACCEPTED_FILE = join(ROOT, 'scripts', 'electronegativity.accepted.json');
/** Electronegativity's MEDIUM; HIGH is 3. */
const MEDIUM = 2;

const AcceptedSchema = z.strictObject({
  excludedChecks: z.array(z.strictObject({ check: z.string().min(1), reason: z.string().min(20) })),
  accepted: z.array(
    z.strictObject({
      check: z.string().min(1),
      /** Relative to the repository, as reported. */
      file: z.string().min(1),
      /** A part of the reported source line, when one file has several findings of a check. */
      sample: z.string().min(1).optional(),
      reason: z.string().min(20),
    }),
  ),
});
export type AcceptedFindings = z.infer<typeof AcceptedSchema>;

export interface Finding {
  check: string;
  severity: string;
  /** 0 informational … 3 high. */
  level: number;
  confidence: string;
  file: string;
  line: number;
  sample: string;
  description: string;
}

export interface ScanResult {
  findings: Finding[];
  /** Files the tool could not read: nothing in them was checked. */
  parseErrors: string[];
}

export function loadAccepted(file = ACCEPTED_FILE): AcceptedFindings {
  const parsed = AcceptedSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${relative(ROOT, file)}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

interface RawIssue {
  id: string;
  file: string;
  sample?: string;
  location: { line: number };
  severity: { value: number; name: string };
  confidence: { name: string };
  description: string;
}
type Runner = (options: Record<string, unknown>, forCli: boolean) => Promise<{ issues: RawIssue[]; errors: { file: string; message: string; tolerable: boolean }[] }>;

let runner: Runner | null = null;

/** The tool's runner, with its translations loaded from disk instead of fetched. */
function electronegativity(): Runner {
  if (runner) return runner;
  const require = createRequire(import.meta.url);
  const base = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const i18n = createRequire(join(base, 'package.json'))('i18n') as { configure(options: object): void; setLocale(locale: string): void };
  const loader = join(base, 'dist', 'locales', 'i18n.js');
  // Same settings as the tool's own loader (which registers the global __()), minus its download.
  const offline = async () => {
    i18n.configure({ locales: ['en-US'], defaultLocale: 'en-US', directory: dirname(loader), updateFiles: false, objectNotation: true, retryInDefaultLocale: true, register: global });
    i18n.setLocale('en-US');
  };
  require.cache[loader] = { id: loader, filename: loader, loaded: true, exports: offline } as unknown as NodeJS.Module;
  runner = require('@doyensec/electronegativity') as Runner;
  return runner;
}

export async function scan(input: string, opts: { electronVersion: string; excludeChecks: string[] }): Promise<ScanResult> {
  const result = await electronegativity()(
    { input, isRelative: true, customScan: [], excludeFromScan: opts.excludeChecks, electronVersionOverride: opts.electronVersion, parserPlugins: [] },
    false,
  );
  return {
    findings: result.issues.map((issue) => ({
      check: issue.id,
      severity: issue.severity.name,
      level: issue.severity.value,
      confidence: issue.confidence.name,
      file: issue.file,
      line: issue.location.line,
      sample: issue.sample ?? '',
      description: issue.description,
    })),
    parseErrors: result.errors.filter((error) => !error.tolerable).map((error) => `${relative(input, error.file)}: ${error.message}`),
  };
}

export function judge(findings: Finding[], accepted: AcceptedFindings['accepted']): { unexplained: Finding[]; stale: AcceptedFindings['accepted'] } {
  const matches = (entry: AcceptedFindings['accepted'][number], finding: Finding) =>
    entry.check === finding.check && entry.file === finding.file && (entry.sample === undefined || finding.sample.includes(entry.sample));
  return {
    unexplained: findings.filter((finding) => finding.level >= MEDIUM && !accepted.some((entry) => matches(entry, finding))),
    stale: accepted.filter((entry) => !findings.some((finding) => matches(entry, finding))),
  };
}

/** The Electron version the shell is built against: the installed one, else package.json's. */
function electronVersion(): string {
  const installed = join(ROOT, 'node_modules', 'electron', 'package.json');
  if (existsSync(installed)) return (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const range = pkg.dependencies?.electron ?? pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron;
  if (!range) throw new Error('package.json names no electron version');
  return range.replace(/^[^\d]*/, '');
}

/** A copy of what runs in Electron, its index.html as the build writes it (with the CSP). */
function stage(into: string): void {
  for (const folder of ['src/main', 'src/preload', 'src/renderer', 'src/shared']) cpSync(join(ROOT, folder), join(into, folder), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(into, 'package.json'));
  const html = join(into, 'src', 'renderer', 'index.html');
  writeFileSync(html, withContentSecurityPolicy(readFileSync(html, 'utf8')));
}

export interface LintReport {
  result: ScanResult;
  unexplained: Finding[];
  stale: AcceptedFindings['accepted'];
  accepted: AcceptedFindings['accepted'];
}

/** Scans a staged copy of the Electron side and judges it against the accepted list. */
export async function lintElectron(): Promise<LintReport> {
  const config = loadAccepted();
  const staged = mkdtempSync(join(tmpdir(), 'switchboard-electronegativity-'));
  let result: ScanResult;
  try {
    stage(staged);
    result = await scan(staged, { electronVersion: electronVersion(), excludeChecks: config.excludedChecks.map((entry) => entry.check) });
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
  return { result, ...judge(result.findings, config.accepted), accepted: config.accepted };
}

async function main(): Promise<number> {
  const { result, unexplained, stale, accepted } = await lintElectron();
  for (const finding of [...result.findings].sort((a, b) => b.level - a.level)) {
    const entry = accepted.find((candidate) => candidate.check === finding.check && candidate.file === finding.file);
    const verdict = finding.level < MEDIUM ? 'below medium' : unexplained.includes(finding) ? 'NOT EXPLAINED' : `accepted: ${entry?.reason ?? ''}`;
    console.log(`${finding.severity.padEnd(6)} ${finding.check} ${finding.file}:${finding.line} — ${finding.description} (${verdict})`);
  }
  for (const error of result.parseErrors) console.error(`could not parse (not checked): ${error}`);
  for (const entry of stale) console.error(`${relative(ROOT, ACCEPTED_FILE)}: ${entry.check} in ${entry.file} no longer occurs: remove it`);
  for (const finding of unexplained) console.error(`unexplained ${finding.severity} finding: ${finding.check} at ${finding.file}:${finding.line} (${finding.sample})`);
  const failed = unexplained.length + stale.length + result.parseErrors.length > 0;
  console.log(failed ? 'electronegativity: FAILED' : `electronegativity: ${result.findings.length} findings, none at medium or above unexplained`);
  return failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`electronegativity: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
