/**
 * electron-vite: main (ESM, dependencies left in node_modules — better-sqlite3
 * is native and cannot be bundled; the shell and the core's worker thread),
 * preload (one CommonJS file with its dependencies inlined — a sandboxed
 * preload can neither `import` nor `require` from node_modules), renderer
 * (shared with the browser shell's build).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer.vite';

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        // The console core's thread: core-worker.js, which worker-host.ts looks for beside its own file — so shared chunks lie there too.
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          'core-worker': resolve(import.meta.dirname, 'src/main/core/worker-entry.ts'),
          // The core's pull thread (src/main/core/threads.ts finds both beside its own chunk).
          'pull-thread': resolve(import.meta.dirname, 'src/main/core/pull-thread-entry.ts'),
        },
        output: { chunkFileNames: '[name]-[hash].js' },
      },
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
