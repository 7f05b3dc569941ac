import { spawn } from "node:child_process";
import { once } from "node:events";
import { copyFile, mkdir, readdir, rename, rm, utimes, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isServerStale, ROOT, SERVER_DIST, SERVER_STAMP } from "./build-state.js";
import { buildWeb, buildWebIfStale } from "./web.js";

/**
 * Builds what `npm start` serves: the server (src/ compiled by tsc into dist/, which
 * bin/gatehouse.js runs whenever it is current) and the web panel (scripts/web.ts).
 *
 *   tsx scripts/build.ts             build both (what `npm run build` runs)
 *   tsx scripts/build.ts if-stale    build each only when older than its sources (`npm start`)
 *   tsx scripts/build.ts server      build the server only
 */

/** The migrator reads its .sql files beside itself at run time (src/db/migrate.ts). */
const MIGRATIONS = path.join("db", "migrations");

function tscPath(): string {
  // TypeScript is a devDependency: a production install serves the dist/ it was shipped with.
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("typescript/package.json");
  const { bin } = require(manifest) as { bin: { tsc: string } };
  return path.join(path.dirname(manifest), bin.tsc);
}

async function compile(outDir: string): Promise<void> {
  const tsc = spawn(
    process.execPath,
    [tscPath(), "-p", path.join(ROOT, "tsconfig.build.json"), "--outDir", outDir],
    { cwd: ROOT, stdio: "inherit" },
  );
  const [code] = (await once(tsc, "exit")) as [number | null];
  if (code !== 0) throw new Error(`tsc failed (exit ${code}): the server was not built`);
}

/**
 * Compiles into a fresh directory and swaps it in whole, so that a server starting meanwhile
 * finds either the old build or the new one, never half of one, and a deleted source leaves no
 * compiled file behind.
 */
export async function buildServer(): Promise<void> {
  const startedAt = new Date();
  const next = `${SERVER_DIST}.next-${process.pid}`;
  const old = `${SERVER_DIST}.old-${process.pid}`;
  await rm(next, { recursive: true, force: true });
  try {
    await compile(next);
    await copyMigrations(path.join(ROOT, "src", MIGRATIONS), path.join(next, MIGRATIONS));
    const stamp = path.join(next, path.basename(SERVER_STAMP));
    await writeFile(stamp, `built from src/ at ${startedAt.toISOString()}\n`);
    await utimes(stamp, startedAt, startedAt);
    await rename(SERVER_DIST, old).catch(ignoreMissing);
    await rename(next, SERVER_DIST).catch((error: NodeJS.ErrnoException) => {
      // Another build swapped its own in between our two renames: keep that one.
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
  } finally {
    await rm(next, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}

async function copyMigrations(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const files = (await readdir(from)).filter((file) => file.endsWith(".sql"));
  await Promise.all(files.map((file) => copyFile(path.join(from, file), path.join(to, file))));
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== "ENOENT") throw error;
}

export async function buildServerIfStale(): Promise<boolean> {
  if (!(await isServerStale())) return false;
  await buildServer();
  return true;
}

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case undefined:
      await buildServer();
      await buildWeb();
      return;
    case "server":
      await buildServer();
      return;
    case "if-stale":
      try {
        if (await buildServerIfStale()) process.stderr.write("server built into dist/\n");
      } catch (error) {
        // bin/gatehouse.js runs the sources through tsx while dist/ is stale: still serve.
        process.stderr.write(
          `${error instanceof Error ? error.message : String(error)}; serving from src/ through tsx\n`,
        );
      }
      if (await buildWebIfStale()) process.stderr.write("web panel built into web/dist\n");
      return;
    default:
      process.stderr.write("usage: tsx scripts/build.ts [server | if-stale]\n");
      process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main(process.argv[2]);
