/**
 * One Content-Security-Policy (src/shared/csp.ts) for every way the
 * renderer is loaded: the renderer is built with its real Vite config (the
 * one electron-vite and the browser shell's build use) and the index.html the
 * packaged app loads from file:// must carry exactly that policy, ahead of
 * everything it governs; the browser shell serves the same page with the same
 * policy as a header.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererConfig } from '../../renderer.vite';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY, withContentSecurityPolicy } from '../../src/shared/csp';
import { type BrowserShell, startBrowserShell } from '../../src/main/browser/server';
import { type ConsoleCore, coreEndpoint, createConsoleCore } from '../../src/main/core';
import { tempDir } from '../core/fixtures';

const ENTITIES: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/** The tags of a page, in order, with their attributes. */
function tags(html: string): { name: string; attrs: Record<string, string>; index: number }[] {
  return [...html.matchAll(/<(meta|script|link|style)\b([^>]*)>/gi)].map((match) => ({
    name: match[1]!.toLowerCase(),
    index: match.index,
    attrs: Object.fromEntries(
      [...match[2]!.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)].map((attr) => [
        attr[1]!.toLowerCase(),
        (attr[2] ?? attr[3] ?? attr[4] ?? '').replace(/&(quot|#39|#x27|lt|gt|amp);/g, (entity) => ENTITIES[entity]!),
      ]),
    ),
  }));
}

const cspMetas = (html: string) => tags(html).filter((tag) => tag.name === 'meta' && tag.attrs['http-equiv']?.toLowerCase() === 'content-security-policy');

describe('the renderer’s Content-Security-Policy', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let outDir: string;
  let builtHtml: string;
  let core: ConsoleCore;
  let shell: BrowserShell;

  beforeAll(async () => {
    dir = await tempDir('switchboard-csp-');
    outDir = join(dir.path, 'renderer');
    await build({ ...rendererConfig, configFile: false, logLevel: 'error', build: { ...rendererConfig.build, outDir, emptyOutDir: true } });
    builtHtml = await readFile(join(outDir, 'index.html'), 'utf8');
    core = await createConsoleCore({ dataDir: join(dir.path, 'data'), hubUrl: 'http://127.0.0.1:9' });
    shell = await startBrowserShell({ core: coreEndpoint(core), rendererDir: outDir });
  }, 240_000);

  afterAll(async () => {
    await shell?.close();
    await core?.close();
    await dir?.remove();
  });

  it('the built index.html (what the packaged app loads from file://) carries the one policy, once, before any script or style', () => {
    const metas = cspMetas(builtHtml);
    expect(metas).toHaveLength(1);
    expect(metas[0]!.attrs.content).toBe(META_CONTENT_SECURITY_POLICY);
    const governed = tags(builtHtml).filter((tag) => tag.name === 'script' || tag.name === 'style' || (tag.name === 'link' && tag.attrs.rel === 'stylesheet'));
    expect(governed.length).toBeGreaterThan(0);
    for (const tag of governed) expect(tag.index).toBeGreaterThan(metas[0]!.index);
    // script-src 'self': every script is a file, or the app would not start.
    for (const script of governed.filter((tag) => tag.name === 'script')) expect(script.attrs.src).toMatch(/^\.\/assets\//);
  });

  it('the <meta> is the header’s policy less what a <meta> cannot carry (frame-ancestors)', () => {
    expect(CONTENT_SECURITY_POLICY.split('; ').filter((directive) => !directive.startsWith('frame-ancestors '))).toEqual(META_CONTENT_SECURITY_POLICY.split('; '));
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(META_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(META_CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
  });

  it('the browser shell serves that same page with the same policy as a header, on the page and its assets', async () => {
    const origin = new URL(shell.url).origin;
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const served = await page.text();
    expect(served).toBe(builtHtml);
    expect(cspMetas(served).map((meta) => meta.attrs.content)).toEqual([META_CONTENT_SECURITY_POLICY]);

    const script = tags(builtHtml).find((tag) => tag.name === 'script')!.attrs.src!;
    const asset = await fetch(new URL(script, `${origin}/`));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    await asset.arrayBuffer();
  });

  it('a hand-written policy in index.html cannot come back: the build refuses it', () => {
    const page = '<!doctype html><html><head><meta charset="UTF-8" /><title>x</title></head><body></body></html>';
    expect(cspMetas(withContentSecurityPolicy(page)).map((meta) => meta.attrs.content)).toEqual([META_CONTENT_SECURITY_POLICY]);
    expect(() => withContentSecurityPolicy(withContentSecurityPolicy(page))).toThrow(/written once/);
    expect(() => withContentSecurityPolicy("<html><head><meta http-equiv='content-security-policy' content=\"default-src *\"></head></html>")).toThrow(/written once/);
    expect(() => withContentSecurityPolicy('<p>no head</p>')).toThrow(/no <head>/);
  });
});
