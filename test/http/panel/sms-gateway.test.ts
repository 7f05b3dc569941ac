import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { startSmsGateway } from "../../helpers/factors.js";
import { insertAccount, insertGroup } from "../../helpers/fixtures.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import type { PanelClient } from "../../helpers/panel-client.js";

const SECRET = "sk_live_Zq8-NOT-FOR-LOGS-71";
const JSON_BODY = '{"to":"{{to}}","message":"{{message}}"}';

describe(`the account's SMS gateway over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
  let accountId: string;
  let owner: PanelClient;

  const signIn = (role: Role, unitIds?: string[]) => signInAdmin(t, accountId, { role, unitIds });
  const put = (client: PanelClient, body: object) =>
    client.request({ method: "PUT", url: "/api/settings/sms-gateway", body });
  const remove = (client: PanelClient) =>
    client.request({ method: "DELETE", url: "/api/settings/sms-gateway" });
  const test = (client: PanelClient, to: string) =>
    client.post("/api/settings/sms-gateway/test", { to });
  const row = () =>
    t.db
      .selectFrom("account_settings")
      .select([
        "sms_gateway_url",
        "sms_gateway_method",
        "sms_gateway_content_type",
        "sms_gateway_body",
        "sms_gateway_secret_header",
        "sms_gateway_secret_enc",
      ])
      .where("account_id", "=", accountId)
      .executeTakeFirstOrThrow();
  const records = () =>
    t.db
      .selectFrom("audit_log")
      .select(["action", "actor_kind", "before", "after"])
      .where("account_id", "=", accountId)
      .where("action", "like", "sms_gateway_%")
      .orderBy("id")
      .execute();
  const telephony = () =>
    t.db
      .selectFrom("telephony_log")
      .select(["type", "context", "phone_number", "credits", "user_id"])
      .where("account_id", "=", accountId)
      .orderBy("id")
      .execute();
  const jsonGateway = (extra: object = {}) => ({
    url: gateway.url,
    method: "POST",
    content_type: "application/json",
    body: JSON_BODY,
    ...extra,
  });

  beforeAll(async () => {
    [t, gateway] = await Promise.all([buildTestApp(), startSmsGateway()]);
    accountId = await insertAccount(t.db, { name: "Northwind", edition: "Premier" });
    owner = (await signIn("Owner")).client;
  });
  afterAll(async () => {
    await gateway?.close();
    await t?.close();
  });

  it("R-ROLE-2: an Owner reads an account with no gateway", async () => {
    const read = await owner.get("/api/settings/sms-gateway");
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({
      configured: false,
      url: null,
      method: "POST",
      content_type: "application/json",
      body: JSON_BODY,
      secret_header: null,
      secret_value: null,
    });
  });

  it("a test message with no gateway is refused (409) and sends nothing", async () => {
    const refused = await test(owner, "+15551230000");
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain("no SMS gateway");
    expect(gateway.messages).toHaveLength(0);
    expect(await telephony()).toEqual([]);
  });

  it("R-AUD-1: an Owner sets a gateway with a secret header: sealed at rest, shown as set, never returned or recorded", async () => {
    const saved = await put(
      owner,
      jsonGateway({ secret_header: "X-Api-Key", secret_value: SECRET }),
    );
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({
      configured: true,
      url: gateway.url,
      method: "POST",
      content_type: "application/json",
      body: JSON_BODY,
      secret_header: "X-Api-Key",
      secret_value: "set",
    });
    expect(saved.body).not.toContain(SECRET);
    const read = await owner.get("/api/settings/sms-gateway");
    expect(read.json()).toEqual(saved.json());
    expect(read.body).not.toContain(SECRET);
    const stored = await row();
    expect(stored.sms_gateway_secret_enc).not.toContain(SECRET);
    expect(t.database.secrets.open(stored.sms_gateway_secret_enc ?? "", accountId)).toBe(SECRET);
    const [record] = await records();
    expect(record).toMatchObject({
      action: "sms_gateway_update",
      actor_kind: "admin",
      before: { configured: false, url: null, secret_header: null, secret_value: null },
      after: {
        configured: true,
        url: gateway.url,
        secret_header: "X-Api-Key",
        secret_value: "replaced",
      },
    });
    expect(JSON.stringify(await records())).not.toContain(SECRET);
  });

  it("sends a test message through the gateway with the secret header; logged with its credits, context test", async () => {
    const before = gateway.messages.length;
    const sent = await test(owner, "+1 (555) 123-0001");
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toEqual({ sent: true });
    const message = gateway.messages[before];
    expect(message?.method).toBe("POST");
    expect(message?.headers["x-api-key"]).toBe(SECRET);
    expect(message?.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(message?.body ?? "{}");
    expect(body.to).toBe("+15551230001");
    expect(body.message).toContain("Northwind");
    expect(await telephony()).toEqual([
      { type: "sms", context: "test", phone_number: "+15551230001", credits: 1, user_id: null },
    ]);
    expect((await records()).at(-1)).toMatchObject({
      action: "sms_gateway_test",
      after: { to: "+15551230001", sent: true },
    });
  });

  it("a gateway that refuses is an answer (sent: false, with its status), not an error; no credits are counted", async () => {
    gateway.setStatus(503);
    try {
      const refused = await test(owner, "+15551230002");
      expect(refused.statusCode, refused.body).toBe(200);
      expect(refused.json()).toEqual({ sent: false, why: "the gateway answered HTTP 503" });
    } finally {
      gateway.setStatus(200);
    }
    expect(await telephony()).toHaveLength(1);
    expect((await records()).at(-1)).toMatchObject({
      action: "sms_gateway_test",
      after: { to: "+15551230002", sent: false, why: "the gateway answered HTTP 503" },
    });
  });

  it("the secret stays when not given, follows a renamed header, and goes with the header", async () => {
    const kept = await put(
      owner,
      jsonGateway({ body: '{"number":"{{to}}","text":"{{message}}"}' }),
    );
    expect(kept.json()).toMatchObject({ secret_header: "X-Api-Key", secret_value: "set" });
    const renamed = await put(owner, jsonGateway({ secret_header: "Authorization" }));
    expect(renamed.json()).toMatchObject({ secret_header: "Authorization", secret_value: "set" });
    expect((await records()).at(-1)).toMatchObject({
      before: { body: '{"number":"{{to}}","text":"{{message}}"}', secret_header: "X-Api-Key" },
      after: { body: JSON_BODY, secret_header: "Authorization" },
    });
    const before = gateway.messages.length;
    await test(owner, "+15551230003");
    expect(gateway.messages[before]?.headers.authorization).toBe(SECRET);
    const none = await put(owner, jsonGateway({ secret_header: null }));
    expect(none.json()).toMatchObject({ secret_header: null, secret_value: null });
    expect((await row()).sms_gateway_secret_enc).toBeNull();
  });

  it("a form body and a GET address carry the number and the text, each escaped for where it goes", async () => {
    const form = await put(owner, {
      url: gateway.url,
      method: "PUT",
      content_type: "application/x-www-form-urlencoded",
      body: "to={{to}}&text={{message}}&from=Gatehouse",
    });
    expect(form.statusCode, form.body).toBe(200);
    let before = gateway.messages.length;
    await test(owner, "+15551230004");
    const put_ = gateway.messages[before];
    expect(put_?.method).toBe("PUT");
    const fields = new URLSearchParams(put_?.body);
    expect(fields.get("to")).toBe("+15551230004");
    expect(fields.get("text")).toContain("Northwind");
    expect(fields.get("from")).toBe("Gatehouse");

    const get = await put(owner, {
      url: `${gateway.url}?to={{to}}&text={{message}}`,
      method: "GET",
      content_type: "application/json",
      body: "",
    });
    expect(get.statusCode, get.body).toBe(200);
    before = gateway.messages.length;
    await test(owner, "+15551230005");
    const query = new URL(gateway.messages[before]?.url ?? "", "http://x").searchParams;
    expect(gateway.messages[before]?.method).toBe("GET");
    expect(query.get("to")).toBe("+15551230005");
    expect(query.get("text")).toContain("Northwind");
  });

  it("bad input is refused naming its field, and changes nothing", async () => {
    await put(owner, jsonGateway({ secret_header: "X-Api-Key", secret_value: SECRET }));
    const stored = await row();
    const count = (await records()).length;
    const cases: [object, string][] = [
      [jsonGateway({ url: "" }), "url"],
      [jsonGateway({ url: "ftp://sms.example.com/send" }), "url"],
      [jsonGateway({ url: "HTTPS://sms.example.com/send" }), "url"],
      [jsonGateway({ url: "https://sms.example.com/se nd" }), "url"],
      [jsonGateway({ url: "https://user:pw@sms.example.com/send" }), "url"],
      [jsonGateway({ url: "https://{{to}}.sms.example.com/send" }), "url"],
      [jsonGateway({ url: "https://sms.example.com/{{number}}" }), "url"],
      [jsonGateway({ url: "https://" }), "url"],
      [jsonGateway({ url: `https://x.example/${"a".repeat(2000)}` }), "url"],
      [jsonGateway({ method: "PATCH" }), "method"],
      [jsonGateway({ content_type: "text/xml" }), "content_type"],
      [jsonGateway({ body: '{"to":{{to}},"message":"{{message}}"}' }), "body"],
      [jsonGateway({ body: '{"to":"{{to}}"}' }), "body"],
      [jsonGateway({ body: '{"to":"{{to}}","message":"{{text}}"}' }), "body"],
      [jsonGateway({ method: "GET", url: `${gateway.url}?to={{to}}` }), "url"],
      [jsonGateway({ secret_header: "Content-Type", secret_value: "x" }), "secret_header"],
      [jsonGateway({ secret_header: "X Api Key", secret_value: "x" }), "secret_header"],
      [jsonGateway({ secret_value: "line\nbreak" }), "secret_value"],
      [jsonGateway({ secret_value: " padded" }), "secret_value"],
      [jsonGateway({ secret_value: "" }), "secret_value"],
      [jsonGateway({ secret_header: null, secret_value: "orphan" }), "secret_header"],
      [jsonGateway({ unknown: 1 }), "unknown"],
      [{ url: gateway.url }, "method"],
      [jsonGateway({ url: 42 }), "url"],
    ];
    for (const [body, field] of cases) {
      const refused = await put(owner, body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(refused.json().error, JSON.stringify(body)).toMatchObject({ code: "invalid", field });
    }
    // A header named without a value, where none is stored: the value is asked for by name.
    await put(owner, jsonGateway({ secret_header: null }));
    const noValue = await put(owner, jsonGateway({ secret_header: "X-Api-Key" }));
    expect(noValue.json().error).toMatchObject({ field: "secret_value" });
    await put(owner, jsonGateway({ secret_header: "X-Api-Key", secret_value: SECRET }));
    expect((await row()).sms_gateway_url).toBe(stored.sms_gateway_url);
    expect(await records()).toHaveLength(count + 2);
    for (const to of ["", "555-0100 ext", "+1".padEnd(40, "5")]) {
      const refused = await test(owner, to);
      expect(refused.statusCode, to).toBe(400);
      expect(refused.json().error.field).toBe("to");
    }
  });

  it("R-ROLE-2: only who may modify settings reads, sets, tests or removes it; R-UNIT-4: never a restricted admin", async () => {
    const before = { row: await row(), records: (await records()).length };
    const messages = gateway.messages.length;
    const groupId = await insertGroup(t.db, accountId, "Engineering");
    const unitId = await insertScopedUnit(t.db, accountId, { name: "Eng", groupIds: [groupId] });
    const refusedAs: [string, PanelClient, string][] = [];
    for (const role of [
      "Application Manager",
      "User Manager",
      "Help Desk",
      "Billing",
      "Read-only",
    ] as const)
      refusedAs.push([role, (await signIn(role)).client, "R-ROLE-2"]);
    refusedAs.push([
      "restricted Administrator",
      (await signIn("Administrator", [unitId])).client,
      "R-UNIT-4",
    ]);
    for (const [who, client, rule] of refusedAs) {
      for (const response of [
        await client.get("/api/settings/sms-gateway"),
        await put(client, jsonGateway({ url: "https://evil.example/send" })),
        await remove(client),
        await test(client, "+15551230009"),
      ]) {
        expect(response.statusCode, who).toBe(403);
        expect(response.json().error.rule, who).toBe(rule);
        expect(response.body).not.toContain(gateway.url);
      }
    }
    expect(await row()).toEqual(before.row);
    expect(await records()).toHaveLength(before.records);
    expect(gateway.messages).toHaveLength(messages);

    const administrator = (await signIn("Administrator")).client;
    expect((await administrator.get("/api/settings/sms-gateway")).json()).toMatchObject({
      configured: true,
      secret_value: "set",
    });
  });

  it("R-AUD-1: removing the gateway forgets its secret; SMS stops; the record holds no secret", async () => {
    const removed = await remove(owner);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toEqual({
      configured: false,
      url: null,
      method: "POST",
      content_type: "application/json",
      body: JSON_BODY,
      secret_header: null,
      secret_value: null,
    });
    expect(await row()).toMatchObject({ sms_gateway_url: null, sms_gateway_secret_enc: null });
    const record = (await records()).at(-1);
    expect(record).toMatchObject({
      action: "sms_gateway_delete",
      before: { configured: true, secret_header: "X-Api-Key", secret_value: "set" },
    });
    expect(JSON.stringify(await records())).not.toContain(SECRET);
    expect((await test(owner, "+15551230000")).statusCode).toBe(409);
    // Removing again is harmless, and recorded like any change asked for.
    expect((await remove(owner)).statusCode).toBe(200);
  });
});
