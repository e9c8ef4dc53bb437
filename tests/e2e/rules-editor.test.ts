/**
 * The rules editor, end to end in Chromium: an admin opens the brand's rules,
 * a typing mistake is marked at its line with its field and blocks Save; once
 * fixed, the document is saved with a reason as a new version, the hub runs
 * it (its GET answers the new text) and the audit log holds the change.
 * Screenshots at 1440×900 of the editor with an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RulesDocumentView } from '../../src/shared/rules';
import { shotPath, startSignedIn, type E2eEnv } from './harness';
import { hubGet, hubLogin } from './hub-http';

const WAIT = { timeout: 15_000 };

describe('the rules editor (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    ({ env, page } = await startSignedIn('admin'));
  });
  afterAll(async () => {
    await env?.stop();
  });

  /** Replaces the editor's text as a person would: select all, then type (paste-like insert). */
  async function replaceText(text: string) {
    const content = page.locator('[data-testid="rules-editor"] .cm-content');
    await content.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(text);
  }

  it('marks a mistake at its line, then saves the fixed document as a new version, audited', async () => {
    await page.locator('[data-testid="queue-nav-item"][data-view="admin"]').click();
    await page.getByTestId('admin-tab-rules').click();
    await page.getByTestId('rules-version').waitFor(WAIT);
    expect(await page.getByTestId('rules-version').textContent()).toBe('Version 1');
    await page.getByText('The document loads: 4 rules').waitFor(WAIT);
    const original = await page.locator('[data-testid="rules-editor"] .cm-content').innerText();
    expect(original).toContain('engine-overheating');

    const admin = await hubLogin(env.hub.url, 'admin');
    const stored = await hubGet<RulesDocumentView>(env.hub.url, admin, '/api/admin/rules');
    const broken = stored.source.replace('threshold: 110', 'threshold: hot');
    await replaceText(broken);
    const error = page.getByTestId('rules-error').first();
    await error.waitFor(WAIT);
    const line = broken.split('\n').findIndex((l) => l.includes('threshold: hot')) + 1;
    expect(await error.textContent()).toMatch(new RegExp(`^line ${line}, rules\\[0\\]\\.when\\.threshold: `));
    // Marked in the editor too, and Save waits for a document that loads.
    await page.locator('[data-testid="rules-editor"] .cm-lint-marker-error').first().waitFor(WAIT);
    expect(await page.getByTestId('rules-save').isDisabled()).toBe(true);
    await page.screenshot({ path: shotPath('admin-rules-error-1440.png') });

    const fixed = stored.source.replace('threshold: 110', 'threshold: 105');
    await replaceText(fixed);
    await page.getByText('The document loads: 4 rules').waitFor(WAIT);
    await page.getByLabel('Why (kept in the audit log)').fill('engines run hotter in summer');
    await page.getByTestId('rules-save').click();
    await page.getByText('Version 2').waitFor(WAIT);

    const after = await hubGet<RulesDocumentView>(env.hub.url, admin, '/api/admin/rules');
    expect(after.version).toBe(2);
    expect(after.source).toContain('threshold: 105');
    const audit = await hubGet<{ entries: { action: string; reason: string | null }[] }>(env.hub.url, admin, '/api/audit?action=rules.update');
    expect(audit.entries[0]).toMatchObject({ action: 'rules.update', reason: 'engines run hotter in summer' });
  });
});
