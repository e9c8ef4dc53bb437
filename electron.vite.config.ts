/**
 * electron-vite: main (ESM, dependencies left in node_modules — better-sqlite3
 * is native and cannot be bundled), preload (one CommonJS file with its
 * dependencies inlined — a sandboxed preload can neither `import` nor
 * `require` from node_modules), renderer (shared with the browser shell's build).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer.vite';

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
