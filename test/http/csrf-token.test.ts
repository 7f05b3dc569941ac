import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedActiveAdmin } from "../helpers/admins.js";
import { buildTestApp, type TestApp } from "../helpers/app.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { PanelClient } from "../helpers/panel-client.js";

describe(`the CSRF token is never stored in clear (issue 13 item 3) on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  async function signedIn() {
    const admin = await seedActiveAdmin(t.database);
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    return { admin, client };
  }

  it("issue 13 item 3: no column of the sessions table holds the CSRF token or the session id (R-ADM-3)", async () => {
    const { admin, client } = await signedIn();
    const csrfToken = client.csrfToken ?? "";
    const sessionId = client.cookie?.split("=")[1] ?? "";
    expect(csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Every column of every session row, as text, whatever columns the table has now or later.
    const rows = await sql<{
      row: string;
    }>`select row_to_json(s)::text as row from admin_sessions s`.execute(t.db);
    const mine = rows.rows.filter((row) => row.row.includes(admin.id));
    expect(mine).toHaveLength(1);
    for (const { row } of rows.rows) {
      expect(row).not.toContain(csrfToken);
      expect(row).not.toContain(sessionId);
    }
    // The panel reads the same token back after a reload.
    const session = await client.get("/api/auth/session");
    expect(session.json().csrf_token).toBe(csrfToken);
  });

  it("issue 13 item 3: a missing, wrong or another session's CSRF token is refused, and changes nothing", async () => {
    const { admin, client } = await signedIn();
    const other = await signedIn();
    const own = client.csrfToken ?? "";
    const altered = `${own.slice(0, -1)}${own.endsWith("A") ? "B" : "A"}`;
    for (const token of [undefined, "", altered, other.client.csrfToken ?? "", own.slice(0, 20)]) {
      const response = await client.request({
        method: "PATCH",
        url: "/api/profile",
        body: { name: "Forged" },
        csrf: false,
        headers: token === undefined ? {} : { "x-csrf-token": token },
      });
      expect([token, response.statusCode, response.json().error.code]).toEqual([
        token,
        403,
        "csrf",
      ]);
    }
    const row = await t.db
      .selectFrom("admins")
      .select("name")
      .where("id", "=", admin.id)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe("Test Admin");
    // The right one still works.
    const allowed = await client.request({
      method: "PATCH",
      url: "/api/profile",
      body: { name: "Mine" },
    });
    expect(allowed.statusCode).toBe(200);
  });
});
