import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { PanelClient } from "../../helpers/panel-client.js";

/** The seed documents' scenarios, end to end over the panel API. */
describe(`seed scenarios over HTTP on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let owner: PanelClient;

  const signIn = async (accountId: string, role: Role, tags: string[] = []) => {
    const admin = await seedActiveAdmin(t.database, { accountId, role });
    for (const tag of tags)
      await t.db.insertInto("admin_tags").values({ admin_id: admin.id, tag }).execute();
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    return Object.assign(client, { adminId: admin.id });
  };

  beforeAll(async () => {
    t = await buildTestApp({ throttle: { attemptsPerWindow: 1000, windowSeconds: 60 } });
    parentId = await insertAccount(t.db, { name: "Northwind MSP", edition: "Premier" });
    owner = await signIn(parentId, "Owner");
  }, 60_000);
  afterAll(() => t.close());

  it('R-TAG-2: "Government Restricted" — only admins sharing the tag, and Owners, enter the tagged subaccount', async () => {
    const gov = (
      await owner.post("/api/accounts", { name: "State Agency", tags: ["Government Restricted"] })
    ).json();
    const open = (await owner.post("/api/accounts", { name: "Open Customer" })).json();
    const cleared = await signIn(parentId, "Administrator", ["Government Restricted"]);
    const other = await signIn(parentId, "Administrator", ["EU"]);
    const lowercase = await signIn(parentId, "Administrator", ["government restricted"]);

    expect((await owner.get(`/api/accounts/${gov.id}`)).statusCode).toBe(200);
    expect((await cleared.get(`/api/accounts/${gov.id}`)).statusCode).toBe(200);
    for (const client of [other, lowercase]) {
      const refused = await client.get(`/api/accounts/${gov.id}`);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.rule).toBe("R-TAG-2");
      expect(refused.json().error.reason).toContain("case-sensitive");
      // R-TAG-2b: an untagged subaccount is open to every parent-level admin.
      expect((await client.get(`/api/accounts/${open.id}`)).statusCode).toBe(200);
    }
    // R-TAG-4: listed to all, marked.
    const listed = (await other.get("/api/accounts?search=State")).json().items;
    expect(listed).toEqual([expect.objectContaining({ id: gov.id, accessible: false })]);
  });

  it("R-SUB-5, R-TEN-3: an NFR internal subaccount's own IT admin manages it and cannot see the parent or siblings", async () => {
    const internal = (
      await owner.post("/api/accounts", { name: "Northwind Internal IT", nfr: true })
    ).json();
    expect(internal.nfr).toBe(true);
    const sibling = (await owner.post("/api/accounts", { name: "Sibling Co" })).json();
    const it_ = await signIn(internal.id, "Owner");
    const dashboard = await it_.get("/api/account");
    expect(dashboard.json()).toMatchObject({ id: internal.id, nfr: true, is_subaccount: true });
    const accounts = await it_.get("/api/accounts");
    expect(accounts.statusCode).toBe(403);
    expect(accounts.json().error.rule).toBe("R-TEN-1");
    const siblingPage = await it_.get(`/api/accounts/${sibling.id}`);
    expect(siblingPage.statusCode).toBe(403);
    expect(JSON.stringify(siblingPage.json())).not.toContain("Sibling Co");
  });

  it("R-PLAN-1, R-PLAN-2: downgrade to Free makes every admin an Owner; upgrading restores roles, tags and units exactly", async () => {
    const gov = (
      await owner.post("/api/accounts", { name: "Downgrade Gov", tags: ["Gov"] })
    ).json();
    const helpDesk = await signIn(parentId, "Help Desk", ["EU"]);
    const before = await t.db
      .selectFrom("admins")
      .select(["role", "subaccount_role", "restricted_by_units"])
      .where("account_id", "=", parentId)
      .orderBy("id")
      .execute();
    expect((await helpDesk.post("/api/accounts", { name: "By help desk" })).statusCode).toBe(403);
    expect((await helpDesk.get(`/api/accounts/${gov.id}`)).statusCode).toBe(403);

    const down = await owner.request({
      method: "PUT",
      url: "/api/account/edition",
      body: { edition: "Free" },
    });
    expect(down.json()).toMatchObject({ edition: "Free" });
    expect((await helpDesk.post("/api/accounts", { name: "By help desk" })).statusCode).toBe(200);
    expect((await helpDesk.get(`/api/accounts/${gov.id}`)).statusCode).toBe(200);

    // Acting as an Owner while Free, the help desk admin upgrades again.
    await helpDesk.request({
      method: "PUT",
      url: "/api/account/edition",
      body: { edition: "Premier" },
    });
    expect((await helpDesk.post("/api/accounts", { name: "By help desk 2" })).statusCode).toBe(403);
    expect((await helpDesk.get(`/api/accounts/${gov.id}`)).json().error.rule).toBe("R-TAG-2");
    const after = await t.db
      .selectFrom("admins")
      .select(["role", "subaccount_role", "restricted_by_units"])
      .where("account_id", "=", parentId)
      .orderBy("id")
      .execute();
    expect(after).toEqual(before);
    expect(
      (
        await t.db
          .selectFrom("subaccount_tags")
          .select("tag")
          .where("account_id", "=", gov.id)
          .execute()
      ).map((r) => r.tag),
    ).toEqual(["Gov"]);
  });
});
