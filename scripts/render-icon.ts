/**
 * Renders build/icon.svg to build/icon.png (1024×1024) with Chromium, for
 * electron-builder, which derives the Windows .ico, the macOS .icns and the
 * Linux sizes from it. Run by hand after changing the SVG:
 * `npx tsx scripts/render-icon.ts` (SWITCHBOARD_CHROMIUM, else /usr/bin/chromium).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const SIZE = 1024;
const here = join(import.meta.dirname, '..', 'build');
const svg = readFileSync(join(here, 'icon.svg'), 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.SWITCHBOARD_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(here, 'icon.png'), omitBackground: true });
  console.log(`wrote ${join(here, 'icon.png')}`);
} finally {
  await browser.close();
}
