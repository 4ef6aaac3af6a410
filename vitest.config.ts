import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Bounds for a loaded machine, not speed goals (bench/ measures speed).
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Tests that start chibo as a process or share a port stay isolated per file.
    pool: "forks",
    // Every test file gets a temporary folder of its own and fails if its tests leave anything in
    // it; the run's folder, holding them, goes when the run ends.
    globalSetup: ["test/helpers/tempRoot.ts"],
    setupFiles: ["test/helpers/tempFolder.ts"],
  },
});
