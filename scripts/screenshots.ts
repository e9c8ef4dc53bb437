/**
 * `npm run screenshots`: refreshes the README's screenshots in resources/ by
 * running the e2e tests that take them. The tests themselves write only into
 * their own temporary folders.
 */
import { spawnSync } from 'node:child_process';

const result = spawnSync('npm', ['run', 'test:e2e', '--', 'tests/e2e/console.test.ts', 'tests/e2e/offline.test.ts', 'tests/e2e/boards.test.ts'], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: { ...process.env, SWITCHBOARD_REFRESH_SCREENSHOTS: '1' },
});
process.exit(result.status ?? 1);
