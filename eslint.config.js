// Lint also enforces the layers, as allow-lists (eslint-plugin-boundaries):
// each layer names what it may import, every kind of import is checked
// (static, dynamic import(), re-export, require), and whatever is not allowed
// is refused. tests/lint/layers.test.ts proves a forbidden import fails.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import i18next from 'eslint-plugin-i18next';

/** Object properties whose string is read by a person (toasts, modals, hooks' error titles). */
const TEXT_PROPS = 'title|message|errorTitle|label|description|placeholder|confirmLabel|cancelLabel|submitLabel|hint|error';
/** Text a person reads: two words with a space between, or one capitalised word (a key or an id is lower case). */
const WORDS = String.raw`/\p{L}{2,}\s+\p{L}{2,}|^\p{Lu}\p{Ll}+[.!?…]?$/u`;
import globals from 'globals';

/**
 * The layers: the folder each lives in (the innermost wins), the
 * layers it may import besides itself, and the packages and Node built-ins it
 * may not (`node` false: no Node built-ins; shared names the only package it may use).
 */
const NOT_UI = ['electron', 'react', 'react-dom', '@mantine/*', '@tabler/*', '@tanstack/react-*'];
const LAYERS = {
  shared: { pattern: 'src/shared', layers: [], onlyPackages: ['zod'], node: false },
  hub: { pattern: 'src/hub', layers: ['shared', 'demo-data'], notPackages: [...NOT_UI, 'better-sqlite3*'] },
  'demo-data': { pattern: 'resources/demo', layers: [], onlyPackages: [], node: false },
  core: { pattern: 'src/main/core', layers: ['shared'], notPackages: NOT_UI },
  headless: { pattern: 'src/main/headless', layers: ['core', 'policy', 'shared'], notPackages: NOT_UI },
  // The managed-workstation policy: pure, so both shells and tests use it (never electron).
  policy: { pattern: 'src/main/policy', layers: ['core', 'shared'], notPackages: [...NOT_UI, 'electron-updater'] },
  'browser-shell': { pattern: 'src/main/browser', layers: ['core', 'policy', 'shared'], notPackages: [...NOT_UI, 'electron-updater'] },
  // What is left of src/main: the Electron shell's files.
  'electron-shell': { pattern: 'src/main', layers: ['core', 'policy', 'shared'], notPackages: NOT_UI.filter((p) => p !== 'electron') },
  preload: { pattern: 'src/preload', layers: ['shared'], onlyPackages: ['electron'], node: false },
  renderer: { pattern: 'src/renderer', layers: ['shared'], notPackages: ['electron', 'better-sqlite3*', 'pg', '@electric-sql/*', 'fastify', 'socket.io', 'mqtt', 'aedes'], node: false },
};

const layerPolicies = Object.entries(LAYERS).flatMap(([type, { layers, onlyPackages, notPackages, node }]) => {
  const from = { element: { type } };
  // Later policies win: what a layer may use, then the exceptions.
  return [
    { from, allow: { to: { element: { types: { anyOf: [type, ...layers] } } } } },
    ...(onlyPackages ?? ['*', '@*/*']).map((source) => ({ from, allow: { to: { module: { origin: 'external', source } } } })),
    ...(node === false ? [] : [{ from, allow: { to: { module: { origin: 'core' } } } }]),
    ...(notPackages ?? []).map((source) => ({ from, disallow: { to: { module: { origin: 'external', source } } } })),
  ];
});

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
    files: ['src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': Object.entries(LAYERS).map(([type, { pattern }]) => ({ type, pattern })),
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import', 'require'],
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        // Every import counts: packages and Node built-ins too, and a local file outside every layer.
        { default: 'disallow', checkAllOrigins: true, checkUnknownLocals: true, policies: layerPolicies },
      ],
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
    },
  },
  // No hard-coded user-facing text in the renderer: JSX text and the props people read go through t()
  // (src/renderer/src/i18n). tests/setup/i18n-lint.test.ts proves a hard-coded string fails.
  {
    files: ['src/renderer/src/**/*.tsx'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          // Props a person reads or hears; test ids, class names, colours and sizes are not text.
          'jsx-attributes': { include: ['label', 'title', 'placeholder', 'aria-label', 'alt', 'description', 'error', 'hint', 'errorTitle', 'nothingFoundMessage', 'submitLabel', 'message'] },
          // Key caps (<Kbd>) name keys, not words; <Trans> holds its own text.
          'jsx-components': { exclude: ['Trans', 'Kbd'] },
          // Punctuation, symbols and numbers (·, —, →, #12) and ALL_CAPS names (SLA) are not words to translate.
          words: { exclude: ['[0-9!-/:-@[-`{-~]+', '[A-Z_-]+', /^[\s\p{P}\p{S}\p{N}]+$/u, 'https?://\\S+'] },
          message: 'Hard-coded text: use t() from react-i18next (src/renderer/src/i18n)',
        },
      ],
    },
  },
  // no-literal-string (jsx-only) reads JSX and only .tsx files: a sentence given as an object's text
  // property (a toast's `title`/`message`, a hook's `errorTitle`, in .ts or .tsx) passed it. Under those
  // names, words-with-spaces and one capitalised word ("Saved", "Error!") are refused, so ids, keys
  // ('mutations.notSaved') and CSS values ('var(--x) 10px') stay allowed.
  {
    files: ['src/renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `Property[key.name=/^(${TEXT_PROPS})$/][value.type='Literal'][value.value=${WORDS}]`,
          message: 'Hard-coded text: use t() / i18n.t() (src/renderer/src/i18n)',
        },
        {
          selector: `Property[key.name=/^(${TEXT_PROPS})$/] > AssignmentPattern > Literal.right[value=${WORDS}]`,
          message: 'Hard-coded text: use t() / i18n.t() (src/renderer/src/i18n)',
        },
        {
          selector: `Property[key.name=/^(${TEXT_PROPS})$/] > TemplateLiteral > TemplateElement[value.raw=${WORDS}]`,
          message: 'Hard-coded text: use t() / i18n.t() (src/renderer/src/i18n)',
        },
      ],
    },
  },
);
