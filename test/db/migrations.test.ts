import { sql } from "kysely";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { migrate, pendingMigrations, readMigrations } from "../../src/db/migrate.js";
import { openDatabase } from "../../src/db/open.js";
import { openEmptyDatabase } from "../helpers/database.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { insertAccount, insertUser } from "../helpers/fixtures.js";

describe(`migrations on ${TEST_ENGINE}`, () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (closers.length) await closers.pop()?.();
  });

  // initdb is PGlite's slowest step (seconds, a minute on a loaded machine): run it once for the
  // file and give each test a copy of the empty cluster, as the suite's template does migrated.
  let emptyPglite: Blob | undefined;
  beforeAll(async () => {
    if (TEST_ENGINE !== "pglite") return;
    const empty = await openDatabase({ kind: "pglite-memory" });
    emptyPglite = await empty.dumpDataDir?.();
    await empty.close();
  });
  async function openEmpty(): Promise<Awaited<ReturnType<typeof openEmptyDatabase>>> {
    if (!emptyPglite) return openEmptyDatabase();
    const handle = await openDatabase({ kind: "pglite-memory", loadDataDir: emptyPglite });
    return { handle, close: () => handle.close() };
  }

  it("apply from empty, in order, and a second run applies nothing", async () => {
    const empty = await openEmpty();
    closers.push(empty.close);
    const files = await readMigrations();
    expect(await pendingMigrations(empty.handle)).toEqual(files.map((m) => m.name));

    expect(await migrate(empty.handle)).toEqual(files.map((m) => m.name));
    expect(await migrate(empty.handle)).toEqual([]);
    expect(await pendingMigrations(empty.handle)).toEqual([]);

    const recorded = await empty.handle.db
      .selectFrom("gatehouse_migrations")
      .select(["name", "checksum"])
      .execute();
    expect(recorded.map((row) => row.name)).toEqual(files.map((m) => m.name));
    expect(recorded.map((row) => row.checksum)).toEqual(files.map((m) => m.checksum));
  });

  it("issue 13 item 9: an upgrade stores existing usernames and aliases in NFC, leaving a name whose NFC form is taken as it was", async () => {
    const empty = await openEmpty();
    closers.push(empty.close);
    const files = await readMigrations();
    const nfc = files.findIndex((m) => m.name.startsWith("0007_"));
    await migrate(empty.handle, files.slice(0, nfc));
    const db = empty.handle.db;
    const accountId = await insertAccount(db, { name: "Upgraded" });
    const decomposed = "Jose\u0301".normalize("NFD");
    const rows = [
      { username: `${decomposed} Nun\u0303ez`, aliases: [`e\u0301lise`] },
      { username: "René", aliases: [] },
      { username: "Rene\u0301", aliases: [] },
    ];
    const ids: string[] = [];
    for (const row of rows) {
      const id = await insertUser(db, accountId, { ...row, realName: "", groupIds: [] });
      await db.updateTable("users").set({ aliases: row.aliases }).where("id", "=", id).execute();
      ids.push(id);
    }
    await migrate(empty.handle, files);
    const after = await db
      .selectFrom("users")
      .select(["id", "username", "aliases"])
      .where("account_id", "=", accountId)
      .execute();
    const byId = new Map(after.map((row) => [row.id, row]));
    expect(byId.get(ids[0] ?? "")).toMatchObject({ username: "José Nuñez", aliases: ["élise"] });
    expect(byId.get(ids[1] ?? "")?.username).toBe("René");
    // Its NFC form is another user's name: kept as stored rather than failing the upgrade.
    expect(byId.get(ids[2] ?? "")?.username).toBe("Rene\u0301");
  });

  it("two processes migrating at once: one applies, the other waits and finds nothing to do", async () => {
    const empty = await openEmpty();
    closers.push(empty.close);
    // On PostgreSQL the second runner is a separate pool (a separate backend, as another process
    // would be); PGlite has one connection, so there the two runs contend for it instead.
    const other = empty.url
      ? await openDatabase({ kind: "postgres", url: empty.url, poolSize: 1 })
      : empty.handle;
    if (other !== empty.handle) closers.push(() => other.close());
    const [first, second] = await Promise.all([migrate(empty.handle), migrate(other)]);
    const all = (await readMigrations()).map((m) => m.name);
    expect([...first, ...second].sort()).toEqual(all);
    expect(first.length === 0 || second.length === 0).toBe(true);
  });

  it("refuses to run when an applied migration was edited (append-only)", async () => {
    const empty = await openEmpty();
    closers.push(empty.close);
    const files = await readMigrations();
    await migrate(empty.handle, files);
    const edited = files.map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    await expect(migrate(empty.handle, edited)).rejects.toThrow(/edited after it was applied/);
  });

  it("a failing migration leaves nothing behind", async () => {
    const empty = await openEmpty();
    closers.push(empty.close);
    const files = await readMigrations();
    const broken = [
      ...files,
      { name: "9999_broken", checksum: "x", sql: "create table half_done (id int); select 1/0;" },
    ];
    await expect(migrate(empty.handle, broken)).rejects.toThrow();
    const exists = await sql<{
      present: boolean;
    }>`select to_regclass('accounts') is not null as present`.execute(empty.handle.db);
    expect(exists.rows[0]?.present).toBe(false);
  });
});
