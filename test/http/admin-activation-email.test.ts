import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smtpMailer } from "../../src/mail/smtp.js";
import type { TestApp } from "../helpers/app.js";
import { buildTestApp } from "../helpers/app.js";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  officialClient,
} from "../helpers/duo.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { insertAccount } from "../helpers/fixtures.js";
import {
  closedPort,
  linkIn,
  mailerFor,
  SwitchableMailer,
  startHttpsServerWithMail,
  startMailServer,
  type TestMailServer,
} from "../helpers/mail.js";
import { signInAdmin } from "../helpers/panel-admins.js";
import { PanelClient } from "../helpers/panel-client.js";

const TOKEN = /\/activate\/([A-Za-z0-9_-]+)$/;

describe(`R-ADM-2: administrators' activation links emailed, panel and Duo Admin API, on ${TEST_ENGINE}`, () => {
  let mail: TestMailServer;
  let mailer: SwitchableMailer;
  let server: HttpsTestServer;
  let t: TestApp;
  let accountId: string;
  let owner: PanelClient;
  let api: Credentials;

  const db = () => server.database.handle.db;
  const call = (method: string, path: string, params: object = {}) =>
    officialClient(server, api, 2)(method, path, params);
  /** What the link lets its holder do: the activation page's first step answers for it. */
  const opens = async (link: string) => {
    const token = TOKEN.exec(link)?.[1] ?? "";
    return (await new PanelClient(server.app).post("/api/auth/activation", { token })).statusCode;
  };
  const state = async () => ({
    admins: await db().selectFrom("admins").select("id").orderBy("id").execute(),
    links: await db()
      .selectFrom("admin_activations")
      .select(["id", "token_hash"])
      .orderBy("id")
      .execute(),
    changes: await db()
      .selectFrom("audit_log")
      .select("id")
      .where("action", "<>", "access_denied")
      .orderBy("id")
      .execute(),
  });
  const whileMailServerDown = async <T>(work: () => Promise<T>): Promise<T> => {
    mailer.use(smtpMailer({ ...mail.config(), port: await closedPort() }));
    try {
      return await work();
    } finally {
      mailer.use(mailerFor(mail));
    }
  };

  beforeAll(async () => {
    mail = await startMailServer("starttls");
    mailer = new SwitchableMailer(mailerFor(mail));
    server = await startHttpsServerWithMail(mailer);
    t = { app: server.app, database: server.database, db: db(), close: server.close };
    accountId = await insertAccount(db(), { name: "Fabrikam" });
    owner = (await signInAdmin(t, accountId, { role: "Owner" })).client;
    api = await createCredentials(server, accountId, "adminapi", ["adminapi_admins"]);
  });
  afterAll(async () => {
    await server?.close();
    await mail?.close();
  });

  it("Add Administrator with Email the link: the new admin receives it, the Owner is told where it went", async () => {
    const response = await owner.post("/api/admins", {
      email: "nadia@fabrikam.example",
      name: "Nadia <Ops>",
      role: "Help Desk",
      send_email: true,
    });
    expect(response.statusCode, response.body).toBe(200);
    const { admin, activation } = response.json();
    expect(activation.emailed_to).toBe("nadia@fabrikam.example");
    const message = await mail.next();
    expect(message.to).toEqual(["nadia@fabrikam.example"]);
    expect(message.subject).toBe("Activate your administrator account for Fabrikam");
    expect(message.text).toContain("Hello Nadia <Ops>,");
    expect(message.html).toContain("Hello Nadia &lt;Ops&gt;,");
    const link = linkIn(message.text, "activate");
    expect(link).toBe(activation.url);
    expect(message.text).toContain("The link works once, until ");
    expect(await opens(link)).toBe(200);
    const [record] = await db()
      .selectFrom("audit_log")
      .select("after")
      .where("object_id", "=", admin.id)
      .where("action", "=", "admin_create")
      .execute();
    expect(record?.after).toMatchObject({ activation_emailed_to: "nadia@fabrikam.example" });
    expect(JSON.stringify(record)).not.toContain(TOKEN.exec(link)?.[1]);
  });

  it("without Email the link, nothing is sent and the link is only in the answer, as before", async () => {
    const sent = mail.received.length;
    const response = await owner.post("/api/admins", {
      email: "omar@fabrikam.example",
      name: "Omar",
      role: "Read-only",
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().activation.emailed_to).toBeUndefined();
    expect(response.json().activation.url).toMatch(TOKEN);
    expect(mail.received.length).toBe(sent);
  });

  it("a new link, emailed: the old one stops working, the new one is in the email", async () => {
    const created = await owner.post("/api/admins", {
      email: "pia@fabrikam.example",
      name: "Pia",
      role: "Billing",
    });
    const first = created.json().activation.url as string;
    const renewed = await owner.post(`/api/admins/${created.json().admin.id}/activation-link`, {
      send_email: true,
      valid_days: 3,
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(renewed.json().emailed_to).toBe("pia@fabrikam.example");
    const message = await mail.next();
    expect(message.to).toEqual(["pia@fabrikam.example"]);
    expect(await opens(first)).not.toBe(200);
    expect(await opens(linkIn(message.text, "activate"))).toBe(200);
  });

  it("the mail server down: 503, and no admin or link is left behind", async () => {
    const before = await state();
    const response = await whileMailServerDown(() =>
      owner.post("/api/admins", {
        email: "quinn@fabrikam.example",
        name: "Quinn",
        role: "Owner",
        send_email: true,
      }),
    );
    expect(response.statusCode).toBe(503);
    expect(response.json().error.message).toBe(
      "The mail server could not deliver the email to quinn@fabrikam.example (the mail server could not be reached). Nothing was changed; try again later.",
    );
    expect(await state()).toEqual(before);
  });

  it("Duo Admin API: send_email=1 on POST /admins and /admins/activations emails the link; /activation_link/email sends a new one", async () => {
    const created = await call("POST", "/admin/v1/admins", {
      email: "rosa@fabrikam.example",
      name: "Rosa",
      role: "Read-only",
      send_email: "1",
    });
    expect(created.stat, JSON.stringify(created)).toBe("OK");
    const admin = created.response as { admin_id: string; activation_url: string };
    const toRosa = await mail.next();
    expect(toRosa.to).toEqual(["rosa@fabrikam.example"]);
    expect(linkIn(toRosa.text, "activate")).toBe(admin.activation_url);

    const activation = await call("POST", "/admin/v1/admins/activations", {
      email: "sami@fabrikam.example",
      admin_role: "Help Desk",
      send_email: "True",
    });
    expect(activation.response).toMatchObject({ email_sent: true });
    const toSami = await mail.next();
    expect(linkIn(toSami.text, "activate")).toBe((activation.response as { link: string }).link);

    const resent = await call("POST", `/admin/v1/admins/${admin.admin_id}/activation_link/email`);
    expect(resent.stat, JSON.stringify(resent)).toBe("OK");
    const again = await mail.next();
    expect(again.to).toEqual(["rosa@fabrikam.example"]);
    expect(await opens(admin.activation_url)).not.toBe(200);
    expect(await opens(linkIn(again.text, "activate"))).toBe(200);

    const notAsked = await call("POST", "/admin/v1/admins/activations", {
      email: "tom@fabrikam.example",
      admin_role: "Read-only",
      send_email: "0",
    });
    expect(notAsked.stat, JSON.stringify(notAsked)).toBe("OK");
    expect(notAsked.response).toMatchObject({ email_sent: false });
  });

  it("Duo Admin API, the mail server down: 503 (50301), no admin made", async () => {
    const before = await state();
    const answer = await whileMailServerDown(() =>
      call("POST", "/admin/v1/admins", {
        email: "uma@fabrikam.example",
        name: "Uma",
        send_email: "1",
      }),
    );
    expect(answer).toMatchObject({ stat: "FAIL", code: 50301, message: "Service unavailable" });
    expect(await state()).toEqual(before);
  });
});

describe(`R-ADM-2 where no mail server is configured, on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("asking to email the link is refused, naming send_email; not asking works as before", async () => {
    const accountId = await insertAccount(t.db, { name: "No Mail Ltd" });
    const { client } = await signInAdmin(t, accountId, { role: "Owner" });
    const asked = await client.post("/api/admins", {
      email: "val@example.com",
      name: "Val",
      role: "Read-only",
      send_email: true,
    });
    expect(asked.statusCode).toBe(400);
    expect(asked.json().error).toMatchObject({ field: "send_email" });
    expect(asked.json().error.message).toContain("email delivery is not configured");
    expect(
      await t.db.selectFrom("admins").select("id").where("email", "=", "val@example.com").execute(),
    ).toEqual([]);
    const plain = await client.post("/api/admins", {
      email: "val@example.com",
      name: "Val",
      role: "Read-only",
    });
    expect(plain.statusCode).toBe(200);
  });
});
