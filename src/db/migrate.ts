import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DatabaseHandle, SqlSession } from "./open.js";

export const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

interface AppliedRow {
  name: string;
  checksum: string;
}

/** Any number, fixed forever: every Gatehouse process takes the same advisory lock to migrate. */
const MIGRATION_LOCK_KEY = 7_243_911_305;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(path.join(dir, file), "utf8");
      return { name: file.replace(/\.sql$/, ""), sql, checksum: sha256(sql) };
    }),
  );
}

/**
 * Applies the pending migrations in order, in one transaction, under an advisory lock: a second
 * process waits, then finds nothing left to do. Refuses to run when an applied migration's file
 * was edited, since migrations are append-only.
 */
export async function migrate(handle: DatabaseHandle, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  return handle.withSession(async (session) => {
    await session.exec("begin");
    try {
      await session.query("select pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      await session.exec(`create table if not exists gatehouse_migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`);
      const applied = await appliedMigrations(session);
      assertUnchanged(all, applied);
      const pending = all.filter((migration) => !applied.has(migration.name));
      for (const migration of pending) {
        await session.exec(migration.sql);
        await session.query("insert into gatehouse_migrations (name, checksum) values ($1, $2)", [
          migration.name,
          migration.checksum,
        ]);
      }
      await session.exec("commit");
      return pending.map((migration) => migration.name);
    } catch (error) {
      await session.exec("rollback");
      throw error;
    }
  });
}

/** The migrations not yet applied (for /readyz and `gatehouse migrate --status`). */
export async function pendingMigrations(
  handle: DatabaseHandle,
  migrations?: Migration[],
): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  return handle.withSession(async (session) => {
    const exists = await session.query<{ present: boolean }>(
      "select to_regclass('gatehouse_migrations') is not null as present",
    );
    const applied = exists[0]?.present
      ? await appliedMigrations(session)
      : new Map<string, string>();
    return all
      .filter((migration) => !applied.has(migration.name))
      .map((migration) => migration.name);
  });
}

async function appliedMigrations(session: SqlSession): Promise<Map<string, string>> {
  const rows = await session.query<AppliedRow>("select name, checksum from gatehouse_migrations");
  return new Map(rows.map((row) => [row.name, row.checksum]));
}

function assertUnchanged(all: Migration[], applied: Map<string, string>): void {
  for (const migration of all) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined && checksum !== migration.checksum) {
      throw new Error(
        `migration ${migration.name} was edited after it was applied; migrations are append-only, add a new file instead`,
      );
    }
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
