import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { signInAdmin } from "../../helpers/panel-admins.js";
import type { PanelClient } from "../../helpers/panel-client.js";

/** The seed documents' scenarios, end to end over the panel API. */
describe(`seed scenarios over HTTP on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let owner: PanelClient;

  const signIn = async (accountId: string, role: Role, tags: string[] = []) => {
    const { client, id } = await signInAdmin(t, accountId, { role, tags });
    return Object.assign(client, { adminId: id });
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

  it("R-UNIT-4, R-UNIT-8a, R-ROLE-3: Acme's help desk — EU and US technicians see and edit only their region's users; level two is global", async () => {
    const acme = await insertAccount(t.db, { name: "Acme Corp", edition: "Advantage" });
    const acmeOwner = await signIn(acme, "Owner");
    const group = async (name: string) =>
      (await acmeOwner.post("/api/groups", { name })).json().id as string;
    const eu = await group("EU staff");
    const us = await group("US staff");
    const user = async (username: string, groupId: string) =>
      (await acmeOwner.post("/api/users", { username, group_ids: [groupId] })).json().id as string;
    const marie = await user("marie", eu);
    const john = await user("john", us);

    const euDesk = await signIn(acme, "Help Desk");
    const usDesk = await signIn(acme, "Help Desk");
    const levelTwo = await signIn(acme, "Help Desk");
    for (const [name, groupId, adminId] of [
      ["EU", eu, euDesk.adminId],
      ["US", us, usDesk.adminId],
    ] as const) {
      const unit = await acmeOwner.post("/api/units", {
        name,
        all_groups: false,
        group_ids: [groupId],
        all_applications: false,
        application_ids: [],
        admin_ids: [adminId],
      });
      expect(unit.statusCode).toBe(200);
    }

    const usernames = async (client: PanelClient) =>
      (await client.get("/api/users")).json().items.map((u: { username: string }) => u.username);
    expect(await usernames(euDesk)).toEqual(["marie"]);
    expect(await usernames(usDesk)).toEqual(["john"]);
    expect(await usernames(levelTwo)).toEqual(["john", "marie"]);

    const rename = (client: PanelClient, id: string) =>
      client.request({ method: "PATCH", url: `/api/users/${id}`, body: { real_name: "Renamed" } });
    expect((await rename(euDesk, marie)).statusCode).toBe(200);
    expect((await rename(euDesk, john)).statusCode).toBe(404);
    expect((await rename(levelTwo, john)).statusCode).toBe(200);
    const removal = await euDesk.request({ method: "DELETE", url: `/api/users/${marie}` });
    expect(removal.statusCode).toBe(403);
    expect(removal.json().error.rule).toMatch(/^R-ROLE-[23]$/);
  });

  it("R-UNIT-8c, R-UNIT-8i: the networking team manages the VPN application and no users", async () => {
    const acme = await insertAccount(t.db, { name: "Acme Networks", edition: "Premier" });
    const acmeOwner = await signIn(acme, "Owner");
    const app = async (name: string) =>
      (await acmeOwner.post("/api/applications", { type: "websdk", name })).json().id as string;
    const vpn = await app("Corporate VPN");
    const payroll = await app("Payroll");
    const staff = (await acmeOwner.post("/api/groups", { name: "Staff" })).json().id;
    await acmeOwner.post("/api/users", { username: "ana", group_ids: [staff] });
    const network = await signIn(acme, "Application Manager");
    const unit = await acmeOwner.post("/api/units", {
      name: "Networking",
      all_groups: false,
      group_ids: [],
      all_applications: false,
      application_ids: [vpn],
      admin_ids: [network.adminId],
    });
    expect(unit.statusCode).toBe(200);

    const edit = (id: string) =>
      network.request({
        method: "PATCH",
        url: `/api/applications/${id}`,
        body: { notes: "split tunnel" },
      });
    expect((await edit(vpn)).statusCode).toBe(200);
    expect((await edit(payroll)).statusCode).toBe(404);
    const apps = (await network.get("/api/applications")).json().items;
    expect(apps.map((a: { name: string }) => a.name)).toEqual(["Corporate VPN"]);
    expect((await network.get("/api/users")).json().items).toEqual([]);
    const create = await network.post("/api/users", { username: "intruder", group_ids: [staff] });
    expect(create.statusCode).toBe(403);
  });
});
