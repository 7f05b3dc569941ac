import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts", "test/e2e/build-web.setup.ts"],
    // PGlite costs ~0.5 GB per instance: two workers keep a 2-core CI machine busy without swapping.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
