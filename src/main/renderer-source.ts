/**
 * Where the Electron window loads the renderer from. electron-vite's dev server
 * (`ELECTRON_RENDERER_URL`) is for development only: a packaged app loads its
 * own files whatever its environment says, or anyone able to set a variable
 * could have the console — and its IPC — serve a page of their choosing.
 * Plain Node (no electron import), so it is unit-tested.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type RendererSource =
  | { kind: 'file'; path: string; /** What the IPC sender check accepts. */ allowedUrlPrefix: string }
  | { kind: 'url'; url: string; allowedUrlPrefix: string };

export function rendererSource(opts: { isPackaged: boolean; devServerUrl: string | undefined; rendererDir: string }): { source: RendererSource; warning: string | null } {
  const file: RendererSource = { kind: 'file', path: join(opts.rendererDir, 'index.html'), allowedUrlPrefix: `${pathToFileURL(opts.rendererDir).href}/` };
  const devServerUrl = opts.devServerUrl || undefined;
  if (devServerUrl === undefined) return { source: file, warning: null };
  if (opts.isPackaged) return { source: file, warning: 'ELECTRON_RENDERER_URL is set but ignored: a packaged app loads only its own files' };
  let url: URL;
  try {
    url = new URL(devServerUrl);
  } catch {
    throw new Error(`ELECTRON_RENDERER_URL is not a URL: ${devServerUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`ELECTRON_RENDERER_URL must be the dev server's http(s) address, got ${url.protocol}`);
  return { source: { kind: 'url', url: url.href, allowedUrlPrefix: `${url.origin}/` }, warning: null };
}
