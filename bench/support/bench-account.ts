import { randomBytes } from "node:crypto";
import { newId } from "../../src/db/ids.js";
import { migrate } from "../../src/db/migrate.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/open.js";
import { createSecretBox, type SecretBox } from "../../src/db/secrets.js";

/**
 * The server child's side of an HTTP benchmark (server-child.ts): the database BENCH_DATABASE_URL
 * names (PGlite in memory when empty), migrated, a secret box of its own, and one Premier parent
 * account to seed. Imported by `serve` only, so the load generator never loads the server.
 */
export async function openBenchAccount(): Promise<{
  handle: DatabaseHandle;
  secrets: SecretBox;
  accountId: string;
  url: string | undefined;
}> {
  const url = process.env.BENCH_DATABASE_URL || undefined;
  const handle = await openDatabase(
    url ? { kind: "postgres", url, poolSize: 10 } : { kind: "pglite-memory" },
  );
  await migrate(handle);
  const accountId = newId("account");
  await handle.db
    .insertInto("accounts")
    .values({ id: accountId, parent_id: null, name: "Bench MSP", edition: "Premier" })
    .execute();
  return { handle, secrets: createSecretBox(randomBytes(32)), accountId, url };
}
