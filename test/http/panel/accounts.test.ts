import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`the Accounts pages over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let owner: PanelClient;
  beforeAll(async () => {
    t = await buildTestApp();
    parentId = await insertAccount(t.db, { name: "Northwind MSP" });
    owner = new PanelClient(t.app);
    await owner.signIn(await seedActiveAdmin(t.database, { accountId: parentId, role: "Owner" }));
  });
  afterAll(() => t.close());

  const create = (client: PanelClient, body: object) => client.post("/api/accounts", body);

  it("R-TAG-3, R-TEN-3: Add Account with new access tags creates them; the tag list is what is assigned", async () => {
    const response = await create(owner, {
      name: "Acme Gov",
      nfr: true,
      tags: ["Gov", "gov", " Gov "],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: "Acme Gov",
      nfr: true,
      tags: ["Gov", "gov"],
      accessible: true,
    });
    const tags = await owner.get("/api/tags");
    expect(tags.json()).toEqual([
      { tag: "Gov", subaccounts: 1, admins: 0 },
      { tag: "gov", subaccounts: 1, admins: 0 },
    ]);
    const id = response.json().id;
    const cleared = await owner.request({
      method: "PATCH",
      url: `/api/accounts/${id}`,
      body: { tags: ["gov"] },
    });
    expect(cleared.json().tags).toEqual(["gov"]);
    expect((await owner.get("/api/tags")).json().map((t: { tag: string }) => t.tag)).toEqual([
      "gov",
    ]);
  });

  it("R-TAG-6: the list is searchable by name and by exact, case-sensitive tag, page by page", async () => {
    for (const name of ["Beta EU", "Gamma EU", "Delta EU"])
      await create(owner, { name, tags: ["EU"] });
    const byTag = await owner.get("/api/accounts?tag=EU&limit=2");
    expect(byTag.json().items.map((a: { name: string }) => a.name)).toEqual([
      "Beta EU",
      "Delta EU",
    ]);
    const next = await owner.get(`/api/accounts?tag=EU&limit=2&after=${byTag.json().next}`);
    expect(next.json()).toMatchObject({ items: [{ name: "Gamma EU" }], next: null });
    expect((await owner.get("/api/accounts?tag=eu")).json().items).toEqual([]);
    const byName = await owner.get("/api/accounts?search=gamma");
    expect(byName.json().items.map((a: { name: string }) => a.name)).toEqual(["Gamma EU"]);
  });

  it("R-TAG-4: a tagged-out admin sees every subaccount listed, but opening one answers no access, with the reason and nothing of it", async () => {
    const gov = (await create(owner, { name: "Ministry", tags: ["Government Restricted"] })).json();
    const helpDesk = await seedActiveAdmin(t.database, { accountId: parentId, role: "Help Desk" });
    const client = new PanelClient(t.app);
    await client.signIn(helpDesk);
    const list = await client.get("/api/accounts?search=Ministry");
    expect(list.json().items).toEqual([expect.objectContaining({ id: gov.id, accessible: false })]);
    const opened = await client.get(`/api/accounts/${gov.id}`);
    expect(opened.statusCode).toBe(403);
    expect(opened.json().error).toMatchObject({ code: "forbidden", rule: "R-TAG-2" });
    expect(opened.json().error.reason).toContain('it is tagged "Government Restricted"');
    expect(opened.body).not.toContain(gov.created_at);
  });

  it("R-SUB-4: Billing may add and rename subaccounts but not assign access tags; the refusal changes nothing and is logged", async () => {
    const billing = await seedActiveAdmin(t.database, { accountId: parentId, role: "Billing" });
    const client = new PanelClient(t.app);
    await client.signIn(billing);
    const refused = await create(client, { name: "Tagged by billing", tags: ["EU"] });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toBe("R-ROLE-2");
    const none = await owner.get("/api/accounts?search=Tagged%20by");
    expect(none.json().items).toEqual([]);
    const denied = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("actor_id", "=", billing.id)
      .where("action", "=", "access_denied")
      .execute();
    expect(denied).toHaveLength(1);
    expect(denied[0]?.after).toMatchObject({ action: "tags:manage" });
    expect((await create(client, { name: "Plain by billing" })).statusCode).toBe(200);
  });

  it("R-TEN-1: subaccounts are managed from the parent only; an unknown field is refused naming it", async () => {
    const bad = await create(owner, { name: "X", color: "red" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe("color");
    await create(owner, { name: "Unique Name" });
    const again = await create(owner, { name: "unique name" });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: "conflict", field: "name" });
    const blank = await create(owner, { name: "   " });
    expect(blank.json().error).toMatchObject({ code: "invalid", field: "name" });
  });

  it("deleting a subaccount that still holds objects needs force; each change writes one log record", async () => {
    const sub = (await create(owner, { name: "Short lived" })).json();
    await t.db
      .insertInto("groups")
      .values({ id: "DG000000000000000001", account_id: sub.id, name: "Staff" })
      .execute();
    const refused = await owner.request({ method: "DELETE", url: `/api/accounts/${sub.id}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ field: "force" });
    expect(refused.json().error.message).toContain("1 groups");
    const forced = await owner.request({
      method: "DELETE",
      url: `/api/accounts/${sub.id}?force=true`,
    });
    expect(forced.statusCode).toBe(200);
    const log = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("object_id", "=", sub.id)
      .orderBy("id")
      .execute();
    expect(log.map((r) => r.action)).toEqual(["account_create", "account_delete"]);
  });
});
