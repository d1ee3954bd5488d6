import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    reporters: ['default', './tests/setup/plain-summary-reporter.ts'],
    env: {
      LOG_LEVEL: 'warn',
      PLACEMENT_RECHECK_INTERVAL: 'PT1S',
      // No developer's own ~/.config/temporalio/temporal.toml may point the processes a test starts elsewhere.
      XDG_CONFIG_HOME: path.join(os.tmpdir(), 'ppks-tests-no-temporal-profile'),
    },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file runs its own worker (bundling workflows is CPU-heavy): two at a time on two cores.
    maxWorkers: 2,
  },
});
