// Lint also enforces the layers: shared imports nothing platform-specific,
// the renderer never reaches main or hub, only the shell imports electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const restrict = (patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.native/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['node:*', 'electron', 'react', 'react-dom', '**/main/**', '**/hub/**', '**/renderer/**', '**/preload/**'], message: 'src/shared is pure: zod only.' },
      ]),
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Only about the React Compiler, which this project does not use.
      'react-hooks/incompatible-library': 'off',
      'no-restricted-imports': restrict([
        { group: ['node:*', 'electron', '**/main/**', '**/hub/**', '**/preload/**', 'better-sqlite3'], message: 'The renderer reaches data only through the typed API in src/shared/api.ts.' },
      ]),
    },
  },
  {
    files: ['src/main/core/**/*.ts', 'src/main/browser/**/*.ts', 'src/hub/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron'], message: 'Only the thin shell (src/main/index.ts, src/main/ipc.ts, src/preload) imports electron.' },
        { group: ['**/renderer/**'], message: 'Node code never imports the renderer.' },
      ]),
    },
  },
  {
    files: ['src/main/headless/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron'], message: 'Only the thin shell (src/main/index.ts, src/main/ipc.ts, src/preload) imports electron.' },
        { group: ['**/renderer/**', '**/hub/**', '**/preload/**'], message: 'The headless console uses src/main/core and src/shared only.' },
      ]),
    },
  },
  {
    files: ['src/hub/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', '**/main/**', '**/renderer/**', '**/preload/**'], message: 'The hub depends on src/shared only.' },
      ]),
    },
  },
);
