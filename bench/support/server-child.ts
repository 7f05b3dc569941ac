import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";

/**
 * What the HTTP benchmarks share: the servers run in a child process of their own (the same
 * script, with `--serve`), on PGlite in memory or on a PostgreSQL database of the bench's own on
 * BENCH_POSTGRES_URL's server, created before and dropped after. The child prints one JSON line
 * when it listens; BENCH_PROFILE=1 writes its CPU profile to /tmp/prof.
 */

/** With BENCH_POSTGRES_URL, a database of the bench's own on that server, dropped afterwards. */
async function benchDatabase(): Promise<{ url?: string; drop(): Promise<void> }> {
  const server = process.env.BENCH_POSTGRES_URL;
  if (!server) return { drop: async () => {} };
  const { default: pg } = await import("pg");
  const name = `gatehouse_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * Runs `script --serve` in a child process with BENCH_DATABASE_URL set (empty: PGlite), waits for
 * its ready line, runs `work` with it, the engine's name and the child's pid, then stops the child and drops the
 * database.
 */
export async function withServerChild<Ready, T>(
  script: string,
  work: (ready: Ready, engine: "pglite" | "postgres", serverPid: number) => Promise<T>,
): Promise<T> {
  const database = await benchDatabase();
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : []),
      "--import",
      "tsx",
      script,
      "--serve",
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, BENCH_DATABASE_URL: database.url ?? "" },
    },
  );
  try {
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once("line", resolve),
    );
    return await work(
      JSON.parse(line) as Ready,
      database.url ? "postgres" : "pglite",
      child.pid ?? 0,
    );
  } finally {
    // SIGINT: the child exits cleanly, so that a --cpu-prof run writes its profile.
    child.kill("SIGINT");
    await new Promise((resolve) => child.once("exit", resolve));
    await database.drop();
  }
}
