/**
 * No hard-coded user-facing text in the renderer: eslint-plugin-i18next's
 * no-literal-string (eslint.config.js) refuses text in JSX and in the props
 * people read (label, title, placeholder, aria-label…), in every renderer
 * component but those still waiting to be translated. Each case lints a few
 * lines as if they were a new component (nothing is written).
 */
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

const PROBE = 'src/renderer/src/components/Probe.tsx';

async function literalErrors(code: string, path = PROBE): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return result!.messages.filter((m) => m.ruleId === 'i18next/no-literal-string').map((m) => m.message);
}

const component = (jsx: string) => `import { Button, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
export function Probe() {
  const { t } = useTranslation();
  return ${jsx};
}
`;

describe('the no-hard-coded-text lint', () => {
  it.each([
    ['text in JSX', '<Text size="xs">Nothing here</Text>'],
    ['a label', '<TextInput label="Username" />'],
    ['a placeholder', '<TextInput placeholder="Search articles…" aria-label={t(\'knowledge.searchLabel\')} />'],
    ['an aria-label', '<Button aria-label="Close case">{t(\'common.close\')}</Button>'],
    ['a title', '<Text title="Created today">{t(\'time.now\')}</Text>'],
  ])('refuses %s', async (_what, jsx) => {
    const errors = await literalErrors(component(jsx));
    expect(errors.length).toBeGreaterThan(0);
  });

  it('refuses a sentence or a capitalised word given as an object’s text property, in .ts too (a toast’s title, a hook’s errorTitle)', async () => {
    const code = `import { notifications } from '@mantine/notifications';
import { i18n } from '../i18n';
export const toast = () => notifications.show({ color: 'red', title: 'The change was not saved', message: \`Nothing \${1} was saved\` });
export function useProbe({ errorTitle = 'No case could be taken' } = {}) { return errorTitle; }
export const word = { title: 'Saved', label: 'Mastodon', message: 'Failed!' };
export const ok = { errorTitle: i18n.t('mutations.notSaved'), title: 'mutations.notSaved', label: 'x', description: 'var(--x) 10px', color: 'red tint', hint: 'X' };
`;
    const [result] = await eslint.lintText(code, { filePath: 'src/renderer/src/api/probe.ts' });
    const lines = result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line);
    // One capitalised word is text too ("Saved"); a key, an id, a CSS value or one letter is not.
    expect(lines).toEqual([3, 3, 4, 5, 5, 5]);
  });

  it('allows translated text, test ids, class names, style props and punctuation', async () => {
    const jsx = `<Text size="xs" c="dimmed" className="tabular" data-testid="probe" variant="light" title={t('time.now')}>
      {t('queue.emptyTitle')} · — #{1} →
    </Text>`;
    expect(await literalErrors(component(jsx))).toEqual([]);
  });
});
