/**
 * `npm run lint:electron`: Electronegativity over the console's Electron side,
 * offline. The gate fails on an unexplained finding at medium or above, on a
 * file the tool cannot parse and on an accepted finding that no longer
 * occurs; the console's own sources pass it without touching the network.
 */
import { writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge, lintElectron, loadAccepted, scan } from '../../scripts/electronegativity';
import { tempDir } from '../core/fixtures';

const INSECURE_MAIN = `import { BrowserWindow } from 'electron';
const window = new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false } });
void window.loadURL('http://example.com/');
`;

describe('the Electronegativity gate', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const connections: string[] = [];
  const connect = Socket.prototype.connect;

  beforeAll(async () => {
    dir = await tempDir('switchboard-electronegativity-');
    await writeFile(join(dir.path, 'main.ts'), INSECURE_MAIN);
    await writeFile(join(dir.path, 'broken.ts'), 'const = ;\n');
    // Every TCP connection this process tries is recorded (and still made).
    Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
      const target = args[0] as { host?: string; port?: number; path?: string } | number | string;
      connections.push(typeof target === 'object' ? `${target.host ?? target.path}:${target.port}` : String(target));
      return (connect as (...a: unknown[]) => Socket).apply(this, args);
    } as typeof connect;
  });
  afterAll(async () => {
    Socket.prototype.connect = connect;
    await dir?.remove();
  });

  it('reports an insecure window as unexplained findings, a file it cannot parse, and an accepted finding that is gone', async () => {
    const { findings, parseErrors } = await scan(dir.path, { electronVersion: '41.7.1', excludeChecks: ['AvailableSecurityFixesGlobalCheck'] });
    expect(parseErrors).toEqual([expect.stringMatching(/^broken\.ts: /)]);

    const { unexplained, stale } = judge(findings, []);
    const at = (check: string) => unexplained.filter((finding) => finding.check === check && finding.file === 'main.ts');
    expect(at('CONTEXT_ISOLATION_JS_CHECK')).toHaveLength(1);
    expect(at('SANDBOX_JS_CHECK')).toHaveLength(1);
    expect(at('HTTP_RESOURCES_JS_CHECK')).toHaveLength(1);
    expect(stale).toEqual([]);

    const reason = 'a reason long enough to explain it';
    const explained = judge(findings, [
      { check: 'SANDBOX_JS_CHECK', file: 'main.ts', reason },
      { check: 'HTTP_RESOURCES_JS_CHECK', file: 'main.ts', sample: 'https://', reason },
      { check: 'PRELOAD_JS_CHECK', file: 'main.ts', reason },
    ]);
    expect(explained.unexplained.map((finding) => finding.check)).not.toContain('SANDBOX_JS_CHECK');
    // An entry explains only the line it names.
    expect(explained.unexplained.map((finding) => finding.check)).toContain('HTTP_RESOURCES_JS_CHECK');
    expect(explained.stale.map((entry) => entry.check)).toEqual(['HTTP_RESOURCES_JS_CHECK', 'PRELOAD_JS_CHECK']);
  });

  it('finds nothing unexplained in the console’s Electron side, parses every file, and lists no finding that is gone', async () => {
    const { result, unexplained, stale } = await lintElectron();
    expect(result.parseErrors).toEqual([]);
    expect(unexplained).toEqual([]);
    expect(stale).toEqual([]);
    // The CSP the tool judged is the one the build writes into index.html.
    expect(result.findings).toContainEqual(expect.objectContaining({ check: 'CSP_GLOBAL_CHECK', file: 'src/renderer/index.html', severity: 'LOW' }));
  });

  it('every accepted finding and excluded check has its reason', () => {
    const config = loadAccepted();
    for (const entry of [...config.accepted, ...config.excludedChecks]) expect(entry.reason.length).toBeGreaterThan(20);
  });

  it('ran without a single network connection', () => {
    expect(connections).toEqual([]);
  });
});
