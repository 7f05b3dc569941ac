import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededAdmin, seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertGroup } from "../../helpers/fixtures.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`explain and simulate over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let acme: string;
  let gov: string;
  let owner: PanelClient;
  let helpDesk: SeededAdmin;
  let helpDeskClient: PanelClient;

  beforeAll(async () => {
    t = await buildTestApp();
    parentId = await insertAccount(t.db, { name: "Northwind MSP" });
    acme = await insertAccount(t.db, { parentId, name: "Acme" });
    gov = await insertAccount(t.db, { parentId, name: "Gov" });
    await t.db
      .insertInto("subaccount_tags")
      .values([
        { account_id: acme, tag: "EU" },
        { account_id: gov, tag: "Gov" },
      ])
      .execute();
    owner = new PanelClient(t.app);
    await owner.signIn(await seedActiveAdmin(t.database, { accountId: parentId, role: "Owner" }));
    helpDesk = await seedActiveAdmin(t.database, {
      accountId: parentId,
      role: "Help Desk",
      email: "desk@northwind.example",
    });
    await t.db.insertInto("admin_tags").values({ admin_id: helpDesk.id, tag: "EU" }).execute();
    helpDeskClient = new PanelClient(t.app);
    await helpDeskClient.signIn(helpDesk);
  });
  afterAll(() => t.close());

  it("R-AUD-2, R-TAG-2: any admin asks why they cannot; the answer names the rule and the facts", async () => {
    const response = await helpDeskClient.post("/api/explain", {
      action: "users:view",
      account_id: gov,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ allow: false, rule: "R-TAG-2" });
    expect(body.reason).toContain(
      'You cannot open Gov: it is tagged "Gov", and your access tags are "EU".',
    );
    // Issue 13 item 7: the rule is a field of its own, never part of the sentences.
    expect(body.reason).not.toMatch(/R-[A-Z]+-\d/);
    for (const fact of body.facts) expect(fact).not.toMatch(/R-[A-Z]+-\d/);
    expect(body.facts[0]).toContain("desk@northwind.example is a parent-level administrator");
    expect(body.facts).toContain("Cannot open Gov: no access tag in common.");
    expect(body.facts.at(-1)).toBe(`Denied: ${body.reason}`);

    const role = await helpDeskClient.post("/api/explain", { action: "users:create" });
    expect(role.json()).toMatchObject({ allow: false, rule: "R-ROLE-3" });
    expect(role.json().facts.join("\n")).toContain(
      'To create a user is part of "Manage users and directory sync"; Help Desk administrators have only part of it.',
    );

    const allowed = await helpDeskClient.post("/api/explain", {
      action: "users:view",
      account_id: acme,
    });
    expect(allowed.json()).toMatchObject({ allow: true, rule: "R-SUB-1" });
  });

  it("R-UNIT-4, R-SUB-6: the answer says whether the admin acts under administrative units there, so pages need not read its wording", async () => {
    const group = await insertGroup(t.db, parentId, "EU staff");
    const unit = await insertScopedUnit(t.db, parentId, { name: "EU", groupIds: [group] });
    const restricted = await signInAdmin(t, parentId, { role: "User Manager", unitIds: [unit] });
    const atHome = await restricted.client.post("/api/explain", { action: "users:create" });
    expect(atHome.json()).toMatchObject({ allow: true, restricted_to_units: true });
    // Units belong to one account: in a subaccount the same admin acts on everything (R-SUB-6).
    const inSubaccount = await restricted.client.post("/api/explain", {
      action: "users:create",
      account_id: acme,
    });
    expect(inSubaccount.json()).toMatchObject({ restricted_to_units: false });
    const global = await helpDeskClient.post("/api/explain", { action: "users:view" });
    expect(global.json()).toMatchObject({ allow: true, restricted_to_units: false });
  });

  it("R-AUD-2: several questions in one request get the answers each would get alone, in order", async () => {
    const questions = [
      { action: "users:view", account_id: gov },
      { action: "users:create" },
      { action: "users:view", account_id: acme },
    ];
    const batch = await helpDeskClient.post("/api/decisions", { questions });
    expect(batch.statusCode).toBe(200);
    const alone = await Promise.all(
      questions.map(async (question) =>
        (await helpDeskClient.post("/api/explain", question)).json(),
      ),
    );
    expect(batch.json()).toEqual({ answers: alone });
    expect(alone.map((answer) => answer.rule)).toEqual(["R-TAG-2", "R-ROLE-3", "R-SUB-1"]);

    // One bad question refuses the whole request, naming it.
    const bad = await helpDeskClient.post("/api/decisions", {
      questions: [{ action: "users:view" }, { action: "users:fly" }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe("questions.1.action");
    const empty = await helpDeskClient.post("/api/decisions", { questions: [] });
    expect(empty.statusCode).toBe(400);
  });

  it("R-AUD-2: an object is loaded with its facts; in an account the caller cannot enter, naming one is refused", async () => {
    const group = await insertGroup(t.db, parentId);
    const ok = await helpDeskClient.post("/api/explain", {
      action: "groups:update",
      object: { kind: "group", id: group },
    });
    expect(ok.json()).toMatchObject({ allow: false, rule: "R-ROLE-2" });
    const missing = await helpDeskClient.post("/api/explain", {
      action: "groups:update",
      object: { kind: "group", id: "DGXXXXXXXXXXXXXXXXXX" },
    });
    expect(missing.statusCode).toBe(404);
    const elsewhere = await helpDeskClient.post("/api/explain", {
      action: "groups:update",
      account_id: gov,
      object: { kind: "group", id: group },
    });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.rule).toBe("R-TAG-2");
  });

  it("R-ROLE-5: an Owner explains another admin's decision; other admins may not ask about others", async () => {
    const about = await owner.post("/api/explain", {
      admin_id: helpDesk.id,
      action: "bypass_codes:create",
      account_id: acme,
    });
    expect(about.statusCode).toBe(200);
    expect(about.json()).toMatchObject({ allow: true, rule: "R-SUB-1" });
    expect(about.json().facts[0]).toContain("desk@northwind.example");

    const nosy = await seedActiveAdmin(t.database, { accountId: parentId, role: "Administrator" });
    const nosyClient = new PanelClient(t.app);
    await nosyClient.signIn(nosy);
    const refused = await nosyClient.post("/api/explain", {
      admin_id: helpDesk.id,
      action: "users:view",
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toMatch(/^R-ROLE-/);
  });

  it("an unknown action or field is refused naming it", async () => {
    const unknown = await helpDeskClient.post("/api/explain", { action: "users:fly" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toBe("action");
    const extra = await helpDeskClient.post("/api/explain", { action: "users:view", why: 1 });
    expect(extra.json().error.field).toBe("why");
  });

  it("R-TAG-2, R-SUB-4: simulate reports who would gain and lose access, saves nothing, and is for Owners at the parent", async () => {
    const response = await owner.post("/api/simulate", {
      change: { kind: "admin", adminId: helpDesk.id, tags: ["Gov"] },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.gains).toEqual([
      {
        adminId: helpDesk.id,
        email: "desk@northwind.example",
        accountId: gov,
        accountName: "Gov",
        before: null,
        after: "Help Desk",
        statusBefore: "Active",
        status: "Active",
      },
    ]);
    expect(body.losses).toEqual([
      expect.objectContaining({
        adminId: helpDesk.id,
        accountId: acme,
        before: "Help Desk",
        after: null,
      }),
    ]);
    expect(body.changes).toEqual([]);
    const tags = await t.db
      .selectFrom("admin_tags")
      .select("tag")
      .where("admin_id", "=", helpDesk.id)
      .execute();
    expect(tags.map((r) => r.tag)).toEqual(["EU"]);

    const untag = await owner.post("/api/simulate", {
      change: { kind: "subaccount", accountId: gov, tags: [] },
    });
    expect(untag.json().gains).toContainEqual(
      expect.objectContaining({ adminId: helpDesk.id, accountId: gov, after: "Help Desk" }),
    );

    const refused = await helpDeskClient.post("/api/simulate", {
      change: { kind: "parent", edition: "Free" },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toMatch(/^R-/);
  });

  it("issue 13 item 6, R-SUM-1: a pending admin's tag, role and subaccount role changes preview with their status, not as nothing", async () => {
    const pending = await seedActiveAdmin(t.database, {
      accountId: parentId,
      role: "Help Desk",
      email: "pending@northwind.example",
    });
    await t.db
      .updateTable("admins")
      .set({ status: "Pending Activation" })
      .where("id", "=", pending.id)
      .execute();
    const tagged = await owner.post("/api/simulate", {
      change: { kind: "admin", adminId: pending.id, tags: ["EU"] },
    });
    expect(tagged.statusCode).toBe(200);
    expect(tagged.json().gains).toEqual([
      {
        adminId: pending.id,
        email: "pending@northwind.example",
        accountId: acme,
        accountName: "Acme",
        before: null,
        after: "Help Desk",
        statusBefore: "Pending Activation",
        status: "Pending Activation",
      },
    ]);
    const role = await owner.post("/api/simulate", {
      change: { kind: "admin", adminId: pending.id, role: "User Manager" },
    });
    expect(role.json().changes).toContainEqual(
      expect.objectContaining({
        accountId: parentId,
        before: "Help Desk",
        after: "User Manager",
        status: "Pending Activation",
      }),
    );
    const subRole = await owner.post("/api/simulate", {
      change: { kind: "admin", adminId: pending.id, tags: ["EU"], subaccountRole: "Read-only" },
    });
    expect(subRole.json().gains).toEqual([
      expect.objectContaining({
        accountId: acme,
        after: "Read-only",
        status: "Pending Activation",
      }),
    ]);
    // R-TAG-2a: made Owner, the pending admin will open every subaccount once active.
    const promoted = await owner.post("/api/simulate", {
      change: { kind: "admin", adminId: pending.id, role: "Owner" },
    });
    expect(
      promoted
        .json()
        .gains.map((d: { accountId: string }) => d.accountId)
        .sort(),
    ).toEqual([acme, gov].sort());
  });

  it("simulate validates the change against the engine's ModelChange shape", async () => {
    const wrongKind = await owner.post("/api/simulate", { change: { kind: "planet" } });
    expect(wrongKind.statusCode).toBe(400);
    const extra = await owner.post("/api/simulate", {
      change: { kind: "parent", edition: "Premier", color: "red" },
    });
    expect(extra.statusCode).toBe(400);
    const missing = await owner.post("/api/simulate", {
      change: { kind: "admin", adminId: `DE${"9".repeat(18)}`, role: "Owner" },
    });
    expect(missing.statusCode).toBe(404);
  });
});
