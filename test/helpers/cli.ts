import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { CommandEnvironment } from "../../src/cli/host.js";
import { openStorageHost } from "../../src/cli/hosts.js";
import type { CommandOutput } from "../../src/cli/output.js";
import { runCommandLine } from "../../src/cli/program.js";
import { loadConfig } from "../../src/config.js";
import { readMigrations } from "../../src/db/migrate.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/open.js";
import { openTestDatabase } from "./database.js";

const BIN = path.resolve("bin/gatehouse.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Standard output and error as strings, for a command run in this process. */
export function capturedOutput(): CommandOutput & { text(): { stdout: string; stderr: string } } {
  const chunks = { stdout: [] as string[], stderr: [] as string[] };
  const sink = (into: string[]) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        into.push(chunk.toString());
        callback();
      },
    });
  return {
    stdout: sink(chunks.stdout),
    stderr: sink(chunks.stderr),
    text: () => ({ stdout: chunks.stdout.join(""), stderr: chunks.stderr.join("") }),
  };
}

export interface InProcessCli {
  /** The database the commands run against, for asserting their effect. */
  db: DatabaseHandle["db"];
  env: CommandEnvironment;
  /**
   * Parses and runs a command line here, as the running server does for its control socket: the
   * same definitions and commands as `bin/gatehouse.js`, without a process or a database to start.
   */
  run(args: string[], configEnv?: NodeJS.ProcessEnv): Promise<CliResult>;
  close(): Promise<void>;
}

/** A migrated database of this test file's own (PGlite copy or PostgreSQL), and the CLI over it. */
export async function inProcessCli(): Promise<InProcessCli> {
  const database = await openTestDatabase();
  const env: CommandEnvironment = {
    config: loadConfig({ GATEHOUSE_PUBLIC_URL: "https://gh.example" }),
    storage: {
      database: database.handle,
      secrets: database.secrets,
      migrations: await readMigrations(),
      applied: [],
    },
  };
  return {
    db: database.handle.db,
    env,
    async run(args, configEnv) {
      const output = capturedOutput();
      const config = configEnv ? loadConfig(configEnv) : env.config;
      const code = await runCommandLine(
        args,
        openStorageHost({ ...env, config }, output, { redirects: true }),
      );
      return { code, ...output.text() };
    },
    close: () => database.close(),
  };
}

export interface CliEnvironment {
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/**
 * An environment for running the real `gatehouse` binary: an empty embedded data directory, or,
 * when the suite runs on PostgreSQL, a migrated database of its own with DATABASE_URL pointing at it
 * (and a data directory that PostgreSQL leaves unused).
 */
export async function cliEnvironment(): Promise<CliEnvironment> {
  const dir = await mkdtemp(path.join(tmpdir(), "gatehouse-cli-"));
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: "info",
    GATEHOUSE_PUBLIC_URL: "https://gh.example",
    GATEHOUSE_DATA_DIR: dir,
  };
  delete base.DATABASE_URL;
  const removeDir = () => rm(dir, { recursive: true, force: true });
  const database = process.env.TEST_DATABASE_URL ? await openTestDatabase() : undefined;
  if (!database?.url) return { env: base, close: removeDir };
  await database.handle.close();
  return {
    env: {
      ...base,
      DATABASE_URL: database.url,
      GATEHOUSE_SECRET_KEY: randomBytes(32).toString("hex"),
    },
    close: async () => {
      await database.close().catch(() => {});
      await removeDir();
    },
  };
}

/** Runs `bin/gatehouse.js`; no time limit of its own (the test's is the suite's). */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      cwd: options.cwd,
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

export interface StartedServer {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `gatehouse serve` and resolves with its URL once it logs that it listens (no time limit). */
export function startServer(env: NodeJS.ProcessEnv, args: string[] = []): Promise<StartedServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve", ...args], {
      env: { ...env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /"url":"(https?:\/\/[^"]+)"/.exec(output);
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

/** Opens the database a CLI environment points at (no server may hold it meanwhile on PGlite). */
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
