import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { insertAccount, insertApplication } from "../helpers/fixtures.js";

describe(`secrets at rest on ${TEST_ENGINE}`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(() => t.close());

  it("an application's secret key appears in no row of any table, yet can be read back with the key", async () => {
    const account = await insertAccount(t.handle.db);
    const secretKey = "Zq8VtW3mK0pLr7XyB2nCd5FgHj9AsQe1UiOo4TbE";
    const app = await insertApplication(t.handle.db, t.secrets, {
      accountId: account,
      type: "adminapi",
      secretKey,
    });
    // Every table, every row, as text: the secret must not be there in clear.
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(
      t.handle.db,
    );
    for (const { name } of tables.rows) {
      const dump = await sql<{
        row: string;
      }>`select t::text as row from ${sql.table(name)} t`.execute(t.handle.db);
      for (const { row } of dump.rows) expect(row).not.toContain(secretKey);
    }
    const stored = await t.handle.db
      .selectFrom("applications")
      .select("secret_key_enc")
      .where("id", "=", app)
      .executeTakeFirstOrThrow();
    expect(t.secrets.open(stored.secret_key_enc, app)).toBe(secretKey);
  });
});
