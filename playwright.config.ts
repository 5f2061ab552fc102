import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './test/support/chromium.mjs';

const executablePath = await findChromium();

/** End-to-end: the built kit and demo pages, served by a real seeded server the global setup starts. */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.pw.ts',
  outputDir: 'test-results/pw',
  globalSetup: './test/e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  reporter: process.env.CI ? 'line' : 'list',
  // Generous caps: every wait is on state, and a busy machine (CI, two cores shared with the server) is slow.
  timeout: 120_000,
  expect: { timeout: 30_000 },
  use: {
    trace: 'off',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
