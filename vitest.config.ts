import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts", "test/e2e/build-web.setup.ts"],
    // PGlite costs ~0.5 GB per instance: two workers keep a 2-core CI machine busy without swapping
    // (three were measured too: 21.2 minutes for the whole CI run against 22.1, within the noise).
    maxWorkers: 2,
    // Limits catch a hang, not a slow machine: on two cores at load average 20 a PGlite start or a
    // spawned server takes ten times as long as on an idle one. No test sets a shorter limit.
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
