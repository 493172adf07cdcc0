import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "{app,server,shared}/**/*.test.ts"],
    // Hooks are globals so that tests/support/test-server.ts, which the benchmarks also import outside
    // Vitest, does not import "vitest" (that import throws outside its runner).
    globals: true,
    setupFiles: ["tests/support/fail-on-console-error.ts"],
    pool: "forks",
    // --expose-gc lets the leak test measure the heap after a full collection.
    poolOptions: { forks: { maxForks: 2, execArgv: ["--expose-gc"] } },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
