import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../../../src/domain/auth/totp.js";
import { GOOD_PASSWORD, seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`sign-in through HTTP on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());
  const log = (adminId: string) =>
    t.database.handle.db
      .selectFrom("audit_log")
      .selectAll()
      .where("object_id", "=", adminId)
      .orderBy("id")
      .execute();

  it("R-ADM-3: password then TOTP signs in; the session id is rotated at each step", async () => {
    const admin = await seedActiveAdmin(t.database);
    const client = new PanelClient(t.app);
    const first = await client.post("/api/auth/sign-in", {
      email: admin.email,
      password: admin.password,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ next: "second_factor" });
    const halfway = client.cookie;
    // Half signed in is not signed in.
    expect((await client.get("/api/profile")).statusCode).toBe(401);

    const second = await client.post("/api/auth/second-factor", {
      code: PanelClient.codeFor(admin),
    });
    expect(second.statusCode).toBe(200);
    client.csrfToken = second.json().csrf_token;
    expect(client.cookie).toBeDefined();
    expect(client.cookie).not.toBe(halfway);
    expect((await client.get("/api/profile")).json()).toMatchObject({
      admin_id: admin.id,
      email: admin.email,
    });

    // The pre-second-factor session id no longer opens anything.
    const stale = new PanelClient(t.app);
    stale.cookie = halfway;
    expect((await stale.get("/api/profile")).statusCode).toBe(401);

    const entries = await log(admin.id);
    const signIn = entries.find((entry) => entry.action === "admin_login");
    expect(signIn).toMatchObject({
      ip: client.ip,
      user_agent: client.userAgent,
      actor_id: admin.id,
    });
  });

  it("R-ADM-3: a wrong TOTP code is refused, and so is a code used once already", async () => {
    const admin = await seedActiveAdmin(t.database);
    const client = new PanelClient(t.app);
    await client.post("/api/auth/sign-in", { email: admin.email, password: admin.password });
    const wrongCode = (Number(totpCode(admin.totpSecret)) + 1) % 1_000_000;
    const wrong = await client.post("/api/auth/second-factor", {
      code: String(wrongCode).padStart(6, "0"),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe("The code is incorrect or has already been used.");

    const code = PanelClient.codeFor(admin);
    expect((await client.post("/api/auth/second-factor", { code })).statusCode).toBe(200);
    const replay = new PanelClient(t.app);
    await replay.post("/api/auth/sign-in", { email: admin.email, password: admin.password });
    expect((await replay.post("/api/auth/second-factor", { code })).statusCode).toBe(401);
    const reasons = (await log(admin.id))
      .filter((e) => e.action === "admin_login_failed")
      .map((e) => (e.after as { reason: string }).reason);
    expect(reasons).toEqual(["wrong second factor", "wrong second factor"]);
  });

  it("R-ADM-1: only Active admins sign in; others get the wrong-password answer and the log says why", async () => {
    const wrongPassword = await new PanelClient(t.app).post("/api/auth/sign-in", {
      email: (await seedActiveAdmin(t.database)).email,
      password: "not the password at all",
    });
    for (const status of ["Disabled", "Expired", "Pending Activation"] as const) {
      const admin = await seedActiveAdmin(t.database);
      await t.database.handle.db
        .updateTable("admins")
        .set({ status })
        .where("id", "=", admin.id)
        .execute();
      const response = await new PanelClient(t.app).post("/api/auth/sign-in", {
        email: admin.email,
        password: admin.password,
      });
      expect(response.statusCode).toBe(401);
      expect(response.body).toBe(wrongPassword.body);
      const failure = (await log(admin.id)).find((entry) => entry.action === "admin_login_failed");
      expect(failure?.after).toEqual({ reason: `status ${status}` });
    }
  });

  it("R-ADM-4: an unknown email and a wrong password get the same status, body and similar timing", async () => {
    const admin = await seedActiveAdmin(t.database);
    const time = async (email: string, ip: string) => {
      const started = performance.now();
      const response = await new PanelClient(t.app, ip).post("/api/auth/sign-in", {
        email,
        password: "Wrong password 123",
      });
      return { ms: performance.now() - started, status: response.statusCode, body: response.body };
    };
    const unknown = [];
    const known = [];
    // Interleaved, and as many of each as stay under the lockout threshold (10): medians that hold
    // while other test files share the cores.
    for (let i = 0; i < 9; i++) {
      unknown.push(await time(`nobody-${i}@example.com`, `203.0.113.${i}`));
      known.push(await time(admin.email, `203.0.113.${100 + i}`));
    }
    for (const attempt of [...unknown, ...known]) {
      expect(attempt.status).toBe(401);
      expect(attempt.body).toBe(known[0]?.body);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const ratio = median(unknown.map((a) => a.ms)) / median(known.map((a) => a.ms));
    // Both paths spend one argon2 verification (tens of ms); without the decoy the ratio would be near 0.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    const unknownLog = await t.database.handle.db
      .selectFrom("audit_log")
      .selectAll()
      .where("actor_name", "=", "nobody-0@example.com")
      .executeTakeFirstOrThrow();
    expect(unknownLog).toMatchObject({
      action: "admin_login_failed",
      account_id: null,
      ip: "203.0.113.0",
    });
  });

  it("R-ADM-4: the 10th wrong password locks; the 11th attempt, even with the right password, is refused until the lock ends", async () => {
    const admin = await seedActiveAdmin(t.database);
    const client = new PanelClient(t.app, "192.0.2.44");
    for (let i = 1; i <= 10; i++) {
      const response = await client.post("/api/auth/sign-in", {
        email: admin.email,
        password: `wrong ${i}`,
      });
      expect(response.statusCode).toBe(401);
    }
    const locked = await t.database.handle.db
      .selectFrom("admins")
      .select(["locked_until"])
      .where("id", "=", admin.id)
      .executeTakeFirstOrThrow();
    expect(locked.locked_until).not.toBeNull();
    const minutes = (new Date(locked.locked_until ?? 0).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);

    const refused = await client.post("/api/auth/sign-in", {
      email: admin.email,
      password: GOOD_PASSWORD,
    });
    expect(refused.statusCode).toBe(401);
    const entries = await log(admin.id);
    expect(entries.filter((e) => e.action === "admin_lockout")).toHaveLength(1);
    expect(entries.at(-1)).toMatchObject({
      action: "admin_login_failed",
      after: { reason: "locked out" },
    });

    // The lock ends: the right password works again.
    await t.database.handle.db
      .updateTable("admins")
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where("id", "=", admin.id)
      .execute();
    await client.signIn(admin);
    expect((await client.get("/api/profile")).statusCode).toBe(200);
  });

  it("R-ADM-4: attempts are rate-limited per address with 429 and Retry-After", async () => {
    const limited = await buildTestApp({ throttle: { attemptsPerWindow: 3, windowSeconds: 60 } });
    try {
      const client = new PanelClient(limited.app, "192.0.2.99");
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (await client.post("/api/auth/sign-in", { email: "x@example.com", password: "p" }))
            .statusCode,
        );
      expect(statuses).toEqual([401, 401, 401, 429]);
      const blocked = await client.post("/api/auth/sign-in", {
        email: "x@example.com",
        password: "p",
      });
      expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
      // Another address is not affected.
      expect(
        (
          await new PanelClient(limited.app, "192.0.2.100").post("/api/auth/sign-in", {
            email: "x@example.com",
            password: "p",
          })
        ).statusCode,
      ).toBe(401);
    } finally {
      await limited.close();
    }
  });

  it("refuses a malformed sign-in naming the field, before any check", async () => {
    const response = await new PanelClient(t.app).post("/api/auth/sign-in", {
      email: "a@example.com",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: "invalid", field: "password" });
  });
});
