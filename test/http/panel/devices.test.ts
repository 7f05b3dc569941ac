import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { hotpCodes } from "../../../src/domain/tokens/resync.js";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import { PanelClient } from "../../helpers/panel-client.js";

const SECRET = "3132333435363738393031323334353637383930";

describe(`phones and hardware tokens over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let accountId: string;
  let owner: PanelClient;
  let userId: string;
  let outsiderId: string;
  let unitId: string;
  let serial = 0;

  const signIn = (role: Role, unitIds?: string[]) => signInAdmin(t, accountId, { role, unitIds });
  const del = (client: PanelClient, url: string) => client.request({ method: "DELETE", url });
  const patch = (client: PanelClient, url: string, body: object) =>
    client.request({ method: "PATCH", url, body });
  const put = (client: PanelClient, url: string) =>
    client.request({ method: "PUT", url, body: {} });
  /** Phones, tokens, links and change records: what a refused request must leave as it was. */
  const state = async () => ({
    phones: await t.db.selectFrom("phones").selectAll().orderBy("id").execute(),
    tokens: await t.db.selectFrom("hardware_tokens").selectAll().orderBy("id").execute(),
    phoneLinks: await t.db.selectFrom("user_phones").selectAll().orderBy("phone_id").execute(),
    tokenLinks: await t.db
      .selectFrom("user_hardware_tokens")
      .selectAll()
      .orderBy("token_id")
      .execute(),
    records: (
      await t.db
        .selectFrom("audit_log")
        .select("id")
        .where("action", "not in", ["access_denied", "admin_login"])
        .execute()
    ).length,
  });
  const newToken = (type = "h6") => ({ type, serial: `S-${serial++}`, secret: SECRET });

  beforeAll(async () => {
    t = await buildTestApp();
    accountId = await insertAccount(t.db, { name: "Northwind" });
    const seeded = await seedActiveAdmin(t.database, { accountId, role: "Owner" });
    owner = new PanelClient(t.app);
    await owner.signIn(seeded);
    const inScope = (await owner.post("/api/groups", { name: "Engineering" })).json().id;
    const outOfScope = (await owner.post("/api/groups", { name: "Finance" })).json().id;
    userId = (await owner.post("/api/users", { username: "ana", group_ids: [inScope] })).json().id;
    outsiderId = (
      await owner.post("/api/users", { username: "bruno", group_ids: [outOfScope] })
    ).json().id;
    unitId = await insertScopedUnit(t.db, accountId, { name: "Eng", groupIds: [inScope] });
  });
  afterAll(() => t.close());

  it("R-ROLE-3: Help Desk creates, edits, shares, unshares and deletes phones, and manages tokens; one record each", async () => {
    const helpDesk = await signIn("Help Desk");
    const client = helpDesk.client;
    const created = await client.post(`/api/users/${userId}/phones`, {
      number: "+442079460000",
      type: "Mobile",
      platform: "Apple iOS",
    });
    expect(created.statusCode, created.body).toBe(200);
    const phone = created.json();
    expect(phone).toMatchObject({
      number: "+442079460000",
      type: "Mobile",
      platform: "Apple iOS",
      capabilities: ["sms"],
      users: [{ id: userId, username: "ana" }],
    });
    const edited = await patch(client, `/api/phones/${phone.id}`, { name: "iPhone", postdelay: 3 });
    expect(edited.json()).toMatchObject({ name: "iPhone", postdelay: 3 });
    const shared = await put(client, `/api/users/${outsiderId}/phones/${phone.id}`);
    expect(shared.statusCode, shared.body).toBe(200);
    expect((await client.get(`/api/phones/${phone.id}`)).json().users).toHaveLength(2);
    expect((await del(client, `/api/users/${outsiderId}/phones/${phone.id}`)).statusCode).toBe(200);

    const token = await client.post(`/api/users/${userId}/tokens`, newToken());
    expect(token.statusCode, token.body).toBe(200);
    const tokenId = token.json().id;
    expect(token.json()).toMatchObject({ type: "h6", users: [{ id: userId }] });
    expect(token.body).not.toContain(SECRET);
    const codes = hotpCodes(SECRET, 6, 2, 3);
    const resync = await client.post(`/api/tokens/${tokenId}/resync`, { codes });
    expect(resync.statusCode, resync.body).toBe(200);
    expect((await client.get(`/api/users/${userId}/tokens`)).json().items).toHaveLength(1);
    expect((await del(client, `/api/users/${userId}/tokens/${tokenId}`)).statusCode).toBe(200);
    expect((await del(client, `/api/tokens/${tokenId}`)).statusCode).toBe(200);
    expect((await del(client, `/api/phones/${phone.id}`)).statusCode).toBe(200);

    const actions = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("actor_id", "=", helpDesk.id)
      .where("action", "not in", ["admin_login"])
      .orderBy("id")
      .execute();
    expect(actions.map((row) => row.action)).toEqual([
      "phone_create",
      "phone_update",
      "phone_associate",
      "phone_disassociate",
      "token_create",
      "token_resync",
      "token_disassociate",
      "token_delete",
      "phone_delete",
    ]);
  });

  it("R-ROLE-2, R-ROLE-3: Read-only sees devices but changes none; Application Manager and Billing see none; nothing changes", async () => {
    const phone = (
      await owner.post(`/api/users/${userId}/phones`, { number: "+15550100001" })
    ).json();
    const token = (await owner.post("/api/tokens", newToken("t6"))).json();
    const before = await state();
    const readOnly = (await signIn("Read-only")).client;
    expect((await readOnly.get("/api/phones")).statusCode).toBe(200);
    expect((await readOnly.get(`/api/tokens/${token.id}`)).statusCode).toBe(200);
    for (const response of [
      await readOnly.post("/api/phones", {}),
      await patch(readOnly, `/api/phones/${phone.id}`, { name: "x" }),
      await del(readOnly, `/api/phones/${phone.id}`),
      await put(readOnly, `/api/users/${outsiderId}/phones/${phone.id}`),
      await readOnly.post("/api/tokens", newToken()),
      await patch(readOnly, `/api/tokens/${token.id}`, { totp_step: 60 }),
      await del(readOnly, `/api/tokens/${token.id}`),
    ]) {
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().error.rule).toBe("R-ROLE-2");
    }
    for (const role of ["Application Manager", "Billing"] as const) {
      const client = (await signIn(role)).client;
      for (const url of [
        "/api/phones",
        `/api/phones/${phone.id}`,
        "/api/tokens",
        `/api/users/${userId}/phones`,
      ]) {
        const response = await client.get(url);
        expect(response.statusCode, `${role} ${url}`).toBe(403);
        expect(response.body).not.toContain("+15550100001");
      }
      expect((await client.post(`/api/users/${userId}/phones`, {})).statusCode).toBe(403);
    }
    const manager = (await signIn("Application Manager")).client;
    expect((await manager.get(`/api/phones/${phone.id}`)).json().error.rule).toBe("R-ROLE-3");
    expect(await state()).toEqual(before);
  });

  it("R-UNIT-8f: a restricted admin sees and manages only the devices of users in their units; the rest is not found and unchanged", async () => {
    const ours = (
      await owner.post(`/api/users/${userId}/phones`, { number: "+15550100002" })
    ).json();
    const theirs = (
      await owner.post(`/api/users/${outsiderId}/phones`, { number: "+15550100003" })
    ).json();
    const shared = (await owner.post(`/api/users/${userId}/phones`, { name: "Shared" })).json();
    await put(owner, `/api/users/${outsiderId}/phones/${shared.id}`);
    const loose = (await owner.post("/api/phones", { name: "Unassigned" })).json();
    const theirToken = (await owner.post(`/api/users/${outsiderId}/tokens`, newToken())).json();
    const looseToken = (await owner.post("/api/tokens", newToken())).json();

    const restricted = (await signIn("Help Desk", [unitId])).client;
    const listed = (await restricted.get("/api/phones?limit=500")).json().items as {
      id: string;
      users: { id: string }[];
    }[];
    const ids = listed.map((phone) => phone.id);
    expect(ids).toContain(ours.id);
    expect(ids).toContain(shared.id);
    expect(ids).not.toContain(theirs.id);
    expect(ids).not.toContain(loose.id);
    // A shared phone lists only the users the admin may see (R-UNIT-8a).
    expect(listed.find((phone) => phone.id === shared.id)?.users.map((u) => u.id)).toEqual([
      userId,
    ]);
    expect((await restricted.get("/api/tokens?limit=500")).json().items).toEqual([]);

    const before = await state();
    for (const response of [
      await restricted.get(`/api/phones/${theirs.id}`),
      await patch(restricted, `/api/phones/${theirs.id}`, { name: "x" }),
      await del(restricted, `/api/phones/${theirs.id}`),
      await restricted.get(`/api/phones/${loose.id}`),
      await put(restricted, `/api/users/${userId}/phones/${loose.id}`),
      await put(restricted, `/api/users/${outsiderId}/phones/${ours.id}`),
      await restricted.get(`/api/users/${outsiderId}/phones`),
      await restricted.post(`/api/users/${outsiderId}/phones`, { name: "Sneaky" }),
      await del(restricted, `/api/users/${outsiderId}/phones/${shared.id}`),
      await restricted.get(`/api/tokens/${theirToken.id}`),
      await del(restricted, `/api/tokens/${theirToken.id}`),
      await put(restricted, `/api/users/${userId}/tokens/${looseToken.id}`),
      await restricted.post(`/api/tokens/${theirToken.id}/resync`, {
        codes: hotpCodes(SECRET, 6, 0, 3),
      }),
      await restricted.post(`/api/users/${outsiderId}/tokens`, newToken()),
    ])
      expect(response.statusCode, response.body).toBe(404);
    // A device of no user is in no unit: creating one is refused, naming the rule.
    for (const response of [
      await restricted.post("/api/phones", { name: "Orphan" }),
      await restricted.post("/api/tokens", newToken()),
    ]) {
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().error.rule).toBe("R-UNIT-8a");
    }
    expect(await state()).toEqual(before);

    // In scope, the same admin works as usual.
    const edited = await patch(restricted, `/api/phones/${ours.id}`, { name: "Mine" });
    expect(edited.statusCode, edited.body).toBe(200);
    const added = await restricted.post(`/api/users/${userId}/tokens`, newToken("t8"));
    expect(added.statusCode, added.body).toBe(200);
    // The Administrator Actions log shows the restricted admin the records of in-scope devices only.
    const log = (await restricted.get("/api/audit-log?limit=200")).json().items as {
      object: { id: string } | null;
    }[];
    const objects = log.map((record) => record.object?.id);
    expect(objects).toContain(ours.id);
    expect(objects).not.toContain(theirs.id);
    expect(objects).not.toContain(theirToken.id);
  });

  it('R-UNIT-8a, R-UNIT-8f: under a unit of "all users", every user\'s devices are in scope, one in no group too; a device of no user is not', async () => {
    const allUsers = await insertScopedUnit(t.db, accountId, { name: "Everyone" });
    await t.db
      .updateTable("admin_units")
      .set({ all_groups: true })
      .where("id", "=", allUsers)
      .execute();
    const groupless = (await owner.post("/api/users", { username: "gil" })).json().id;
    const hers = (
      await owner.post(`/api/users/${groupless}/phones`, { number: "+15550100009" })
    ).json();
    const loose = (await owner.post("/api/phones", { name: "Nobody's" })).json();

    const restricted = (await signIn("Help Desk", [allUsers])).client;
    const ids = (
      (await restricted.get("/api/phones?limit=500")).json().items as { id: string }[]
    ).map((phone) => phone.id);
    expect(ids).toContain(hers.id);
    expect(ids).not.toContain(loose.id);
    expect((await restricted.get(`/api/phones/${hers.id}`)).statusCode).toBe(200);
    const before = await state();
    expect((await restricted.get(`/api/phones/${loose.id}`)).statusCode).toBe(404);
    const orphan = await restricted.post("/api/phones", { name: "Orphan" });
    expect(orphan.statusCode, orphan.body).toBe(403);
    expect(orphan.json().error.rule).toBe("R-UNIT-8a");
    expect(await state()).toEqual(before);
  });

  it("refuses malformed input with 400 naming the field, writing nothing", async () => {
    const phone = (await owner.post("/api/phones", { number: "+15550100004" })).json();
    const token = (await owner.post("/api/tokens", newToken())).json();
    const before = await state();
    for (const [response, field] of [
      [await owner.post("/api/phones", { number: "12345" }), "number"],
      [await owner.post("/api/phones", { number: "+15550100004" }), "number"],
      [await owner.post("/api/phones", { extension: "9" }), "extension"],
      [await owner.post("/api/phones", { type: "Satellite" }), "type"],
      [await patch(owner, `/api/phones/${phone.id}`, { predelay: 90 }), "predelay"],
      [await owner.post("/api/tokens", { type: "h6", serial: "NO-SECRET" }), "secret"],
      [await owner.post("/api/tokens", { ...newToken("yk") }), "secret"],
      [await owner.post("/api/tokens", { type: "d1", serial: "D" }), "type"],
      [await patch(owner, `/api/tokens/${token.id}`, { totp_step: 30 }), "totp_step"],
      [
        await owner.post(`/api/tokens/${token.id}/resync`, {
          codes: ["000000", "000000", "000000"],
        }),
        "code1",
      ],
    ] as const) {
      expect([400, 409], response.body).toContain(response.statusCode);
      expect(response.body, response.body).toContain(field);
    }
    expect(await state()).toEqual(before);
  });
});
