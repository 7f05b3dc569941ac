import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { inject } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/open.js";
import { createSecretBox, type SecretBox } from "../../src/db/secrets.js";
import { adminUrl, databaseUrl, TEST_DATABASE_URL } from "./engine.js";

export interface TestDatabase {
  handle: DatabaseHandle;
  secrets: SecretBox;
  /** PostgreSQL only: the URL of this test's own database (for a second pool, or a child process). */
  url?: string;
  close(): Promise<void>;
}

/** A migrated database of its own for one test file: a PGlite copy, or a PostgreSQL database made from the template. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const template = inject("databaseTemplate");
  const secrets = createSecretBox(randomBytes(32));
  if (TEST_DATABASE_URL) return { ...(await createPostgresDatabase("test", template)), secrets };
  const dump = new Blob([new Uint8Array(await readFile(template))]);
  const handle = await openDatabase({ kind: "pglite-memory", loadDataDir: dump });
  return { handle, secrets, close: () => handle.close() };
}

/** An empty database (no migrations), for tests of the migrator itself. */
export async function openEmptyDatabase(): Promise<Omit<TestDatabase, "secrets">> {
  if (TEST_DATABASE_URL) return createPostgresDatabase("empty");
  const handle = await openDatabase({ kind: "pglite-memory" });
  return { handle, close: () => handle.close() };
}

async function createPostgresDatabase(
  purpose: string,
  template?: string,
): Promise<Omit<TestDatabase, "secrets">> {
  const name = `gatehouse_${purpose}_${randomBytes(6).toString("hex")}`;
  await withAdminClient((client) => createDatabase(client, name, template));
  const url = databaseUrl(TEST_DATABASE_URL ?? "", name);
  const handle = await openDatabase({ kind: "postgres", url, poolSize: 4 });
  return {
    handle,
    url,
    async close() {
      await handle.close();
      await withAdminClient((client) =>
        client.query(`drop database if exists ${name} with (force)`),
      );
    },
  };
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(TEST_DATABASE_URL ?? "") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A backend that just disconnected from the template may linger a few milliseconds; wait it out. */
async function createDatabase(
  client: pg.Client,
  name: string,
  template: string | undefined,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`create database ${name}${template ? ` template ${template}` : ""}`);
      return;
    } catch (error) {
      const busy = (error as { code?: string }).code === "55006";
      if (!busy || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
