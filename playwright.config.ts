import { defineConfig } from '@playwright/test';

/**
 * The renderer in Debian's Chromium through the loopback host (electron/web). One worker: the machine is small and
 * each spec starts its own host on a copy of the demo workspace.
 */
export default defineConfig({
  testDir: 'renderer/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/artifacts',
  globalSetup: './renderer/e2e/support/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  // One retry on CI only: a test that needed it is reported as flaky in the output, not hidden.
  retries: process.env.CI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
