import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`sessions and CSRF on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ trustProxy: true });
  });
  afterAll(() => t.close());

  async function signedIn() {
    const admin = await seedActiveAdmin(t.database);
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    return { admin, client };
  }

  it("the session cookie is HttpOnly, SameSite=Lax, Path=/, and Secure only over HTTPS", async () => {
    const admin = await seedActiveAdmin(t.database);
    const plain = await new PanelClient(t.app).post("/api/auth/sign-in", {
      email: admin.email,
      password: admin.password,
    });
    const cookie = plain.cookies.find((c) => c.name === "gatehouse_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(cookie?.secure).toBeFalsy();
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const overTls = await new PanelClient(t.app).post(
      "/api/auth/sign-in",
      { email: admin.email, password: admin.password },
      { headers: { "x-forwarded-proto": "https" } },
    );
    // Over HTTPS it is __Host- prefixed (issue 13 item 4): Secure, Path=/, no Domain.
    expect(overTls.cookies.find((c) => c.name === "__Host-gatehouse_session")?.secure).toBe(true);
  });

  it("the database stores a hash of the session id, never the id itself", async () => {
    const { client } = await signedIn();
    const token = client.cookie?.split("=")[1] ?? "";
    const rows = await t.database.handle.db
      .selectFrom("admin_sessions")
      .select("id_hash")
      .execute();
    expect(rows.some((row) => row.id_hash === token)).toBe(false);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.id_hash))).toBe(true);
  });

  it("a state-changing request without the CSRF token is refused and changes nothing", async () => {
    const { admin, client } = await signedIn();
    const response = await client.request({
      method: "PATCH",
      url: "/api/profile",
      body: { name: "Forged" },
      csrf: false,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe("csrf");
    const wrong = await client.request({
      method: "PATCH",
      url: "/api/profile",
      body: { name: "Forged" },
      csrf: false,
      headers: { "x-csrf-token": "x".repeat(43) },
    });
    expect(wrong.statusCode).toBe(403);
    const row = await t.database.handle.db
      .selectFrom("admins")
      .select("name")
      .where("id", "=", admin.id)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe("Test Admin");
    expect(
      (await client.request({ method: "PATCH", url: "/api/profile", body: { name: "Ana" } }))
        .statusCode,
    ).toBe(200);
  });

  it("a cross-site Origin is refused even on the sign-in form", async () => {
    const admin = await seedActiveAdmin(t.database);
    const response = await new PanelClient(t.app).post(
      "/api/auth/sign-in",
      { email: admin.email, password: admin.password },
      { headers: { origin: "https://evil.example" } },
    );
    expect(response.statusCode).toBe(403);
  });

  it("R-ADM-1: a disabled admin's live session stops working at its next request", async () => {
    const { admin, client } = await signedIn();
    expect((await client.get("/api/profile")).statusCode).toBe(200);
    await t.database.handle.db
      .updateTable("admins")
      .set({ status: "Disabled" })
      .where("id", "=", admin.id)
      .execute();
    expect((await client.get("/api/profile")).statusCode).toBe(401);
    const sessions = await t.database.handle.db
      .selectFrom("admin_sessions")
      .select("id_hash")
      .where("admin_id", "=", admin.id)
      .execute();
    expect(sessions).toEqual([]);
  });

  it("the idle timeout and the absolute lifetime each end a session", async () => {
    const idle = await signedIn();
    await t.database.handle.db
      .updateTable("admin_sessions")
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where("admin_id", "=", idle.admin.id)
      .execute();
    expect((await idle.client.get("/api/profile")).statusCode).toBe(401);

    const old = await signedIn();
    const session = await t.database.handle.db
      .selectFrom("admin_sessions")
      .selectAll()
      .where("admin_id", "=", old.admin.id)
      .executeTakeFirstOrThrow();
    const hours =
      (new Date(session.expires_at).getTime() - new Date(session.created_at).getTime()) / 3_600_000;
    expect(hours).toBeCloseTo(12, 5);
    await t.database.handle.db
      .updateTable("admin_sessions")
      .set({
        expires_at: new Date(Date.now() - 1000),
        created_at: new Date(Date.now() - 13 * 3_600_000),
      })
      .where("admin_id", "=", old.admin.id)
      .execute();
    expect((await old.client.get("/api/profile")).statusCode).toBe(401);
  });

  it("sign-out ends this session; sign-out everywhere ends them all", async () => {
    const { admin, client } = await signedIn();
    const other = new PanelClient(t.app, "198.51.100.8");
    await other.signIn(admin);
    expect((await client.post("/api/auth/sign-out")).statusCode).toBe(200);
    expect((await client.get("/api/profile")).statusCode).toBe(401);
    expect((await other.get("/api/profile")).statusCode).toBe(200);

    expect((await other.post("/api/auth/sign-out?everywhere=true")).statusCode).toBe(200);
    expect(
      await t.database.handle.db
        .selectFrom("admin_sessions")
        .select("id_hash")
        .where("admin_id", "=", admin.id)
        .execute(),
    ).toEqual([]);
    const logged = await t.database.handle.db
      .selectFrom("audit_log")
      .select("action")
      .where("object_id", "=", admin.id)
      .where("action", "=", "admin_logout")
      .execute();
    expect(logged).toHaveLength(2);
  });

  it("GET /api/auth/session returns the admin, the account and the CSRF token", async () => {
    const { admin, client } = await signedIn();
    const response = await client.get("/api/auth/session");
    expect(response.json()).toMatchObject({
      account_id: admin.accountId,
      csrf_token: client.csrfToken,
      admin: { email: admin.email },
    });
  });
});
