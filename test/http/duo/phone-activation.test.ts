import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, newId } from "../../../src/db/ids.js";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  officialClient,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertPhone, startSmsGateway } from "../../helpers/factors.js";
import { insertAccount, insertUser } from "../../helpers/fixtures.js";

const LINK = /^https:\/\/127\.0\.0\.1(?::\d+)?\/enroll\/([A-Za-z0-9_-]{43})$/;

describe(`Duo Admin API phone activation (research/duo-api.md §4.3) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
  let accountId: string;
  let bareAccountId: string;
  let writer: Credentials;
  let reader: Credentials;
  let bareWriter: Credentials;
  const ids = { user: "", mobile: "", landline: "", tablet: "", noUser: "", bareMobile: "" };

  const db = () => server.database.handle.db;
  const activations = (phoneId: string) =>
    db()
      .selectFrom("device_activations")
      .select(["id", "user_id", "token_hash", "activated_at"])
      .where("phone_id", "=", phoneId)
      .execute();
  const telephony = (account: string) =>
    db()
      .selectFrom("telephony_log")
      .select(["type", "context", "phone_number", "credits", "user_id"])
      .where("account_id", "=", account)
      .orderBy("id")
      .execute();
  const records = (phoneId: string) =>
    db()
      .selectFrom("audit_log")
      .select(["action", "actor_kind", "actor_id", "after"])
      .where("object_id", "=", phoneId)
      .where("action", "<>", "access_denied")
      .orderBy("id")
      .execute();
  const tokenOf = (url: unknown) => LINK.exec(String(url))?.[1] ?? "";
  const opens = async (token: string) =>
    (await server.app.inject({ method: "GET", url: `/enroll/${token}` })).statusCode;

  beforeAll(async () => {
    [server, gateway] = await Promise.all([startHttpsServer(), startSmsGateway()]);
    accountId = await insertAccount(db(), { name: "Northwind" });
    bareAccountId = await insertAccount(db(), { name: "No Gateway Ltd" });
    await db()
      .updateTable("account_settings")
      .set({ sms_gateway_url: gateway.url })
      .where("account_id", "=", accountId)
      .execute();
    const secrets = server.database.secrets;
    ids.user = await insertUser(db(), accountId, {
      username: "ana",
      realName: "Ana",
      groupIds: [],
    });
    const phone = (number: string, type?: "Mobile" | "Landline") =>
      insertPhone(db(), secrets, { accountId, userId: ids.user, number, type });
    ids.mobile = await phone("+15551230001");
    ids.landline = await phone("+15551230002", "Landline");
    ids.tablet = await phone("");
    ids.noUser = newId("phone");
    await db()
      .insertInto("phones")
      .values({ id: ids.noUser, account_id: accountId, number: "+15551230009" })
      .execute();
    const bareUser = await insertUser(db(), bareAccountId, {
      username: "bo",
      realName: "Bo",
      groupIds: [],
    });
    ids.bareMobile = await insertPhone(db(), secrets, {
      accountId: bareAccountId,
      userId: bareUser,
      number: "+15551230003",
    });
    writer = await createCredentials(server, accountId, "adminapi", [
      "adminapi_read_resource",
      "adminapi_write_resource",
    ]);
    reader = await createCredentials(server, accountId, "adminapi", ["adminapi_read_resource"]);
    bareWriter = await createCredentials(server, bareAccountId, "adminapi", [
      "adminapi_read_resource",
      "adminapi_write_resource",
    ]);
  });
  afterAll(async () => {
    await gateway?.close();
    await server?.close();
  });

  for (const version of [2, 5] as const) {
    it(`v${version}: activation_url answers Duo's fields; the link works once; install adds installation_url`, async () => {
      const call = officialClient(server, writer, version);
      const answer = await call("POST", `/admin/v1/phones/${ids.mobile}/activation_url`);
      expect(answer.stat, JSON.stringify(answer)).toBe("OK");
      const response = answer.response as Record<string, unknown>;
      expect(Object.keys(response).sort()).toEqual([
        "activation_barcode",
        "activation_url",
        "valid_secs",
      ]);
      const token = tokenOf(response.activation_url);
      expect(token).not.toBe("");
      expect(response.activation_barcode).toBe(`${response.activation_url}/qr.png`);
      expect(response.valid_secs).toBe(86_400);
      expect(await opens(token)).toBe(200);
      const [row] = (await activations(ids.mobile)).filter((r) => r.activated_at === null);
      expect(row).toMatchObject({ user_id: ids.user, token_hash: hashToken(token) });

      const install = await call("POST", `/admin/v1/phones/${ids.mobile}/activation_url`, {
        install: version === 2 ? "1" : 1,
        valid_secs: version === 2 ? "3600" : 3600,
      });
      expect(install.response).toMatchObject({ valid_secs: 3600 });
      const again = install.response as Record<string, unknown>;
      expect(again.installation_url).toBe(again.activation_url);
      // One live link per phone: the first one ended.
      expect(await opens(token)).toBe(404);
      const log = await records(ids.mobile);
      expect(log.at(-1)).toMatchObject({
        action: "phone_activation_create",
        actor_kind: "application",
        actor_id: writer.ikey,
        after: { user_id: ids.user, username: "ana", delivery: "link" },
      });
      expect(JSON.stringify(log)).not.toContain(token);
    });
  }

  it("send_sms_activation texts the link to the phone's number; in the telephony log (context activation) with its credits", async () => {
    const before = gateway.messages.length;
    const answer = await officialClient(
      server,
      writer,
      2,
    )("POST", `/admin/v1/phones/${ids.mobile}/send_sms_activation`);
    expect(answer.stat, JSON.stringify(answer)).toBe("OK");
    const response = answer.response as Record<string, string | number>;
    expect(Object.keys(response).sort()).toEqual([
      "activation_barcode",
      "activation_msg",
      "installation_msg",
      "valid_secs",
    ]);
    const url = String(response.activation_barcode).replace(/\/qr\.png$/, "");
    const token = tokenOf(url);
    expect(token).not.toBe("");
    expect(response.activation_msg).toContain(url);
    expect(response.activation_msg).toContain("Northwind");
    expect(response.installation_msg).toBe("");
    const sent = JSON.parse(gateway.messages[before]?.body ?? "{}");
    expect(sent).toEqual({ to: "+15551230001", message: response.activation_msg });
    expect(gateway.messages).toHaveLength(before + 1);
    expect(await opens(token)).toBe(200);
    expect(await telephony(accountId)).toEqual([
      {
        type: "sms",
        context: "activation",
        phone_number: "+15551230001",
        credits: 1,
        user_id: ids.user,
      },
    ]);
    const log = await records(ids.mobile);
    expect(log.at(-1)).toMatchObject({
      action: "phone_activation_create",
      after: { delivery: "sms", to: "+15551230001", sent: true },
    });
    expect(JSON.stringify(log)).not.toContain(token);
  });

  it("a custom activation_msg puts the link where <acturl> is; a message without its mark is refused by name", async () => {
    const call = officialClient(server, writer, 5);
    const before = gateway.messages.length;
    const custom = await call("POST", `/admin/v1/phones/${ids.mobile}/send_sms_activation`, {
      activation_msg: 'Hello "Ana": tap <acturl> now',
      install: 1,
      installation_msg: "Get an app: <insturl>",
    });
    expect(custom.stat, JSON.stringify(custom)).toBe("OK");
    const text = JSON.parse(gateway.messages[before]?.body ?? "{}").message as string;
    expect(text).toMatch(
      /^Hello "Ana": tap https:\/\/127\.0\.0\.1(?::\d+)?\/enroll\/[A-Za-z0-9_-]{43} now$/,
    );
    const count = gateway.messages.length;
    const rows = await activations(ids.mobile);
    for (const [params, field] of [
      [{ activation_msg: "no link here" }, "activation_msg"],
      [{ installation_msg: "no link here either" }, "installation_msg"],
      [{ activation_msg: `${"x".repeat(1000)}<acturl>` }, "activation_msg"],
      [{ valid_secs: "0" }, "valid_secs"],
      [{ valid_secs: "soon" }, "valid_secs"],
      [{ install: "perhaps" }, "install"],
    ] as const) {
      const refused = await call(
        "POST",
        `/admin/v1/phones/${ids.mobile}/send_sms_activation`,
        params,
      );
      expect(refused, JSON.stringify(params)).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(refused.message_detail).toContain(field);
    }
    expect(gateway.messages).toHaveLength(count);
    expect(await activations(ids.mobile)).toEqual(rows);
  });

  it("refuses clearly, changing nothing, when the phone has no mobile number or the account no gateway", async () => {
    const messages = gateway.messages.length;
    const calls: [Credentials, string, string][] = [
      [writer, ids.landline, "has no mobile number"],
      [writer, ids.tablet, "has no mobile number"],
      [writer, ids.noUser, "belongs to no user"],
      [bareWriter, ids.bareMobile, "sms_gateway: is not set for this account"],
    ];
    for (const [credentials, phoneId, why] of calls) {
      const refused = await officialClient(
        server,
        credentials,
        2,
      )("POST", `/admin/v1/phones/${phoneId}/send_sms_activation`);
      expect(refused, phoneId).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(refused.message_detail).toContain(why);
      expect(await activations(phoneId)).toEqual([]);
      expect(await records(phoneId)).toEqual([]);
    }
    expect(gateway.messages).toHaveLength(messages);
    expect(await telephony(bareAccountId)).toEqual([]);
  });

  it("a message the gateway does not take leaves no live link, no credits, and a record that says so", async () => {
    const before = (await activations(ids.landline)).length;
    const credits = (await telephony(accountId)).length;
    const phoneId = await insertPhone(db(), server.database.secrets, {
      accountId,
      userId: ids.user,
      number: "+15551230004",
    });
    gateway.setStatus(500);
    try {
      const refused = await officialClient(
        server,
        writer,
        2,
      )("POST", `/admin/v1/phones/${phoneId}/send_sms_activation`);
      expect(refused).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(refused.message_detail).toContain("did not take the message");
      expect(refused.message_detail).toContain("HTTP 500");
    } finally {
      gateway.setStatus(200);
    }
    expect(await activations(phoneId)).toEqual([]);
    expect(await telephony(accountId)).toHaveLength(credits);
    expect((await records(phoneId)).at(-1)).toMatchObject({
      action: "phone_activation_create",
      after: { delivery: "sms", sent: false, why: "the gateway answered HTTP 500" },
    });
    expect(await activations(ids.landline)).toHaveLength(before);
  });

  it('R-ROLE-2: without "Grant write resource" neither is allowed; an unknown phone is 404', async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, reader, version);
      for (const path of ["activation_url", "send_sms_activation"]) {
        const refused = await call("POST", `/admin/v1/phones/${ids.mobile}/${path}`);
        expect(refused).toMatchObject({ stat: "FAIL", code: 40301 });
        expect(refused.message_detail).toContain("adminapi_write_resource");
      }
    }
    const call = officialClient(server, writer, 2);
    for (const path of ["activation_url", "send_sms_activation"]) {
      expect(await call("POST", `/admin/v1/phones/DP${"9".repeat(18)}/${path}`)).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });
      // Another account's phone is not found either (R-TEN-2).
      expect(await call("POST", `/admin/v1/phones/${ids.bareMobile}/${path}`)).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });
    }
    expect(await activations(ids.bareMobile)).toEqual([]);
  });
});
