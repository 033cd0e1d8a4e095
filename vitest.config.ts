import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // builds the default corpus when a fresh clone has none (test/setup/default-corpus.ts)
    globalSetup: ["test/setup/default-corpus.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Trainer tests are CPU-bound; two cores, so at most two test files at once.
    maxWorkers: 2,
    pool: "forks",
  },
});
