import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, newSecretKey } from "../../../src/db/ids.js";
import { smtpMailer } from "../../../src/mail/smtp.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  officialClient,
  signedRequest,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertApplication, insertUser } from "../../helpers/fixtures.js";
import {
  closedPort,
  linkIn,
  mailerFor,
  SwitchableMailer,
  startHttpsServerWithMail,
  startMailServer,
  type TestMailServer,
} from "../../helpers/mail.js";

const THIRTY_DAYS = 30 * 86_400;
const TOKEN = /\/enroll\/([A-Za-z0-9_-]{43})$/;

describe(`Duo Admin API POST /admin/v1/users/enroll (research/duo-api.md §4.1) on ${TEST_ENGINE}`, () => {
  let mail: TestMailServer;
  let mailer: SwitchableMailer;
  let server: HttpsTestServer;
  let accountId: string;
  let writer: Credentials;
  let reader: Credentials;
  let existingId: string;

  const db = () => server.database.handle.db;
  const enroll = (params: Record<string, string>, credentials = writer) =>
    officialClient(server, credentials, 2)("POST", "/admin/v1/users/enroll", params);
  const userNamed = (username: string) =>
    db()
      .selectFrom("users")
      .select(["id", "username", "email", "status"])
      .where("account_id", "=", accountId)
      .where("username", "=", username)
      .executeTakeFirst();
  const phonesOf = (userId: string) =>
    db()
      .selectFrom("phones as p")
      .innerJoin("user_phones as up", "up.phone_id", "p.id")
      .select(["p.id", "p.name", "p.number", "p.activated"])
      .where("up.user_id", "=", userId)
      .execute();
  const liveActivations = (userId: string) =>
    db()
      .selectFrom("device_activations")
      .select(["id", "phone_id", "token_hash", "expires_at"])
      .where("user_id", "=", userId)
      .where("activated_at", "is", null)
      .execute();
  /** Everything a failed request must leave as it was. */
  const snapshot = async () => ({
    users: await db().selectFrom("users").select(["id", "email"]).orderBy("id").execute(),
    phones: await db().selectFrom("phones").select("id").orderBy("id").execute(),
    activations: await db()
      .selectFrom("device_activations")
      .select(["id", "token_hash"])
      .orderBy("id")
      .execute(),
    audit: await db()
      .selectFrom("audit_log")
      .select("id")
      .where("action", "<>", "access_denied")
      .orderBy("id")
      .execute(),
  });
  const opens = async (link: string) =>
    (await server.app.inject({ method: "GET", url: new URL(link).pathname })).statusCode;

  beforeAll(async () => {
    mail = await startMailServer("starttls");
    mailer = new SwitchableMailer(mailerFor(mail));
    server = await startHttpsServerWithMail(mailer);
    accountId = await insertAccount(db(), { name: "Northwind & Co" });
    writer = await createCredentials(server, accountId, "adminapi", [
      "adminapi_read_resource",
      "adminapi_write_resource",
    ]);
    reader = await createCredentials(server, accountId, "adminapi", ["adminapi_read_resource"]);
    existingId = await insertUser(db(), accountId, {
      username: "Ana.Lima",
      realName: "Ana Lima",
      groupIds: [],
    });
  });
  afterAll(async () => {
    await server?.close();
    await mail?.close();
  });

  it("R-AUTH-5: a new username: the user is created Active with the email, and the email's link opens the activation page", async () => {
    const started = Date.now();
    const answer = await enroll({ username: "rita", email: "rita@example.com" });
    expect(answer).toEqual({ stat: "OK", response: "" });

    const user = await userNamed("rita");
    expect(user).toMatchObject({ email: "rita@example.com", status: "active" });
    const phones = await phonesOf(user?.id ?? "");
    expect(phones).toEqual([
      expect.objectContaining({ name: "Authenticator app", number: "", activated: false }),
    ]);

    const message = await mail.next();
    expect(message.to).toEqual(["rita@example.com"]);
    expect(message.subject).toBe("Set up your authenticator app for Northwind & Co");
    expect(message.text).toContain("Hello rita,");
    expect(message.text).toContain("When you sign in as rita, you will type a code from it.");
    const link = linkIn(message.text, "enroll");
    expect(link).toMatch(/^https:\/\/127\.0\.0\.1(:\d+)?\/enroll\//);
    expect(message.html).toContain(`href="${link}"`);
    expect(message.html).toContain("Northwind &amp; Co asks you");

    // Stored hashed, valid 30 days unless asked otherwise; the link opens the page once.
    const token = TOKEN.exec(link)?.[1] ?? "";
    const [activation] = await liveActivations(user?.id ?? "");
    expect(activation?.token_hash).toBe(hashToken(token));
    expect(activation?.phone_id).toBe(phones[0]?.id);
    const expires = activation?.expires_at.getTime() ?? 0;
    expect(expires).toBeGreaterThanOrEqual(started + THIRTY_DAYS * 1000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + THIRTY_DAYS * 1000);
    expect(message.text).toContain("The link works once, until ");
    const page = await server.app.inject({ method: "GET", url: new URL(link).pathname });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("<strong>rita</strong>");

    // R-AUD-1: the user's creation and the email, by the application; the address, never the link.
    const records = await db()
      .selectFrom("audit_log")
      .select(["action", "actor_kind", "actor_id", "after"])
      .where("object_id", "=", user?.id ?? "")
      .orderBy("id")
      .execute();
    expect(records.map((record) => record.action)).toEqual([
      "user_create",
      "user_enrollment_email",
    ]);
    expect(records[1]).toMatchObject({
      actor_kind: "application",
      actor_id: writer.ikey,
      after: { sent_to: "rita@example.com", phone_id: phones[0]?.id, new_phone: true },
    });
    expect(JSON.stringify(records)).not.toContain(token);
  });

  it("an existing username (any case) is used as it is; a second email replaces the first one's link, on the same phone", async () => {
    const users = await db().selectFrom("users").select("id").execute();
    expect(
      await enroll({ username: "ana.lima", email: "ana.personal@example.org", valid_secs: "3600" }),
    ).toEqual({ stat: "OK", response: "" });
    const first = await mail.next();
    expect(first.to).toEqual(["ana.personal@example.org"]);
    expect(first.text).toContain("Hello Ana Lima,");
    expect(first.text).toContain("sign in as Ana.Lima,");
    expect(await db().selectFrom("users").select("id").execute()).toHaveLength(users.length);
    // The address given is where the email went; the user's own is not changed.
    expect((await userNamed("Ana.Lima"))?.email).toBe("Ana.Lima@example.com");
    const [activation] = await liveActivations(existingId);
    const inAnHour = Date.now() + 3600 * 1000;
    expect(Math.abs((activation?.expires_at.getTime() ?? 0) - inAnHour)).toBeLessThan(60_000);

    await enroll({ username: "Ana.Lima", email: "ana.personal@example.org" });
    const second = await mail.next();
    const firstLink = linkIn(first.text, "enroll");
    const secondLink = linkIn(second.text, "enroll");
    expect(secondLink).not.toBe(firstLink);
    expect(await opens(firstLink)).toBe(404);
    expect(await opens(secondLink)).toBe(200);
    expect(await phonesOf(existingId)).toHaveLength(1);
    expect(await liveActivations(existingId)).toHaveLength(1);
  });

  it("refuses what Duo refuses, naming the parameter, changing nothing", async () => {
    const before = await snapshot();
    const cases: [Record<string, string>, string][] = [
      [{ email: "x@example.com" }, "username"],
      [{ username: "sam" }, "email"],
      [{ username: "sam", email: "not an address" }, "email"],
      [{ username: "sam", email: "sam@example.com", valid_secs: "0" }, "valid_secs"],
      [
        { username: "sam", email: "sam@example.com", valid_secs: String(THIRTY_DAYS + 1) },
        "valid_secs",
      ],
      [{ username: "  ", email: "sam@example.com" }, "username"],
    ];
    for (const [params, field] of cases) {
      const answer = await enroll(params);
      expect(answer, JSON.stringify(params)).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(answer.message_detail).toContain(field);
    }
    expect(await snapshot()).toEqual(before);
    expect(mail.received.length).toBe(3);
  });

  it("an integration without Grant write resource is refused (403), changing nothing", async () => {
    const before = await snapshot();
    const answer = await enroll({ username: "sam", email: "sam@example.com" }, reader);
    expect(answer).toMatchObject({ stat: "FAIL", code: 40301 });
    expect(await snapshot()).toEqual(before);
  });

  it("the mail server down: 503 saying the mail server could not deliver it, and nothing changed (no user, phone or link)", async () => {
    const before = await snapshot();
    mailer.use(smtpMailer({ ...mail.config(), port: await closedPort() }));
    try {
      for (const username of ["newcomer", "Ana.Lima"]) {
        const answer = await enroll({ username, email: `${username}@example.com` });
        expect(answer).toMatchObject({ stat: "FAIL", code: 50301, message: "Service unavailable" });
        expect(answer.message_detail).toBe(
          `The mail server could not deliver the email to ${username}@example.com (the mail server could not be reached). Nothing was changed; try again later.`,
        );
      }
    } finally {
      mailer.use(mailerFor(mail));
    }
    expect(await snapshot()).toEqual(before);
    expect(await userNamed("newcomer")).toBeUndefined();
  });

  it("the mail server refusing the message: 503 with its reply, and nothing changed", async () => {
    const before = await snapshot();
    mail.refuseWith({ code: 550, text: "Mailbox unavailable" });
    try {
      const answer = await enroll({ username: "newcomer", email: "newcomer@example.com" });
      expect(answer).toMatchObject({ stat: "FAIL", code: 50301 });
      expect(answer.message_detail).toContain(
        "the mail server refused the message: 550 Mailbox unavailable",
      );
    } finally {
      mail.refuseWith(undefined);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe(`POST /admin/v1/users/enroll where no mail server is configured, on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let credentials: Credentials;
  beforeAll(async () => {
    t = await buildTestApp();
    const accountId = await insertAccount(t.db, { name: "No Mail Ltd" });
    const skey = newSecretKey();
    const ikey = await insertApplication(t.db, t.database.secrets, {
      accountId,
      type: "adminapi",
      secretKey: skey,
      grants: ["adminapi_read_resource", "adminapi_write_resource"],
    });
    credentials = { ikey, skey };
  });
  afterAll(() => t.close());

  it("400 naming that email delivery is not configured; no user made", async () => {
    const response = await t.app.inject(
      signedRequest({
        ...credentials,
        method: "POST",
        url: "/admin/v1/users/enroll",
        body: "email=rita%40example.com&username=rita",
        contentType: "application/x-www-form-urlencoded",
      }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      stat: "FAIL",
      code: 40002,
      message_detail:
        "email: email delivery is not configured on this server: its operator sets GATEHOUSE_SMTP_HOST and GATEHOUSE_SMTP_FROM",
    });
    expect(await t.db.selectFrom("users").select("id").execute()).toEqual([]);
  });
});
