import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import { PanelClient } from "../../helpers/panel-client.js";

type Created = { items: { id: string; code: string; expires_at: string | null }[] };

describe(`bypass codes over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let accountId: string;
  let owner: PanelClient;
  let userId: string;
  let outOfScopeUserId: string;
  let unitId: string;

  const signIn = (role: Role, unitIds?: string[]) => signInAdmin(t, accountId, { role, unitIds });
  const codesUrl = (id: string) => `/api/users/${id}/bypass-codes`;
  const setHelpDesk = (mode: "allow" | "limit" | "deny", minutes = 60) =>
    t.db
      .updateTable("account_settings")
      .set({ helpdesk_bypass: mode, helpdesk_bypass_expiration: minutes })
      .where("account_id", "=", accountId)
      .execute();
  const changesBy = (actorId: string) =>
    t.db
      .selectFrom("audit_log")
      .select(["action", "object_id", "before", "after", "rule"])
      .where("actor_id", "=", actorId)
      .where("action", "not in", ["admin_login", "access_denied"])
      .orderBy("id")
      .execute();

  beforeAll(async () => {
    t = await buildTestApp();
    accountId = await insertAccount(t.db, { name: "Northwind" });
    const seeded = await seedActiveAdmin(t.database, { accountId, role: "Owner" });
    owner = new PanelClient(t.app);
    await owner.signIn(seeded);
    const inScope = (await owner.post("/api/groups", { name: "Engineering" })).json().id;
    const outOfScope = (await owner.post("/api/groups", { name: "Finance" })).json().id;
    userId = (await owner.post("/api/users", { username: "ana", group_ids: [inScope] })).json().id;
    outOfScopeUserId = (
      await owner.post("/api/users", { username: "bruno", group_ids: [outOfScope] })
    ).json().id;
    unitId = await insertScopedUnit(t.db, accountId, { name: "Eng", groupIds: [inScope] });
  });
  afterAll(() => t.close());

  it("an Owner creates 10 codes by default: shown once, stored only as salted hashes, one audit record without them", async () => {
    const owners = await t.db
      .selectFrom("admins")
      .select("id")
      .where("account_id", "=", accountId)
      .where("role", "=", "Owner")
      .execute();
    const created = await owner.post(codesUrl(userId), {});
    expect(created.statusCode, created.body).toBe(200);
    const { items } = created.json() as Created;
    expect(items).toHaveLength(10);
    for (const item of items) {
      expect(item.code).toMatch(/^[1-9][0-9]{8}$/);
      expect(item.expires_at).toBeNull();
    }
    // Listed again: never the code.
    const listed = await owner.get(codesUrl(userId));
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().total).toBe(10);
    expect(listed.body).not.toContain(items[0]?.code);
    for (const item of listed.json().items) expect(item).not.toHaveProperty("code");
    // No column of the table holds a plain code.
    for (const { code } of items) {
      const found = await sql<{ n: string | number }>`
        select count(*) as n from bypass_codes b where b::text like ${`%${code}%`}`.execute(t.db);
      expect(Number(found.rows[0]?.n)).toBe(0);
    }
    const log = await changesBy(owners[0]?.id as string);
    const record = log.filter((row) => row.action === "bypass_create");
    expect(record).toHaveLength(1);
    expect(record[0]?.object_id).toBe(userId);
    const logged = JSON.stringify(record[0]);
    for (const { code } of items) expect(logged).not.toContain(code);
  });

  it("given codes replace the user's codes by default, or join them with preserve_existing; deleting writes one record each", async () => {
    const admin = await signIn("User Manager");
    const given = await admin.client.post(codesUrl(userId), {
      codes: ["123456789", "987654321"],
      valid_secs: 3600,
      reuse_count: 0,
    });
    expect(given.statusCode, given.body).toBe(200);
    const list = async () => (await admin.client.get(codesUrl(userId))).json();
    expect((await list()).total).toBe(2);
    const kept = await admin.client.post(codesUrl(userId), { count: 1, preserve_existing: true });
    expect(kept.statusCode, kept.body).toBe(200);
    expect((await list()).total).toBe(3);
    const again = await admin.client.post(codesUrl(userId), {
      codes: ["123456789"],
      preserve_existing: true,
    });
    expect(again.statusCode, again.body).toBe(409);

    const [first] = (given.json() as Created).items;
    const one = await admin.client.request({
      method: "DELETE",
      url: `${codesUrl(userId)}/${first?.id}`,
    });
    expect(one.statusCode, one.body).toBe(200);
    expect((await list()).total).toBe(2);
    const missing = await admin.client.request({
      method: "DELETE",
      url: `${codesUrl(userId)}/${first?.id}`,
    });
    expect(missing.statusCode).toBe(404);
    const all = await admin.client.request({ method: "DELETE", url: codesUrl(userId) });
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json()).toEqual({ deleted: 2 });
    expect((await list()).total).toBe(0);
    expect((await changesBy(admin.id)).map((row) => row.action)).toEqual([
      "bypass_create",
      "bypass_create",
      "bypass_delete",
      "bypass_delete",
    ]);
  });

  it("R-ROLE-4: Help Desk under allow, limit and deny", async () => {
    const helpDesk = await signIn("Help Desk");
    const create = (body: object) => helpDesk.client.post(codesUrl(userId), body);

    await setHelpDesk("allow");
    expect((await create({ count: 1 })).statusCode).toBe(200);

    await setHelpDesk("limit", 30);
    const never = await create({ count: 1 });
    expect(never.statusCode).toBe(403);
    expect(never.json().error.rule).toBe("R-ROLE-4");
    const tooLong = await create({ count: 1, valid_secs: 31 * 60 });
    expect(tooLong.statusCode).toBe(403);
    expect(tooLong.json().error.rule).toBe("R-ROLE-4");
    const within = await create({ count: 1, valid_secs: 30 * 60 });
    expect(within.statusCode, within.body).toBe(200);
    expect((within.json() as Created).items[0]?.expires_at).not.toBeNull();

    await setHelpDesk("deny");
    const denied = await create({ count: 1, valid_secs: 60 });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.rule).toBe("R-ROLE-4");
    // Help Desk may still delete codes (R-ROLE-3).
    const removed = await helpDesk.client.request({ method: "DELETE", url: codesUrl(userId) });
    expect(removed.statusCode, removed.body).toBe(200);
    await setHelpDesk("allow");

    // A refusal changes nothing and is logged as a denial with its rule (R-AUD-1).
    const denials = await t.db
      .selectFrom("audit_log")
      .select(["rule"])
      .where("actor_id", "=", helpDesk.id)
      .where("action", "=", "access_denied")
      .execute();
    expect(denials.map((row) => row.rule)).toEqual(["R-ROLE-4", "R-ROLE-4", "R-ROLE-4"]);
    expect((await changesBy(helpDesk.id)).map((row) => row.action)).toEqual([
      "bypass_create",
      "bypass_create",
      "bypass_delete",
    ]);
  });

  it("R-ROLE-3: an Application Manager cannot see or manage bypass codes", async () => {
    await owner.post(codesUrl(userId), { count: 2 });
    const manager = await signIn("Application Manager");
    const listed = await manager.client.get(codesUrl(userId));
    expect(listed.statusCode).toBe(403);
    expect(listed.body).not.toContain("bypass_code_id");
    expect((await manager.client.post(codesUrl(userId), { count: 1 })).statusCode).toBe(403);
    const removed = await manager.client.request({ method: "DELETE", url: codesUrl(userId) });
    expect(removed.statusCode).toBe(403);
  });

  it("R-UNIT-8a: a restricted admin manages codes of in-scope users; an out-of-scope user is not found", async () => {
    await owner.post(codesUrl(outOfScopeUserId), { count: 1 });
    const outsideCode = (await owner.get(codesUrl(outOfScopeUserId))).json().items[0].id;
    const restricted = await signIn("User Manager", [unitId]);
    const client = restricted.client;
    expect((await client.post(codesUrl(userId), { count: 1 })).statusCode).toBe(200);
    expect((await client.get(codesUrl(userId))).statusCode).toBe(200);
    for (const response of [
      await client.get(codesUrl(outOfScopeUserId)),
      await client.post(codesUrl(outOfScopeUserId), { count: 1 }),
      await client.request({ method: "DELETE", url: codesUrl(outOfScopeUserId) }),
      await client.request({
        method: "DELETE",
        url: `${codesUrl(outOfScopeUserId)}/${outsideCode}`,
      }),
      // The code exists, but under another user: not found under this one.
      await client.request({ method: "DELETE", url: `${codesUrl(userId)}/${outsideCode}` }),
    ])
      expect(response.statusCode, response.body).toBe(404);
    expect((await owner.get(codesUrl(outOfScopeUserId))).json().total).toBe(1);
  });

  it("refuses bad requests without writing anything", async () => {
    const stored = async () =>
      Number(
        (
          await t.db
            .selectFrom("bypass_codes")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await stored();
    for (const body of [
      { count: 11 },
      { count: 0 },
      { codes: ["12345"] },
      { codes: ["12a456789"] },
      { count: 1, codes: ["123456789"] },
      { codes: ["123456789", "123456789"] },
      { reuse_count: -1 },
    ]) {
      const response = await owner.post(codesUrl(userId), body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await stored()).toBe(before);
  });
});
