/**
 * Start-up and idle footprint of `gatehouse serve` on embedded PGlite: milliseconds from spawn to the
 * first 200 from /healthz, on a new data directory (PGlite's initdb and the migrations included) and
 * on an existing one, then the server's resident memory after it has idled. Prints one JSON line.
 *
 *   npm run bench -- startup
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

const BIN = path.resolve("bin/gatehouse.js");
const PORT = 3917;
const IDLE_MS = 3000;

async function startAndTime(dataDir: string): Promise<{ child: ChildProcess; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, "serve"], {
    env: {
      ...process.env,
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
  child.kill("SIGTERM");
  await once(child, "exit");
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kib / 1024);
}

const dataDir = await mkdtemp(path.join(tmpdir(), "gatehouse-bench-"));
try {
  const cold = await startAndTime(dataDir);
  await stop(cold.child);
  const warm = await startAndTime(dataDir);
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const idleRss = await rssMiB(warm.child.pid ?? 0);
  await stop(warm.child);
  console.log(
    JSON.stringify({
      bench: "startup",
      engine: "pglite",
      cold_start_new_data_dir_ms: cold.ms,
      start_existing_data_dir_ms: warm.ms,
      idle_rss_mib: idleRss,
    }),
  );
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
