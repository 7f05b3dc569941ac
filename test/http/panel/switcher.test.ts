import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`the account switcher over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let acme: string;
  let gov: string;
  let open: string;

  beforeAll(async () => {
    t = await buildTestApp();
    parentId = await insertAccount(t.db, { name: "Northwind MSP" });
    acme = await insertAccount(t.db, { parentId, name: "Acme EU", nfr: true });
    gov = await insertAccount(t.db, { parentId, name: "Gov", edition: "Advantage" });
    open = await insertAccount(t.db, { parentId, name: "Open Co" });
    await t.db
      .insertInto("subaccount_tags")
      .values([
        { account_id: acme, tag: "EU" },
        { account_id: gov, tag: "Government Restricted" },
      ])
      .execute();
  });
  afterAll(() => t.close());

  const signIn = async (accountId: string, role: Role, tags: string[] = []) => {
    const admin = await seedActiveAdmin(t.database, { accountId, role });
    if (tags.length > 0)
      await t.db
        .insertInto("admin_tags")
        .values(tags.map((tag) => ({ admin_id: admin.id, tag })))
        .execute();
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    return { admin, client };
  };
  const switchTo = (client: PanelClient, accountId: string) =>
    client.post("/api/switcher", { account_id: accountId });

  it("R-TAG-5: the switcher offers the home account and only the accessible subaccounts, with name, edition and NFR", async () => {
    const { client } = await signIn(parentId, "Help Desk", ["EU"]);
    const response = await client.get("/api/switcher");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      current: parentId,
      accounts: [
        {
          id: parentId,
          name: "Northwind MSP",
          edition: "Premier",
          nfr: false,
          home: true,
          current: true,
        },
        { id: acme, name: "Acme EU", edition: "Premier", nfr: true, home: false, current: false },
        { id: open, name: "Open Co", edition: "Premier", nfr: false, home: false, current: false },
      ],
    });
    const searched = await client.get("/api/switcher?search=acme");
    expect(searched.json().accounts.map((a: { id: string }) => a.id)).toEqual([parentId, acme]);
  });

  it("R-TAG-5, R-TAG-2, R-AUD-2: asking for an inaccessible subaccount is refused with the reason, logged, and changes nothing", async () => {
    const { admin, client } = await signIn(parentId, "Administrator", ["EU"]);
    const refused = await switchTo(client, gov);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: "forbidden", rule: "R-TAG-2" });
    expect(refused.json().error.reason).toContain('it is tagged "Government Restricted"');
    expect((await client.get("/api/switcher")).json().current).toBe(parentId);
    const denied = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("actor_id", "=", admin.id)
      .where("action", "=", "access_denied")
      .execute();
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ account_id: parentId, rule: "R-TAG-2" });
    expect(denied[0]?.after).toMatchObject({ action: "accounts:switch", account_id: gov });

    const elsewhere = await insertAccount(t.db, { name: "Another MSP" });
    const foreign = await switchTo(client, elsewhere);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.rule).toBe("R-TEN-2");
  });

  it("R-TAG-5, R-TEN-1, R-AUD-1: after switching into a subaccount the Accounts pages are refused; switching back works; both switches are logged", async () => {
    const { admin, client } = await signIn(parentId, "Administrator", ["EU"]);
    const switched = await switchTo(client, acme);
    expect(switched.statusCode).toBe(200);
    expect(switched.json().current).toBe(acme);
    expect(switched.json().accounts.find((a: { id: string }) => a.id === acme).current).toBe(true);

    const accounts = await client.get("/api/accounts");
    expect(accounts.statusCode).toBe(403);
    expect(accounts.json().error.rule).toBe("R-TEN-1");
    expect((await client.get("/api/switcher")).json().current).toBe(acme);

    const back = await switchTo(client, parentId);
    expect(back.statusCode).toBe(200);
    expect(back.json().current).toBe(parentId);
    expect((await client.get("/api/accounts")).statusCode).toBe(200);

    const log = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("actor_id", "=", admin.id)
      .where("action", "=", "admin_switch_account")
      .orderBy("id")
      .execute();
    expect(log.map((r) => [r.account_id, r.object_id, r.before, r.after])).toEqual([
      [parentId, acme, { account_id: parentId }, { account_id: acme }],
      [parentId, parentId, { account_id: acme }, { account_id: parentId }],
    ]);
    expect(log[0]?.ip).toBe(client.ip);
  });

  it("R-TAG-5: an Owner may switch into any subaccount, tagged or not (R-TAG-2a)", async () => {
    const { client } = await signIn(parentId, "Owner");
    const list = await client.get("/api/switcher");
    expect(list.json().accounts.map((a: { name: string }) => a.name)).toEqual([
      "Northwind MSP",
      "Acme EU",
      "Gov",
      "Open Co",
    ]);
    expect((await switchTo(client, gov)).statusCode).toBe(200);
    expect((await switchTo(client, parentId)).statusCode).toBe(200);
  });

  it("R-SUB-5: an admin added directly to a subaccount is offered their own account only and cannot switch out", async () => {
    const { client } = await signIn(open, "Owner");
    expect((await client.get("/api/switcher")).json().accounts).toEqual([
      expect.objectContaining({ id: open, home: true, current: true }),
    ]);
    const toParent = await switchTo(client, parentId);
    expect(toParent.statusCode).toBe(403);
    expect(toParent.json().error.rule).toBe("R-SUB-5");
    const toSibling = await switchTo(client, acme);
    expect(toSibling.json().error.rule).toBe("R-SUB-5");
  });

  it("an unknown field or a malformed account id is refused naming the field", async () => {
    const { client } = await signIn(parentId, "Owner");
    const bad = await client.post("/api/switcher", { account_id: acme, extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe("extra");
    const malformed = await switchTo(client, "nope");
    expect(malformed.json().error.field).toBe("account_id");
  });

  it("R-TAG-2, R-TAG-5: a session left in a subaccount whose tags no longer match goes home, logged, instead of being stuck", async () => {
    const lost = await insertAccount(t.db, { parentId, name: "Retagged Co" });
    await t.db.insertInto("subaccount_tags").values({ account_id: lost, tag: "EU" }).execute();
    const { admin, client } = await signIn(parentId, "Administrator", ["EU"]);
    expect((await switchTo(client, lost)).statusCode).toBe(200);
    await t.db
      .updateTable("subaccount_tags")
      .set({ tag: "Government Restricted" })
      .where("account_id", "=", lost)
      .execute();
    const dashboard = await client.get("/api/account");
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.json().id).toBe(parentId);
    const switches = await t.db
      .selectFrom("audit_log")
      .select(["after"])
      .where("actor_id", "=", admin.id)
      .where("action", "=", "admin_switch_account")
      .orderBy("id")
      .execute();
    expect(switches.map((row) => row.after)).toEqual([
      { account_id: lost },
      { account_id: parentId },
    ]);
  });
});
