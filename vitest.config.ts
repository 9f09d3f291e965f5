import { defineConfig } from 'vitest/config';

// Playwright specs live in renderer/e2e and must never be collected here.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}', 'templates/**/*.test.ts'],
    exclude: ['renderer/e2e/**', 'node_modules/**', 'out/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
