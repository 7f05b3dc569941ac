/**
 * Runs the benchmarks named on the command line (default: all of bench/*.ts but this file), each in
 * its own process so that one's memory does not colour another's figures. Each prints JSON lines.
 *
 *   npm run bench            # all
 *   npm run bench -- startup # one
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(dir)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts")
  .map((file) => file.replace(/\.ts$/, ""));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(", ")}; available: ${available.join(", ")}`);
  process.exit(2);
}
let failed = false;
for (const name of wanted.length ? wanted : available) {
  const result = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", path.join(dir, `${name}.ts`)],
    { stdio: "inherit" },
  );
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
