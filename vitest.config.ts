import { defineConfig } from "vitest/config";

/**
 * Tests that assert how long another paper's students wait while an attack runs (a canary's
 * p99): they run after the others, alone, since another test file sharing the two cores made the
 * canary wait 100 ms with the server's own loop free. Their group holds one file, so it runs alone.
 */
const ALONE = ["tests/integration/hostile-clients.test.ts"];

export default defineConfig({
  test: {
    // Hooks are globals so that tests/support/test-server.ts, which the benchmarks also import outside
    // Vitest, does not import "vitest" (that import throws outside its runner).
    globals: true,
    setupFiles: ["tests/support/fail-on-console-error.ts"],
    pool: "forks",
    // --expose-gc lets the leak test measure the heap after a full collection.
    poolOptions: { forks: { maxForks: 2, execArgv: ["--expose-gc"] } },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "shared",
          include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "{app,server,shared}/**/*.test.ts"],
          exclude: ALONE,
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: "alone", include: ALONE, sequence: { groupOrder: 1 } } },
    ],
  },
});
