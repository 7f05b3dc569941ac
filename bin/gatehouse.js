#!/usr/bin/env node
// Runs the compiled CLI in dist/ when that build is current (`npm start` and `npm run build` make
// it), and otherwise the TypeScript sources through tsx: a fresh clone, or a src/ edited since the
// last build, still runs, and never from stale code. GATEHOUSE_FROM_SOURCE=1 always runs the
// sources (to compare the two, or for stack traces that name src/ lines).
import { isServerStale } from "../scripts/build-state.js";

if (process.env.GATEHOUSE_FROM_SOURCE !== "1" && !(await isServerStale())) {
  await import("../dist/cli.js");
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli.ts");
}
