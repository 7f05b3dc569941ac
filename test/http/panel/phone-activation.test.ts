import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { hashToken, newId } from "../../../src/db/ids.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { appCode, insertPhone } from "../../helpers/factors.js";
import { insertAccount, insertGroup, insertUser } from "../../helpers/fixtures.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import type { PanelClient } from "../../helpers/panel-client.js";

const LINK = /^http:\/\/localhost:80\/enroll\/([A-Za-z0-9_-]{43})$/;

describe(`"Set up authenticator app" over the panel API (POST /api/phones/:id/activation) on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let accountId: string;
  const ids = { anna: "", aaron: "", annaPhone: "", sharedPhone: "", aaronPhone: "", spare: "" };
  let helpDesk: PanelClient;
  let restricted: PanelClient;

  const signIn = async (role: Role, unitIds?: string[]) =>
    (await signInAdmin(t, accountId, { role, unitIds })).client;
  const activate = (client: PanelClient, phoneId: string, body: object = {}) =>
    client.post(`/api/phones/${phoneId}/activation`, body);
  const pending = (phoneId: string) =>
    t.db
      .selectFrom("device_activations")
      .select(["id", "user_id", "token_hash", "expires_at", "activated_at"])
      .where("phone_id", "=", phoneId)
      .execute();
  const records = (phoneId: string) =>
    t.db
      .selectFrom("audit_log")
      .select(["action", "actor_kind", "after"])
      .where("object_id", "=", phoneId)
      .where("action", "<>", "access_denied")
      .orderBy("id")
      .execute();
  const tokenOf = (url: string) => LINK.exec(url)?.[1] ?? "";

  beforeAll(async () => {
    t = await buildTestApp();
    accountId = await insertAccount(t.db, { name: "Northwind", edition: "Premier" });
    const eu = await insertGroup(t.db, accountId, "EU");
    const us = await insertGroup(t.db, accountId, "US");
    ids.anna = await insertUser(t.db, accountId, {
      username: "anna.eu",
      realName: "Anna",
      groupIds: [eu],
    });
    ids.aaron = await insertUser(t.db, accountId, {
      username: "aaron.us",
      realName: "Aaron",
      groupIds: [us],
    });
    const secrets = t.database.secrets;
    ids.annaPhone = await insertPhone(t.db, secrets, {
      accountId,
      userId: ids.anna,
      number: "+15550000001",
    });
    ids.aaronPhone = await insertPhone(t.db, secrets, {
      accountId,
      userId: ids.aaron,
      number: "+15550000002",
    });
    // A phone two people share: aaron.us sorts first, but is outside the Europe unit.
    ids.sharedPhone = await insertPhone(t.db, secrets, {
      accountId,
      userId: ids.aaron,
      number: "+15550000003",
    });
    await t.db
      .insertInto("user_phones")
      .values({ user_id: ids.anna, phone_id: ids.sharedPhone, account_id: accountId })
      .execute();
    ids.spare = newId("phone");
    await t.db
      .insertInto("phones")
      .values({ id: ids.spare, account_id: accountId, name: "Drawer" })
      .execute();
    const europe = await insertScopedUnit(t.db, accountId, { name: "Europe", groupIds: [eu] });
    helpDesk = await signIn("Help Desk");
    restricted = await signIn("Help Desk", [europe]);
  });
  afterAll(() => t.close());

  it("R-ROLE-3, R-AUTH-5: Help Desk makes a single-use link; stored hashed, recorded without it; the person sets the app up and the phone shows it", async () => {
    const made = await activate(helpDesk, ids.annaPhone);
    expect(made.statusCode, made.body).toBe(200);
    const link = made.json();
    expect(link).toMatchObject({ user_id: ids.anna, username: "anna.eu" });
    const token = tokenOf(link.activation_url);
    expect(token).not.toBe("");
    expect(link.activation_barcode).toBe(`${link.activation_url}/qr.png`);
    const expires = Date.parse(link.expires_at);
    expect(expires).toBeGreaterThan(Date.now() + 86_400_000 - 60_000);
    expect(expires).toBeLessThan(Date.now() + 86_400_000 + 60_000);
    const [row] = await pending(ids.annaPhone);
    expect(row).toMatchObject({ user_id: ids.anna, token_hash: hashToken(token) });
    const log = await records(ids.annaPhone);
    expect(log).toMatchObject([
      {
        action: "phone_activation_create",
        actor_kind: "admin",
        after: { user_id: ids.anna, username: "anna.eu", delivery: "link" },
      },
    ]);
    expect(JSON.stringify(log)).not.toContain(token);

    // The link's page and its QR code, then a first code from the app finishes it.
    const page = await t.app.inject({ method: "GET", url: `/enroll/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("anna.eu");
    const qr = await t.app.inject({ method: "GET", url: `/enroll/${token}/qr.png` });
    expect(qr.headers["content-type"]).toBe("image/png");
    const key = /<code>([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1]?.replaceAll(" ", "") ?? "";
    const done = await t.app.inject({
      method: "POST",
      url: `/enroll/${token}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: `code=${appCode(key)}`,
    });
    expect(done.statusCode, done.body).toBe(200);
    const phones = await helpDesk.get(`/api/users/${ids.anna}/phones`);
    const phone = phones.json().items.find((p: { id: string }) => p.id === ids.annaPhone);
    expect(phone).toMatchObject({ activated: true });
    expect(phone.capabilities).toContain("mobile_otp");
    // Used once: the link is gone.
    expect((await t.app.inject({ method: "GET", url: `/enroll/${token}` })).statusCode).toBe(404);
  });

  it("a new link ends the one before it that was not used; valid_secs sets its life", async () => {
    const first = tokenOf((await activate(helpDesk, ids.aaronPhone)).json().activation_url);
    const second = await activate(helpDesk, ids.aaronPhone, { valid_secs: 600 });
    expect(second.statusCode, second.body).toBe(200);
    const expires = Date.parse(second.json().expires_at);
    expect(expires).toBeGreaterThan(Date.now() + 540_000);
    expect(expires).toBeLessThan(Date.now() + 660_000);
    expect((await t.app.inject({ method: "GET", url: `/enroll/${first}` })).statusCode).toBe(404);
    const live = tokenOf(second.json().activation_url);
    expect((await t.app.inject({ method: "GET", url: `/enroll/${live}` })).statusCode).toBe(200);
    expect((await pending(ids.aaronPhone)).filter((row) => row.activated_at === null)).toHaveLength(
      1,
    );
  });

  it("bad input is refused naming the field, and changes nothing", async () => {
    const owner = await signIn("Owner");
    const before = { rows: await pending(ids.sharedPhone), log: await records(ids.sharedPhone) };
    for (const [phoneId, body, field] of [
      [ids.sharedPhone, { valid_secs: 0 }, "valid_secs"],
      [ids.sharedPhone, { valid_secs: 31 * 86_400 }, "valid_secs"],
      [ids.sharedPhone, { valid_secs: "60" }, "valid_secs"],
      [ids.sharedPhone, { user_id: `DU${"9".repeat(18)}` }, "user_id"],
      [ids.sharedPhone, { user_id: "anna" }, "user_id"],
      [ids.sharedPhone, { install: true }, "install"],
    ] as const) {
      const refused = await activate(owner, phoneId, body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(refused.json().error.field).toBe(field);
    }
    const noUser = await activate(owner, ids.spare);
    expect(noUser.statusCode).toBe(400);
    expect(noUser.json().error).toMatchObject({ field: "phone_id" });
    expect(noUser.json().error.message).toContain("belongs to no user");
    expect((await activate(owner, `DP${"9".repeat(18)}`)).statusCode).toBe(404);
    expect(await pending(ids.sharedPhone)).toEqual(before.rows);
    expect(await pending(ids.spare)).toEqual([]);
    expect(await records(ids.sharedPhone)).toEqual(before.log);
    // Chosen by user: the app shows the username asked for.
    const forAnna = await activate(owner, ids.sharedPhone, { user_id: ids.anna });
    expect(forAnna.json()).toMatchObject({ user_id: ids.anna, username: "anna.eu" });
    const byDefault = await activate(owner, ids.sharedPhone);
    expect(byDefault.json()).toMatchObject({ user_id: ids.aaron, username: "aaron.us" });
  });

  it("R-UNIT-8f: a restricted Help Desk activates only phones of users in their units, for those users", async () => {
    const shared = await activate(restricted, ids.sharedPhone);
    expect(shared.statusCode, shared.body).toBe(200);
    // aaron.us sorts first but is out of scope: the link is made for anna.eu.
    expect(shared.json()).toMatchObject({ user_id: ids.anna, username: "anna.eu" });
    const forAaron = await activate(restricted, ids.sharedPhone, { user_id: ids.aaron });
    expect(forAaron.statusCode).toBe(400);
    expect(forAaron.json().error.field).toBe("user_id");
    expect(forAaron.body).not.toContain("aaron");
    const before = await pending(ids.aaronPhone);
    const outside = await activate(restricted, ids.aaronPhone);
    expect(outside.statusCode).toBe(404);
    expect(await pending(ids.aaronPhone)).toEqual(before);
    expect((await activate(restricted, ids.spare)).statusCode).toBe(404);
  });

  it("R-ROLE-2, R-ROLE-3: roles that do not manage devices are refused with the rule, and nothing is made", async () => {
    const before = await pending(ids.annaPhone);
    for (const role of ["Application Manager", "Billing", "Read-only"] as const) {
      const refused = await activate(await signIn(role), ids.annaPhone);
      expect(refused.statusCode, role).toBe(403);
      expect(refused.json().error.rule, role).toMatch(/^R-ROLE-[23]$/);
      expect(refused.body).not.toContain("/enroll/");
    }
    expect(await pending(ids.annaPhone)).toEqual(before);
    for (const role of ["Owner", "Administrator", "User Manager"] as const)
      expect((await activate(await signIn(role), ids.annaPhone)).statusCode, role).toBe(200);
  });
});
