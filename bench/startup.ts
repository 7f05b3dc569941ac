/**
 * Start-up and idle footprint of `gatehouse serve` on embedded PGlite, served two ways: from the
 * TypeScript sources through tsx (GATEHOUSE_FROM_SOURCE=1) and from the compiled build in dist/
 * (what `npm start` serves). Each run measures milliseconds from spawn to the first 200 from
 * /healthz on a new data directory (PGlite's initdb and the migrations included) and again on the
 * same directory, then the server's resident memory after it has idled. The two contenders take
 * turns within each round, the first one alternating, so a load that drifts during the bench
 * falls on both alike. Prints one JSON line: each contender's median and range, and what the
 * build saves at the median.
 *
 *   npm run bench -- startup              3 rounds
 *   STARTUP_ROUNDS=5 npm run bench -- startup
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildServer } from "../scripts/build.js";
import { isServerStale } from "../scripts/build-state.js";

const BIN = path.resolve("bin/gatehouse.js");
const PORT = 3917;
const IDLE_MS = 3000;
const ROUNDS = Number(process.env.STARTUP_ROUNDS ?? 3);

const CONTENDERS = {
  tsx_from_source: { GATEHOUSE_FROM_SOURCE: "1" },
  compiled: { GATEHOUSE_FROM_SOURCE: "" },
} as const;
type Contender = keyof typeof CONTENDERS;

interface Run {
  cold_start_new_data_dir_ms: number;
  start_existing_data_dir_ms: number;
  idle_rss_mib: number;
}

async function startAndTime(
  dataDir: string,
  contender: Contender,
): Promise<{ child: ChildProcess; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, "serve"], {
    env: {
      ...process.env,
      ...CONTENDERS[contender],
      GATEHOUSE_DATA_DIR: dataDir,
      PORT: String(PORT),
      LOG_LEVEL: "warn",
      DATABASE_URL: "",
    },
    stdio: "ignore",
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${PORT}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { child, ms: Math.round(performance.now() - started) };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kib / 1024);
}

async function measure(contender: Contender): Promise<Run> {
  // bin/gatehouse.js quietly runs the sources when dist/ is stale: the compiled runs must not.
  if (contender === "compiled" && (await isServerStale())) await buildServer();
  const dataDir = await mkdtemp(path.join(tmpdir(), "gatehouse-bench-"));
  try {
    const cold = await startAndTime(dataDir, contender);
    await stop(cold.child);
    const warm = await startAndTime(dataDir, contender);
    try {
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      return {
        cold_start_new_data_dir_ms: cold.ms,
        start_existing_data_dir_ms: warm.ms,
        idle_rss_mib: await rssMiB(warm.child.pid ?? 0),
      };
    } finally {
      await stop(warm.child);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function summary(runs: Run[]) {
  const metric = (key: keyof Run) => {
    const values = runs.map((run) => run[key]);
    return {
      median: median(values),
      min: Math.min(...values),
      max: Math.max(...values),
      runs: values,
    };
  };
  return {
    cold_start_new_data_dir_ms: metric("cold_start_new_data_dir_ms"),
    start_existing_data_dir_ms: metric("start_existing_data_dir_ms"),
    idle_rss_mib: metric("idle_rss_mib"),
  };
}

const runs: Record<Contender, Run[]> = { tsx_from_source: [], compiled: [] };
for (let round = 0; round < ROUNDS; round++) {
  const order: Contender[] =
    round % 2 === 0 ? ["tsx_from_source", "compiled"] : ["compiled", "tsx_from_source"];
  for (const contender of order) runs[contender].push(await measure(contender));
}
const source = summary(runs.tsx_from_source);
const compiled = summary(runs.compiled);
const savedPct = (key: "cold_start_new_data_dir_ms" | "start_existing_data_dir_ms") =>
  Math.round((1 - compiled[key].median / source[key].median) * 100);
console.log(
  JSON.stringify({
    bench: "startup",
    engine: "pglite",
    rounds: ROUNDS,
    tsx_from_source: source,
    compiled,
    compiled_saves: {
      cold_start_pct: savedPct("cold_start_new_data_dir_ms"),
      restart_pct: savedPct("start_existing_data_dir_ms"),
      idle_rss_mib: source.idle_rss_mib.median - compiled.idle_rss_mib.median,
    },
  }),
);
