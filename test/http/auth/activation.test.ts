import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActivationLink } from "../../../src/domain/activation.js";
import { totpCode } from "../../../src/domain/auth/totp.js";
import { initialize } from "../../../src/domain/initialize.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`activation through HTTP on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let token: string;
  let ownerId: string;
  beforeAll(async () => {
    t = await buildTestApp();
    const result = await initialize(t.database.handle, {
      accountName: "Northwind MSP",
      ownerEmail: "olivia@northwind.example",
      publicUrl: "https://gh.example",
    });
    token = result.activation.url.split("/activate/")[1] ?? "";
    ownerId = result.ownerId;
  });
  afterAll(() => t.close());

  it("R-ADM-2: shows who is activating and the password rules, changing nothing", async () => {
    const response = await new PanelClient(t.app).post("/api/auth/activation", { token });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      email: "olivia@northwind.example",
      password_rules: ["at least 12 characters"],
    });
  });

  it("R-ADM-3: a password that misses the policy is refused, naming every rule it misses", async () => {
    await t.database.handle.db
      .updateTable("account_settings")
      .set({ admin_password_require_digit: true, admin_password_require_upper: true })
      .execute();
    const response = await new PanelClient(t.app).post("/api/auth/activation/password", {
      token,
      password: "short",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ field: "password" });
    expect(response.json().error.message).toContain(
      "at least 12 characters, an uppercase letter, a digit",
    );
  });

  it("R-ADM-2: password, then a code from the new authenticator, activates the admin, who can then sign in", async () => {
    const client = new PanelClient(t.app);
    const password = "Tr0ubadour and horses";
    const enroll = await client.post("/api/auth/activation/password", { token, password });
    expect(enroll.statusCode).toBe(200);
    const { otpauth_uri, qr_svg, secret } = enroll.json();
    expect(otpauth_uri).toMatch(/^otpauth:\/\/totp\/Gatehouse:olivia%40northwind\.example\?/);
    expect(otpauth_uri).toContain(`secret=${secret}`);
    expect(qr_svg).toMatch(/^<svg/);
    // Nothing about the admin has changed yet.
    const pending = await t.database.handle.db
      .selectFrom("admins")
      .selectAll()
      .where("id", "=", ownerId)
      .executeTakeFirstOrThrow();
    expect(pending).toMatchObject({
      status: "Pending Activation",
      password_hash: null,
      totp_secret_enc: null,
    });

    const badCode = await client.post("/api/auth/activation/complete", {
      token,
      code: totpCode(secret, Date.now() - 10 * 60_000),
    });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error.field).toBe("code");

    const done = await client.post("/api/auth/activation/complete", {
      token,
      code: totpCode(secret),
    });
    expect(done.statusCode).toBe(200);
    const active = await t.database.handle.db
      .selectFrom("admins")
      .selectAll()
      .where("id", "=", ownerId)
      .executeTakeFirstOrThrow();
    expect(active.status).toBe("Active");
    expect(active.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(active.totp_secret_enc).not.toContain(secret);

    expect(
      (await client.post("/api/auth/sign-in", { email: active.email, password })).statusCode,
    ).toBe(200);
    // The code that confirmed the authenticator is spent; the next one signs in.
    expect(
      (await client.post("/api/auth/second-factor", { code: totpCode(secret) })).statusCode,
    ).toBe(401);
    await client.post("/api/auth/sign-in", { email: active.email, password });
    const signedIn = await client.post("/api/auth/second-factor", {
      code: totpCode(secret, Date.now() + 30_000),
    });
    expect(signedIn.statusCode).toBe(200);
  });

  it("R-ADM-2: a used activation link is refused", async () => {
    const response = await new PanelClient(t.app).post("/api/auth/activation", { token });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toContain("invalid, has been used or has expired");
  });

  it("R-ADM-2: an expired activation link is refused, and an unknown one looks the same", async () => {
    const admin = await t.database.handle.db
      .insertInto("admins")
      .values({
        id: "DE0000000000000000EX",
        account_id: (
          await t.database.handle.db.selectFrom("accounts").select("id").executeTakeFirstOrThrow()
        ).id,
        tenant_id: (
          await t.database.handle.db
            .selectFrom("accounts")
            .select("tenant_id")
            .executeTakeFirstOrThrow()
        ).tenant_id,
        home_is_subaccount: false,
        email: "late@northwind.example",
        name: "Late",
        phone: null,
        role: "Help Desk",
        subaccount_role: "Help Desk",
        password_hash: null,
        totp_secret_enc: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const link = await createActivationLink(t.database.handle.db, {
      adminId: admin.id,
      validDays: 7,
      publicUrl: "https://gh.example",
      now: new Date(Date.now() - 8 * 86_400_000),
    });
    const expiredToken = link.url.split("/activate/")[1] ?? "";
    const expired = await new PanelClient(t.app).post("/api/auth/activation/password", {
      token: expiredToken,
      password: "Long enough passw0rd",
    });
    const unknown = await new PanelClient(t.app).post("/api/auth/activation/password", {
      token: "A".repeat(43),
      password: "Long enough passw0rd",
    });
    expect(expired.statusCode).toBe(404);
    expect(expired.body).toBe(unknown.body);
  });
});
