import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECURITY_KEY_FAILED } from "../../../src/domain/auth/security-key-sign-in.js";
import { type SeededAdmin, seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { PanelClient } from "../../helpers/panel-client.js";
import { flipByte, SoftAuthenticator } from "../../helpers/webauthn-authenticator.js";

/** app.inject() speaks as http://localhost: the panel's origin, and its host name the RP ID. */
const PANEL = { origin: "http://localhost", rpId: "localhost" };

describe(`administrators' security keys (R-ADM-3) through HTTP on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());
  const db = () => t.database.handle.db;
  const log = (adminId: string) =>
    db()
      .selectFrom("audit_log")
      .select(["action", "actor_id", "object_kind", "object_id", "before", "after"])
      .where((eb) => eb.or([eb("object_id", "=", adminId), eb("actor_id", "=", adminId)]))
      .orderBy("id")
      .execute();
  const keysOf = (adminId: string) =>
    db()
      .selectFrom("webauthn_credentials")
      .selectAll()
      .where("admin_id", "=", adminId)
      .orderBy("created_at")
      .execute();

  /** Edit Profile's two steps: the current password, then the key's answer to the options. */
  async function addKey(
    client: PanelClient,
    admin: SeededAdmin,
    key: SoftAuthenticator,
    label = "Desk key",
  ) {
    const started = await client.post("/api/profile/security-keys/options", {
      current_password: admin.password,
    });
    expect(started.statusCode, started.body).toBe(200);
    const { options } = started.json();
    const response = key.register({ challenge: options.challenge, ...PANEL });
    return {
      options,
      response,
      answer: await client.post("/api/profile/security-keys", { response, label }),
    };
  }

  /** The password step, then options for the key: a half-signed-in client. */
  async function passwordStep(admin: SeededAdmin, ip?: string) {
    const client = new PanelClient(t.app, ip);
    const first = await client.post("/api/auth/sign-in", {
      email: admin.email,
      password: admin.password,
    });
    expect(first.statusCode).toBe(200);
    const options = await client.post("/api/auth/second-factor/webauthn/options");
    expect(options.statusCode, options.body).toBe(200);
    return { client, options: options.json().options };
  }

  it("R-ADM-3: an admin adds a key from Edit Profile (password, then the ceremony), then signs in with it instead of a code", async () => {
    const admin = await seedActiveAdmin(t.database, { role: "Help Desk" });
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    const key = new SoftAuthenticator();

    const wrongPassword = await client.post("/api/profile/security-keys/options", {
      current_password: "not it",
    });
    expect(wrongPassword.statusCode).toBe(400);
    expect(wrongPassword.json().error.field).toBe("current_password");

    const { options, response, answer } = await addKey(client, admin, key);
    expect(options).toMatchObject({
      rp: { id: "localhost", name: "Gatehouse" },
      user: { name: admin.email, id: Buffer.from(admin.id).toString("base64url") },
      excludeCredentials: [],
    });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toEqual({
      id: expect.stringMatching(/^WA[0-9A-Z]{18}$/),
      credential_name: "Security key",
      label: "Desk key",
      passkey: false,
      created_at: expect.any(String),
      last_used_at: null,
    });
    const keyId = answer.json().id;
    // The challenge was used: the same answer again is refused, and nothing is added.
    const again = await client.post("/api/profile/security-keys", { response, label: "Twice" });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.field).toBe("response");
    expect(await keysOf(admin.id)).toHaveLength(1);
    expect((await client.get("/api/profile/security-keys")).json()).toEqual({
      items: [answer.json()],
    });
    // A second key of the same admin: the first is excluded, so no authenticator registers twice.
    const second = await client.post("/api/profile/security-keys/options", {
      current_password: admin.password,
    });
    expect(second.json().options.excludeCredentials).toEqual([
      expect.objectContaining({ id: key.credentialId }),
    ]);

    const { client: signingIn, options: signInOptions } = await passwordStep(admin);
    expect(signInOptions).toMatchObject({
      rpId: "localhost",
      allowCredentials: [expect.objectContaining({ id: key.credentialId })],
    });
    const assertion = key.authenticate({ challenge: signInOptions.challenge, ...PANEL });
    const signedIn = await signingIn.post("/api/auth/second-factor/webauthn", {
      response: assertion,
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    signingIn.csrfToken = signedIn.json().csrf_token;
    expect((await signingIn.get("/api/profile")).json()).toMatchObject({ admin_id: admin.id });
    const [stored] = await keysOf(admin.id);
    expect(stored).toMatchObject({ sign_count: 1, last_used_at: expect.any(Date) });

    // The same answer in another half-signed-in session: its challenge is not that one.
    const { client: replaying } = await passwordStep(admin, "198.51.100.8");
    const replay = await replaying.post("/api/auth/second-factor/webauthn", {
      response: assertion,
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.message).toBe(SECURITY_KEY_FAILED);

    const entries = await log(admin.id);
    expect(entries.find((e) => e.action === "webauthn_create")).toMatchObject({
      actor_id: admin.id,
      object_kind: "admin",
      object_id: admin.id,
      after: expect.objectContaining({ webauthnkey: keyId, admin_id: admin.id, label: "Desk key" }),
    });
    expect(entries.filter((e) => e.action === "admin_login").at(-1)).toMatchObject({
      after: { factor: "webauthn", webauthnkey: keyId },
    });
    expect(entries.filter((e) => e.action === "admin_login_failed").at(-1)).toMatchObject({
      after: { reason: "wrong security key", webauthn: "challenge", webauthnkey: keyId },
    });
  });

  it("R-ADM-3: without a key the options are null (the page offers the code only); without the password step, nothing", async () => {
    const admin = await seedActiveAdmin(t.database);
    const { client, options } = await passwordStep(admin);
    expect(options).toBeNull();
    // Without a public URL the origin is the request's: a Host that is no host is a 400, not a 500.
    const badHost = await client.request({
      method: "POST",
      url: "/api/auth/second-factor/webauthn/options",
      body: {},
      headers: { host: "no such host" },
    });
    expect(badHost.statusCode).toBe(400);
    expect(badHost.json().error.field).toBe("host");
    const answer = await client.post("/api/auth/second-factor/webauthn", {
      response: new SoftAuthenticator().authenticate({ challenge: "bm9uZQ", ...PANEL }),
    });
    expect(answer.statusCode).toBe(401);
    const stranger = new PanelClient(t.app);
    expect((await stranger.post("/api/auth/second-factor/webauthn/options")).statusCode).toBe(401);
    expect(
      (await stranger.post("/api/auth/second-factor/webauthn", { response: {} })).statusCode,
    ).toBe(401);
    // The code still works for an admin with a key.
    await new PanelClient(t.app).signIn(admin);
  });

  it("R-ADM-4: refused keys count towards the lockout like wrong codes, each logged with the check that failed", async () => {
    const admin = await seedActiveAdmin(t.database);
    await db()
      .updateTable("account_settings")
      .set({ admin_lockout_threshold: 4 })
      .where("account_id", "=", admin.accountId)
      .execute();
    const owner = new PanelClient(t.app);
    await owner.signIn(admin);
    const key = new SoftAuthenticator();
    expect((await addKey(owner, admin, key)).answer.statusCode).toBe(200);
    const stranger = new SoftAuthenticator();

    const attempts: [string, (challenge: string) => unknown][] = [
      ["origin", (challenge) => key.authenticate({ challenge, ...PANEL, origin: "http://evil" })],
      [
        "signature",
        (challenge) => {
          const good = key.authenticate({ challenge, ...PANEL });
          return {
            ...good,
            response: { ...good.response, signature: flipByte(good.response.signature, 12) },
          };
        },
      ],
      ["unknown_credential", (challenge) => stranger.authenticate({ challenge, ...PANEL })],
      ["malformed", () => ({ id: "x", rawId: "x", type: "public-key", response: "no" })],
    ];
    for (const [, respond] of attempts) {
      const { client, options } = await passwordStep(admin, "203.0.113.77");
      const refused = await client.post("/api/auth/second-factor/webauthn", {
        response: respond(options.challenge),
      });
      expect(refused.statusCode).toBe(401);
    }
    const failures = (await log(admin.id)).filter((e) => e.action === "admin_login_failed");
    expect(failures.map((e) => (e.after as { webauthn: string }).webauthn)).toEqual(
      attempts.map(([reason]) => reason),
    );
    expect((await log(admin.id)).filter((e) => e.action === "admin_lockout")).toHaveLength(1);
    const row = await db()
      .selectFrom("admins")
      .select("locked_until")
      .where("id", "=", admin.id)
      .executeTakeFirstOrThrow();
    expect(row.locked_until).not.toBeNull();
    // Locked: even the right key is refused now, and the owner's open session has ended.
    const locked = new PanelClient(t.app);
    expect(
      (await locked.post("/api/auth/sign-in", { email: admin.email, password: admin.password }))
        .statusCode,
    ).toBe(401);
    expect((await owner.get("/api/profile")).statusCode).toBe(401);
  });

  it("R-AUTH-2: a key whose counter is not above the stored one (a clone) is refused and logged as such", async () => {
    const admin = await seedActiveAdmin(t.database);
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    const key = new SoftAuthenticator();
    expect((await addKey(client, admin, key)).answer.statusCode).toBe(200);
    await db()
      .updateTable("webauthn_credentials")
      .set({ sign_count: 100 })
      .where("admin_id", "=", admin.id)
      .execute();
    const { client: signingIn, options } = await passwordStep(admin);
    const cloned = await signingIn.post("/api/auth/second-factor/webauthn", {
      response: key.authenticate({ challenge: options.challenge, ...PANEL }, { counter: 100 }),
    });
    expect(cloned.statusCode).toBe(401);
    expect((await log(admin.id)).at(-1)).toMatchObject({
      action: "admin_login_failed",
      after: { reason: "wrong security key", webauthn: "counter" },
    });
    expect((await keysOf(admin.id))[0]?.sign_count).toBe(100);
    const { client: next, options: nextOptions } = await passwordStep(admin);
    const ahead = await next.post("/api/auth/second-factor/webauthn", {
      response: key.authenticate({ challenge: nextOptions.challenge, ...PANEL }, { counter: 101 }),
    });
    expect(ahead.statusCode).toBe(200);
    expect((await keysOf(admin.id))[0]?.sign_count).toBe(101);
  });

  it("a key answering for another site, or after the ceremony expired, is refused naming `response`; nothing is kept", async () => {
    const admin = await seedActiveAdmin(t.database);
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    const key = new SoftAuthenticator();
    const started = await client.post("/api/profile/security-keys/options", {
      current_password: admin.password,
    });
    const { challenge } = started.json().options;
    const elsewhere = await client.post("/api/profile/security-keys", {
      response: key.register({ challenge, origin: "https://evil.example", rpId: "evil.example" }),
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().error).toMatchObject({ code: "invalid", field: "response" });
    expect(elsewhere.json().error.message).toContain("another site");

    const restarted = await client.post("/api/profile/security-keys/options", {
      current_password: admin.password,
    });
    await db()
      .updateTable("admin_webauthn_challenges")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const late = await client.post("/api/profile/security-keys", {
      response: key.register({ challenge: restarted.json().options.challenge, ...PANEL }),
    });
    expect(late.statusCode).toBe(400);
    expect(late.json().error.message).toContain("expired");
    for (const label of ["x".repeat(101), "a\u0000b"]) {
      const again = await client.post("/api/profile/security-keys/options", {
        current_password: admin.password,
      });
      const bad = await client.post("/api/profile/security-keys", {
        response: key.register({ challenge: again.json().options.challenge, ...PANEL }),
        label,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe("label");
    }
    expect(await keysOf(admin.id)).toEqual([]);
    expect((await log(admin.id)).filter((e) => e.action === "webauthn_create")).toEqual([]);
  });

  it("rename and remove one's own keys, never another admin's; the last key goes only while the authenticator app remains", async () => {
    const admin = await seedActiveAdmin(t.database);
    const other = await seedActiveAdmin(t.database, { accountId: admin.accountId });
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    const otherClient = new PanelClient(t.app);
    await otherClient.signIn(other);
    const first = (await addKey(client, admin, new SoftAuthenticator(), "First")).answer.json().id;
    const second = (await addKey(client, admin, new SoftAuthenticator(), "Second")).answer.json()
      .id;

    const renamed = await client.request({
      method: "PATCH",
      url: `/api/profile/security-keys/${first}`,
      body: { label: "  Travel key " },
    });
    expect(renamed.json()).toMatchObject({ id: first, label: "Travel key" });
    expect((await log(admin.id)).at(-1)).toMatchObject({
      action: "webauthn_update",
      before: { webauthnkey: first, admin_id: admin.id, label: "First" },
      after: { webauthnkey: first, admin_id: admin.id, label: "Travel key" },
    });

    for (const method of ["PATCH", "DELETE"] as const) {
      const theirs = await otherClient.request({
        method,
        url: `/api/profile/security-keys/${first}`,
        ...(method === "PATCH" ? { body: { label: "Mine now" } } : {}),
      });
      expect(theirs.statusCode, method).toBe(404);
    }
    expect((await otherClient.get("/api/profile/security-keys")).json()).toEqual({ items: [] });
    expect((await keysOf(admin.id)).map((key) => key.label)).toEqual(["Travel key", "Second"]);

    // No authenticator app: one of two keys may go, the last may not.
    await db()
      .updateTable("admins")
      .set({ totp_secret_enc: null })
      .where("id", "=", admin.id)
      .execute();
    const removed = await client.request({
      method: "DELETE",
      url: `/api/profile/security-keys/${first}`,
    });
    expect(removed.statusCode).toBe(200);
    const last = await client.request({
      method: "DELETE",
      url: `/api/profile/security-keys/${second}`,
    });
    expect(last.statusCode).toBe(409);
    expect(last.json().error).toMatchObject({ rule: "R-ADM-3", field: "id" });
    expect((await keysOf(admin.id)).map((key) => key.id)).toEqual([second]);
    // With the app back, the last key may go.
    await db()
      .updateTable("admins")
      .set({ totp_secret_enc: t.database.secrets.seal(admin.totpSecret, admin.id) })
      .where("id", "=", admin.id)
      .execute();
    expect(
      (await client.request({ method: "DELETE", url: `/api/profile/security-keys/${second}` }))
        .statusCode,
    ).toBe(200);
    const deletions = (await log(admin.id)).filter((e) => e.action === "webauthn_delete");
    expect(deletions.map((e) => (e.before as { webauthnkey: string }).webauthnkey)).toEqual([
      first,
      second,
    ]);
    expect(
      (
        await client.request({ method: "DELETE", url: "/api/profile/security-keys/not-an-id" })
      ).json().error.field,
    ).toBe("keyId");
  });
});
