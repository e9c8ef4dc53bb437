/** The renderer's Vite settings, shared by electron-vite and the browser shell's build. */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';
import { withContentSecurityPolicy } from './src/shared/csp';

/** Writes the one Content-Security-Policy into index.html: file:// (the packaged app) has no headers to carry it. */
export function contentSecurityPolicy(): Plugin {
  return { name: 'switchboard:content-security-policy', transformIndexHtml: { order: 'pre', handler: withContentSecurityPolicy } };
}

export const rendererConfig: UserConfig = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    // A desktop app loads from disk: one bundle is fine.
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
  },
};
