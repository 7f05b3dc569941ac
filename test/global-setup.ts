import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrate } from "../src/db/migrate.js";
import { openDatabase } from "../src/db/open.js";
import { adminUrl, TEST_DATABASE_URL } from "./helpers/engine.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: path of a gzipped data directory, migrated. PostgreSQL: name of a migrated template database. */
    databaseTemplate: string;
  }
}

/**
 * Migrates once per run, so each test file starts from a copy instead of paying for initdb and the
 * migrations: a PGlite dump (PGlite costs 3-6 s to create, 0.7 s to load) or a PostgreSQL template.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (TEST_DATABASE_URL) {
    const name = `gatehouse_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl(TEST_DATABASE_URL) });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 1 });
    await migrate(handle);
    await handle.close();
    project.provide("databaseTemplate", name);
    return async () => {
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), "gatehouse-template-"));
  const handle = await openDatabase({ kind: "pglite-memory" });
  await migrate(handle);
  const dump = await handle.dumpDataDir?.();
  await handle.close();
  if (!dump) throw new Error("PGlite could not dump its data directory");
  const file = path.join(dir, "template.tar.gz");
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("databaseTemplate", file);
  return () => rm(dir, { recursive: true, force: true });
}
