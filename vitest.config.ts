import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "{app,server,shared}/**/*.test.ts"],
    setupFiles: ["tests/support/fail-on-console-error.ts"],
    pool: "forks",
    poolOptions: { forks: { maxForks: 2 } },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
