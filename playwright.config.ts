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
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    trace: 'off',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
