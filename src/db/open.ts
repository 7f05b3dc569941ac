import { existsSync } from "node:fs";
import path from "node:path";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { type DataDirLock, LOCK_FILE, lockDataDir } from "./data-dir-lock.js";
import { DurableNodeFS, durableStartParams, syncTree } from "./durable-node-fs.js";
import { PreparingClient } from "./prepared.js";
import { claimPrivateDir, tightenPrivateEntries } from "./private-dir.js";
import type { Database } from "./schema.js";
import { SECRET_KEY_FILE } from "./secrets.js";

/** One connection's worth of raw SQL, for scripts Kysely cannot express (migrations, advisory locks). */
export interface SqlSession {
  /** Runs a script of one or more statements without parameters. */
  exec(script: string): Promise<void>;
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
}

export interface DatabaseHandle {
  kind: "pglite" | "postgres";
  db: Kysely<Database>;
  /** Where the data lives, safe to log (no password). */
  location: string;
  /** Runs `work` on one dedicated connection. */
  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a gzipped tarball (test templates). */
  dumpDataDir?(): Promise<Blob>;
}

export type DatabaseTarget =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dataDir: string; durability?: PgliteDurability }
  | { kind: "pglite-memory"; loadDataDir?: Blob | File };

/**
 * How a commit on file-backed PGlite reaches the disk. "fsync" (the default): the commit's WAL is
 * fsynced before the commit returns, as on PostgreSQL. "unsafe-no-fsync": PGlite's own default,
 * fsync off, so an acknowledged commit may live only in the page cache and a power cut or kernel
 * crash can lose it or corrupt the directory; for measuring what durability costs (bench/writes.ts).
 */
export type PgliteDurability = "fsync" | "unsafe-no-fsync";

const INT8_OID = 20;
const parseInt8 = (value: string) => Number(value);

/** Opens PostgreSQL through a pool, or embedded PGlite (file-backed or in memory). */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  return target.kind === "postgres"
    ? openPostgres(target.url, target.poolSize ?? 10)
    : openPglite(target);
}

function openPostgres(url: string, poolSize: number): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    Client: PreparingClient,
    types: {
      getTypeParser: (oid, format) =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format),
    },
  });
  // A dropped idle connection must not crash the process; the next query gets a fresh one.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: "postgres",
    db,
    location: describePostgresUrl(url),
    async withSession(work) {
      const client = await pool.connect();
      try {
        return await work({
          exec: async (script) => {
            await client.query(script);
          },
          query: async <Row>(text: string, params?: unknown[]) =>
            (await client.query(text, params as unknown[])).rows as Row[],
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
      // Kysely ends the pool only if Kysely itself ever used it.
      if (!pool.ended) await pool.end();
    },
  };
}

async function openPglite(
  target: Exclude<DatabaseTarget, { kind: "postgres" }>,
): Promise<DatabaseHandle> {
  const parsers = { [INT8_OID]: parseInt8 };
  let lock: DataDirLock | undefined;
  let client: PGlite;
  if (target.kind === "pglite") {
    ({ client, lock } = await openPgliteFiles(
      target.dataDir,
      target.durability ?? "fsync",
      parsers,
    ));
  } else {
    client = await PGlite.create({ loadDataDir: target.loadDataDir, parsers });
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    kind: "pglite",
    db,
    location: target.kind === "pglite" ? `PGlite in ${target.dataDir}` : "PGlite in memory",
    // Holding Kysely's single connection keeps its queued queries out of the raw session.
    withSession: (work) =>
      db.connection().execute(() =>
        work({
          exec: async (script) => {
            await client.exec(script);
          },
          query: async <Row>(text: string, params?: unknown[]) =>
            (await client.query<Row>(text, params)).rows,
        }),
      ),
    async close() {
      await db.destroy();
      // Kysely's destroy closes PGlite only if Kysely ever ran a query on it.
      if (!client.closed) await client.close();
      await lock?.release();
    },
    dumpDataDir: () => db.connection().execute(() => client.dumpDataDir("gzip")),
  };
}

/** PGlite's own directory in the data directory; the rest holds Gatehouse's files. */
const PG_SUBDIR = "pg";

/** File-backed PGlite in a private data directory that this process holds the lock on. */
async function openPgliteFiles(
  dataDir: string,
  durability: PgliteDurability,
  parsers: PGliteOptions["parsers"],
): Promise<{ client: PGlite; lock: DataDirLock }> {
  await claimPrivateDir(dataDir);
  // PGlite has no multi-process guard of its own: two processes on one data dir corrupt it.
  const lock = await lockDataDir(dataDir);
  const pgDir = path.join(dataDir, PG_SUBDIR);
  const newCluster = !existsSync(path.join(pgDir, "PG_VERSION"));
  const filesystem = new DurableNodeFS(pgDir);
  let client: PGlite | undefined;
  try {
    client = await PGlite.create({
      fs: filesystem,
      ...(durability === "fsync" ? { startParams: durableStartParams() } : {}),
      parsers,
    });
    if (durability === "fsync" && !filesystem.hostFsyncInstalled) {
      throw new Error(
        "this PGlite did not run Gatehouse's fsync hook: its commits would not be durable",
      );
    }
    // After PGlite: its first start writes the new cluster's files with its tarball's modes.
    await tightenPrivateEntries(dataDir, [PG_SUBDIR, SECRET_KEY_FILE, LOCK_FILE]);
    if (newCluster && durability === "fsync") await syncTree(pgDir);
    return { client, lock };
  } catch (error) {
    if (client && !client.closed) await client.close();
    await lock.release();
    throw error;
  }
}

function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `PostgreSQL at ${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "PostgreSQL";
  }
}
