import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../../../src/domain/auth/totp.js";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`own profile (R-ROLE-7) on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("R-ROLE-7: every role can change their own name and phone", async () => {
    for (const role of ["Read-only", "Billing", "Help Desk"] as const) {
      const admin = await seedActiveAdmin(t.database, { role });
      const client = new PanelClient(t.app);
      await client.signIn(admin);
      const response = await client.request({
        method: "PATCH",
        url: "/api/profile",
        body: { name: "Ana Silva", phone: "+1 (415) 555-0100" },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ name: "Ana Silva", phone: "+14155550100", role });
    }
  });

  it("R-ROLE-7: the profile cannot change the role, and a bad phone is refused naming the field", async () => {
    const admin = await seedActiveAdmin(t.database, { role: "Help Desk" });
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    const role = await client.request({
      method: "PATCH",
      url: "/api/profile",
      body: { role: "Owner" },
    });
    expect(role.statusCode).toBe(400);
    expect(role.json().error.field).toBe("role");
    const phone = await client.request({
      method: "PATCH",
      url: "/api/profile",
      body: { phone: "call me" },
    });
    expect(phone.json().error).toMatchObject({ code: "invalid", field: "phone" });
    const row = await t.database.handle.db
      .selectFrom("admins")
      .select(["role", "phone"])
      .where("id", "=", admin.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ role: "Help Desk", phone: null });
  });

  it("R-ROLE-7: a password change needs the current password and ends the admin's other sessions", async () => {
    const admin = await seedActiveAdmin(t.database);
    const client = new PanelClient(t.app);
    const elsewhere = new PanelClient(t.app, "198.51.100.9");
    await client.signIn(admin);
    await elsewhere.signIn(admin);
    const wrong = await client.post("/api/profile/password", {
      current_password: "nope",
      new_password: "A brand new passphrase",
    });
    expect(wrong.json().error).toMatchObject({ field: "current_password" });
    const short = await client.post("/api/profile/password", {
      current_password: admin.password,
      new_password: "short",
    });
    expect(short.json().error).toMatchObject({ field: "new_password" });
    const ok = await client.post("/api/profile/password", {
      current_password: admin.password,
      new_password: "A brand new passphrase",
    });
    expect(ok.statusCode).toBe(200);
    expect((await client.get("/api/profile")).statusCode).toBe(200);
    expect((await elsewhere.get("/api/profile")).statusCode).toBe(401);
    const actions = await t.database.handle.db
      .selectFrom("audit_log")
      .select(["action", "ip"])
      .where("object_id", "=", admin.id)
      .execute();
    expect(actions).toContainEqual({ action: "admin_password_change", ip: client.ip });
  });

  it("R-ROLE-7: re-enrolling the authenticator takes the password and a code from the new one", async () => {
    const admin = await seedActiveAdmin(t.database);
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    const start = await client.post("/api/profile/second-factor", {
      current_password: admin.password,
    });
    expect(start.statusCode).toBe(200);
    const { secret } = start.json();
    const wrong = await client.post("/api/profile/second-factor/confirm", {
      code: totpCode(admin.totpSecret),
    });
    expect(wrong.statusCode).toBe(400);
    expect(
      (await client.post("/api/profile/second-factor/confirm", { code: totpCode(secret) }))
        .statusCode,
    ).toBe(200);
    const actions = await t.database.handle.db
      .selectFrom("audit_log")
      .select("action")
      .where("object_id", "=", admin.id)
      .execute();
    expect(actions.map((a) => a.action)).toContain("admin_factor_change");
    // The old authenticator no longer signs in; the new one does.
    const next = new PanelClient(t.app);
    await next.post("/api/auth/sign-in", { email: admin.email, password: admin.password });
    expect(
      (
        await next.post("/api/auth/second-factor", {
          code: totpCode(admin.totpSecret, Date.now() + 30_000),
        })
      ).statusCode,
    ).toBe(401);
    await next.post("/api/auth/sign-in", { email: admin.email, password: admin.password });
    expect(
      (await next.post("/api/auth/second-factor", { code: totpCode(secret, Date.now() + 30_000) }))
        .statusCode,
    ).toBe(200);
  });

  it("R-ADM-3: the profile gives the password rules of the admin's account, as activation words them", async () => {
    const admin = await seedActiveAdmin(t.database, { role: "Help Desk" });
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    const rules = async () => (await client.get("/api/profile")).json().password_rules;
    expect(await rules()).toEqual(["at least 12 characters"]);
    await t.db
      .updateTable("account_settings")
      .set({ admin_password_min_length: 16, admin_password_require_digit: true })
      .where("account_id", "=", admin.accountId)
      .execute();
    expect(await rules()).toEqual(["at least 16 characters", "a digit"]);
    const saved = await client.request({
      method: "PATCH",
      url: "/api/profile",
      body: { name: "Ana" },
    });
    expect(saved.json().password_rules).toEqual(["at least 16 characters", "a digit"]);
  });

  it("profile routes refuse requests without a session", async () => {
    expect((await new PanelClient(t.app).get("/api/profile")).statusCode).toBe(401);
  });
});
