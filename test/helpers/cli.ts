import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type DatabaseHandle, openDatabase } from "../../src/db/open.js";
import { openTestDatabase } from "./database.js";

const BIN = path.resolve("bin/gatehouse.js");

export interface CliEnvironment {
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/**
 * An environment for running the real `gatehouse` binary: an empty embedded data directory, or,
 * when the suite runs on PostgreSQL, a migrated database of its own with DATABASE_URL pointing at it.
 */
export async function cliEnvironment(): Promise<CliEnvironment> {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: "info",
    GATEHOUSE_PUBLIC_URL: "https://gh.example",
  };
  delete base.DATABASE_URL;
  const database = process.env.TEST_DATABASE_URL ? await openTestDatabase() : undefined;
  if (database?.url) {
    await database.handle.close();
    return {
      env: {
        ...base,
        DATABASE_URL: database.url,
        GATEHOUSE_SECRET_KEY: randomBytes(32).toString("hex"),
      },
      close: () => database.close().catch(() => {}),
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), "gatehouse-cli-"));
  return {
    env: { ...base, GATEHOUSE_DATA_DIR: dir },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `gatehouse serve` and resolves with its URL once it logs that it listens. */
export function startServer(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve"], {
      env: { ...env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) =>
      reject(new Error(`gatehouse serve exited with ${code} before listening:\n${output}`)),
    );
  });
}

/** Opens the database a CLI environment points at (the CLI must not be running on PGlite meanwhile). */
export async function withCliDatabase<T>(
  env: NodeJS.ProcessEnv,
  work: (db: DatabaseHandle["db"]) => Promise<T>,
): Promise<T> {
  const handle = env.DATABASE_URL
    ? await openDatabase({ kind: "postgres", url: env.DATABASE_URL, poolSize: 1 })
    : await openDatabase({ kind: "pglite", dataDir: env.GATEHOUSE_DATA_DIR ?? "" });
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}
