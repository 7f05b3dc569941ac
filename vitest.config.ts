import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts", "test/e2e/build-web.setup.ts"],
    // The suite waits on browsers, child servers and fsync as much as it computes: on two cores two
    // workers kept the machine 1.5 cores busy (CI, issue 15), three keep it busy. PGlite costs
    // ~0.5 GB per instance, well within the machine's memory at three.
    maxWorkers: 3,
    // Limits catch a hang, not a slow machine: on two cores at load average 20 a PGlite start or a
    // spawned server takes ten times as long as on an idle one. No test sets a shorter limit.
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
