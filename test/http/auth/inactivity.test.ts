import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expireInactiveAdmins } from "../../../src/domain/auth/inactivity.js";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`inactivity expiry (R-ADM-1) on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

  async function accountWithLimit(days: number) {
    const accountId = await insertAccount(t.database.handle.db, { edition: "Premier" });
    await t.database.handle.db
      .updateTable("account_settings")
      .set({ admin_inactivity_days: days })
      .where("account_id", "=", accountId)
      .execute();
    return accountId;
  }

  it("R-ADM-1: an admin idle past the account's limit is refused at sign-in and becomes Expired", async () => {
    const accountId = await accountWithLimit(30);
    const admin = await seedActiveAdmin(t.database, { accountId, role: "Help Desk" });
    await t.database.handle.db
      .updateTable("admins")
      .set({
        last_sign_in_at: daysAgo(31),
        password_changed_at: daysAgo(90),
        created_at: daysAgo(90),
      })
      .where("id", "=", admin.id)
      .execute();
    const response = await new PanelClient(t.app).post("/api/auth/sign-in", {
      email: admin.email,
      password: admin.password,
    });
    expect(response.statusCode).toBe(401);
    const row = await t.database.handle.db
      .selectFrom("admins")
      .select(["status", "status_before_expiry"])
      .where("id", "=", admin.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "Expired", status_before_expiry: "Active" });
  });

  it("R-ADM-1: the sweep expires idle admins and leaves recent ones and accounts without a limit alone", async () => {
    const limited = await accountWithLimit(10);
    const unlimited = await insertAccount(t.database.handle.db);
    const idle = await seedActiveAdmin(t.database, { accountId: limited });
    const recent = await seedActiveAdmin(t.database, { accountId: limited });
    const noLimit = await seedActiveAdmin(t.database, { accountId: unlimited });
    for (const id of [idle.id, noLimit.id]) {
      await t.database.handle.db
        .updateTable("admins")
        .set({
          last_sign_in_at: daysAgo(11),
          password_changed_at: daysAgo(11),
          created_at: daysAgo(11),
        })
        .where("id", "=", id)
        .execute();
    }
    await t.database.handle.db
      .updateTable("admins")
      .set({ last_sign_in_at: daysAgo(2) })
      .where("id", "=", recent.id)
      .execute();
    await t.database.handle.db.transaction().execute((tx) => expireInactiveAdmins(tx, new Date()));
    const statuses = await t.database.handle.db
      .selectFrom("admins")
      .select(["id", "status"])
      .where("id", "in", [idle.id, recent.id, noLimit.id])
      .execute();
    expect(Object.fromEntries(statuses.map((row) => [row.id, row.status]))).toEqual({
      [idle.id]: "Expired",
      [recent.id]: "Active",
      [noLimit.id]: "Active",
    });
  });

  it("R-ADM-1, R-ROLE-5: an Owner clears inactivity; a non-Owner is refused with the rule", async () => {
    const accountId = await accountWithLimit(5);
    const owner = await seedActiveAdmin(t.database, { accountId, role: "Owner" });
    const helpDesk = await seedActiveAdmin(t.database, { accountId, role: "Help Desk" });
    const expired = await seedActiveAdmin(t.database, { accountId, role: "User Manager" });
    await t.database.handle.db
      .updateTable("admins")
      .set({ status: "Expired", status_before_expiry: "Active" })
      .where("id", "=", expired.id)
      .execute();

    const helper = new PanelClient(t.app);
    await helper.signIn(helpDesk);
    const refused = await helper.post(`/api/admins/${expired.id}/clear-inactivity`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: "forbidden", rule: "R-ROLE-2" });

    const client = new PanelClient(t.app);
    await client.signIn(owner);
    const cleared = await client.post(`/api/admins/${expired.id}/clear-inactivity`);
    expect(cleared.json()).toEqual({ status: "Active" });
    // The inactivity clock starts again, so the next sweep leaves the admin Active.
    await t.database.handle.db.transaction().execute((tx) => expireInactiveAdmins(tx, new Date()));
    const row = await t.database.handle.db
      .selectFrom("admins")
      .select("status")
      .where("id", "=", expired.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("Active");
    await new PanelClient(t.app).signIn(expired);
  });

  it("an admin of another tenant is not found, not forbidden", async () => {
    const owner = await seedActiveAdmin(t.database, { role: "Owner" });
    const stranger = await seedActiveAdmin(t.database);
    const client = new PanelClient(t.app);
    await client.signIn(owner);
    expect((await client.post(`/api/admins/${stranger.id}/clear-inactivity`)).statusCode).toBe(404);
  });
});
