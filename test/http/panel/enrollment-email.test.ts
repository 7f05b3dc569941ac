import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { smtpMailer } from "../../../src/mail/smtp.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertGroup, insertUser } from "../../helpers/fixtures.js";
import {
  closedPort,
  linkIn,
  mailerFor,
  SwitchableMailer,
  startMailServer,
  type TestMailServer,
} from "../../helpers/mail.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import type { PanelClient } from "../../helpers/panel-client.js";

describe(`Send enrollment email over the panel API (POST /api/users/:id/enrollment-email) on ${TEST_ENGINE}`, () => {
  let mail: TestMailServer;
  let mailer: SwitchableMailer;
  let t: TestApp;
  let accountId: string;
  const ids = { inUnit: "", outside: "" };
  let owner: PanelClient;

  const signIn = async (role: Role, unitIds?: string[]) =>
    (await signInAdmin(t, accountId, { role, unitIds })).client;
  const send = (client: PanelClient, userId: string, body: object) =>
    client.post(`/api/users/${userId}/enrollment-email`, body);
  const setHelpDeskMay = (allowed: boolean) =>
    owner.request({
      method: "PATCH",
      url: "/api/settings",
      body: { helpdesk_can_send_enroll_email: allowed },
    });
  /** Everything a refused or failed request must leave as it was (denials are logged apart). */
  const state = async () => ({
    phones: await t.db.selectFrom("phones").select("id").orderBy("id").execute(),
    activations: await t.db
      .selectFrom("device_activations")
      .select(["id", "token_hash"])
      .orderBy("id")
      .execute(),
    changes: await t.db
      .selectFrom("audit_log")
      .select("id")
      .where("action", "<>", "access_denied")
      .orderBy("id")
      .execute(),
  });

  beforeAll(async () => {
    mail = await startMailServer("starttls");
    mailer = new SwitchableMailer(mailerFor(mail));
    t = await buildTestApp({ mailer });
    accountId = await insertAccount(t.db, { name: "Contoso" });
    const group = await insertGroup(t.db, accountId, "Field staff");
    ids.inUnit = await insertUser(t.db, accountId, {
      username: "fatima",
      realName: "Fatima Zahra",
      groupIds: [group],
    });
    ids.outside = await insertUser(t.db, accountId, {
      username: "otto",
      realName: "Otto",
      groupIds: [],
    });
    await insertScopedUnit(t.db, accountId, { name: "Field", groupIds: [group] });
    owner = await signIn("Owner");
  });
  afterAll(async () => {
    await t?.close();
    await mail?.close();
  });

  it("the panel can ask whether this server sends email", async () => {
    const answer = await owner.get("/api/mail-delivery");
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ configured: true });
  });

  it("R-AUTH-5: an Owner sends one, to the address given, valid the days chosen; the link opens the page", async () => {
    const response = await send(owner, ids.inUnit, {
      email: "fatima.z@example.com",
      valid_days: 2,
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      user_id: ids.inUnit,
      username: "fatima",
      sent_to: "fatima.z@example.com",
    });
    expect(Math.abs(Date.parse(body.expires_at) - (Date.now() + 2 * 86_400_000))).toBeLessThan(
      60_000,
    );
    expect(JSON.stringify(body)).not.toContain("/enroll/");
    const message = await mail.next();
    expect(message.to).toEqual(["fatima.z@example.com"]);
    expect(message.text).toContain("Hello Fatima Zahra,");
    expect(message.text).toContain("Contoso asks you to set up an authenticator app.");
    const link = linkIn(message.text, "enroll");
    const page = await t.app.inject({ method: "GET", url: new URL(link).pathname });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("<strong>fatima</strong>");
  });

  it("R-ROLE-4: Help Desk is refused while the account's setting is off (the default), and the refusal is logged", async () => {
    const helpDesk = await signIn("Help Desk");
    const explained = await helpDesk.post("/api/explain", {
      action: "users:send_enrollment",
      object: { kind: "user", id: ids.inUnit },
    });
    expect(explained.json()).toMatchObject({ allow: false, rule: "R-ROLE-4" });
    const before = await state();
    const sent = mail.received.length;
    const refused = await send(helpDesk, ids.inUnit, { email: "fatima@example.com" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: "forbidden",
      rule: "R-ROLE-4",
      reason: "Contoso's settings do not let Help Desk administrators send enrollment emails.",
    });
    expect(await state()).toEqual(before);
    expect(mail.received.length).toBe(sent);
    const denial = await t.db
      .selectFrom("audit_log")
      .select(["rule", "after"])
      .where("action", "=", "access_denied")
      .orderBy("id", "desc")
      .executeTakeFirst();
    expect(denial).toMatchObject({ rule: "R-ROLE-4", after: { action: "users:send_enrollment" } });

    // R-ROLE-4: with the setting on, the same Help Desk admin may.
    expect((await setHelpDeskMay(true)).statusCode).toBe(200);
    try {
      const allowed = await send(helpDesk, ids.inUnit, { email: "fatima@example.com" });
      expect(allowed.statusCode, allowed.body).toBe(200);
      expect((await mail.next()).to).toEqual(["fatima@example.com"]);
    } finally {
      await setHelpDeskMay(false);
    }
    expect((await send(helpDesk, ids.inUnit, { email: "fatima@example.com" })).statusCode).toBe(
      403,
    );
  });

  it("R-ROLE-2: roles without it are refused; R-UNIT-8a: a restricted admin reaches only users of their units", async () => {
    for (const role of ["Read-only", "Application Manager", "Billing"] as const) {
      const response = await send(await signIn(role), ids.inUnit, { email: "x@example.com" });
      expect(response.statusCode, role).toBe(403);
    }
    const restricted = await signIn("User Manager", [
      (await t.db.selectFrom("admin_units").select("id").executeTakeFirstOrThrow()).id,
    ]);
    expect((await send(restricted, ids.outside, { email: "otto@example.com" })).statusCode).toBe(
      404,
    );
    const inScope = await send(restricted, ids.inUnit, { email: "fatima@example.com" });
    expect(inScope.statusCode, inScope.body).toBe(200);
    await mail.next();
  });

  it("refuses a bad address or validity, naming the field, changing nothing", async () => {
    const before = await state();
    for (const [body, field] of [
      [{ email: "fatima" }, "email"],
      [{ email: "fatima@example.com", valid_days: 31 }, "valid_days"],
      [{ email: "fatima@example.com", valid_days: 0 }, "valid_days"],
      [{ email: "fatima@example.com", cc: "x@example.com" }, "cc"],
    ] as const) {
      const response = await send(owner, ids.inUnit, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.field).toBe(field);
    }
    expect((await send(owner, "DU999999999999999999", { email: "a@example.com" })).statusCode).toBe(
      404,
    );
    expect(await state()).toEqual(before);
  });

  it("the mail server down: 503 saying the mail server could not deliver it; no phone or link left", async () => {
    await t.db.deleteFrom("user_phones").where("user_id", "=", ids.outside).execute();
    const before = await state();
    mailer.use(smtpMailer({ ...mail.config(), port: await closedPort() }));
    try {
      const response = await send(owner, ids.outside, { email: "otto@example.com" });
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toEqual({
        code: "unavailable",
        message:
          "The mail server could not deliver the email to otto@example.com (the mail server could not be reached). Nothing was changed; try again later.",
      });
    } finally {
      mailer.use(mailerFor(mail));
    }
    expect(await state()).toEqual(before);
  });
});

describe(`the panel where no mail server is configured, on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("says so, and Send enrollment email is refused with a sentence saying why", async () => {
    const accountId = await insertAccount(t.db, { name: "No Mail Ltd" });
    const userId = await insertUser(t.db, accountId, {
      username: "rita",
      realName: "Rita",
      groupIds: [],
    });
    const { client } = await signInAdmin(t, accountId, { role: "Owner" });
    expect((await client.get("/api/mail-delivery")).json()).toEqual({ configured: false });
    const response = await client.post(`/api/users/${userId}/enrollment-email`, {
      email: "rita@example.com",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: "invalid",
      field: "email",
      message:
        "email: email delivery is not configured on this server: its operator sets GATEHOUSE_SMTP_HOST and GATEHOUSE_SMTP_FROM",
    });
    expect(await t.db.selectFrom("device_activations").select("id").execute()).toEqual([]);
  });
});
