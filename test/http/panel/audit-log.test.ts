import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { newId } from "../../../src/db/ids.js";
import { type AuditEntry, recordAction } from "../../../src/domain/audit.js";
import { type SeededAdmin, seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import {
  insertAccount,
  insertApplication,
  insertGroup,
  insertUnit,
} from "../../helpers/fixtures.js";
import { PanelClient } from "../../helpers/panel-client.js";

interface Item {
  id: string;
  action: string;
  created_at: string;
  object: { kind: string; id: string } | null;
}

describe(`the Administrator Actions log over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let acme: string;
  let gov: string;
  let ownerAdmin: SeededAdmin;
  let owner: PanelClient;

  const system = { kind: "system" } as const;
  const record = (entry: Omit<AuditEntry, "actor"> & { actor?: AuditEntry["actor"] }) =>
    recordAction(t.db, { actor: system, ...entry });
  const signIn = async (accountId: string, role: Role, setup: (id: string) => Promise<void>) => {
    const admin = await seedActiveAdmin(t.database, { accountId, role });
    await setup(admin.id);
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    return { admin, client };
  };
  const actions = (response: { json(): { items: Item[] } }) =>
    response.json().items.map((item) => item.action);

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
    ownerAdmin = await seedActiveAdmin(t.database, {
      accountId: parentId,
      role: "Owner",
      email: "ana.owner@northwind.example",
    });
    owner = new PanelClient(t.app);
    await owner.signIn(ownerAdmin);
  });
  afterAll(() => t.close());

  it("R-AUD-1: filters by actor (id or part of the email), action, object and time", async () => {
    const account = await insertAccount(t.db, { name: "Filter MSP" });
    const me = await seedActiveAdmin(t.database, {
      accountId: account,
      role: "Owner",
      email: "filter.owner@filter.example",
    });
    const client = new PanelClient(t.app);
    await client.signIn(me);
    const actor = { kind: "admin" as const, id: me.id, name: me.email };
    const at = (iso: string, action: string, objectId: string) =>
      t.db
        .insertInto("audit_log")
        .values({
          account_id: account,
          actor_kind: "system",
          actor_id: null,
          actor_name: "System",
          action,
          object_kind: "user",
          object_id: objectId,
          object_name: null,
          before: null,
          after: null,
          rule: null,
          ip: null,
          user_agent: null,
          created_at: new Date(iso),
        })
        .execute();
    await at("2024-01-01T10:00:00Z", "user_create", "DUAAAAAAAAAAAAAAAAA1");
    await at("2024-02-01T10:00:00Z", "user_update", "DUAAAAAAAAAAAAAAAAA1");
    await at("2024-03-01T10:00:00Z", "user_delete", "DUAAAAAAAAAAAAAAAAA2");
    await record({ accountId: account, actor, action: "group_create", after: { name: "Staff" } });

    const byId = await client.get(`/api/audit-log?actor=${me.id}`);
    expect(byId.statusCode).toBe(200);
    // The sign-in itself is logged too (R-AUD-1).
    expect(actions(byId)).toContain("group_create");
    expect(byId.json().items.every((i: { actor: { id: string } }) => i.actor.id === me.id)).toBe(
      true,
    );
    const byEmail = await client.get("/api/audit-log?actor=FILTER.OWNER&action=group_create");
    expect(byEmail.json().items).toEqual([
      expect.objectContaining({
        action: "group_create",
        account_id: account,
        actor: { kind: "admin", id: me.id, name: me.email },
        object: null,
        after: { name: "Staff" },
      }),
    ]);
    expect(actions(await client.get("/api/audit-log?object=DUAAAAAAAAAAAAAAAAA1"))).toEqual([
      "user_update",
      "user_create",
    ]);
    const window = await client.get(
      "/api/audit-log?from=2024-01-15T00:00:00Z&to=2024-03-01T10:00:00Z",
    );
    expect(actions(window)).toEqual(["user_update"]);
    const bad = await client.get("/api/audit-log?from=yesterday");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe("from");
  });

  it("R-AUD-1: keyset pages, newest first, neither skip nor repeat records written in one transaction", async () => {
    const account = await insertAccount(t.db, { name: "Paging MSP" });
    const me = await seedActiveAdmin(t.database, { accountId: account, role: "Owner" });
    const client = new PanelClient(t.app);
    await client.signIn(me);
    await t.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 5; i++)
        await recordAction(tx, { accountId: account, actor: system, action: `step_${i}` });
    });
    const seen: string[] = [];
    const url = "/api/audit-log?limit=2&from=2000-01-01T00:00:00Z";
    let next: string | null = null;
    let pages = 0;
    do {
      const page = await client.get(`${url}${next ? `&after=${next}` : ""}`);
      expect(page.statusCode).toBe(200);
      seen.push(...actions(page));
      next = page.json().next;
      pages++;
    } while (next && pages < 10);
    const steps = seen.filter((a) => a.startsWith("step_"));
    expect(steps).toEqual(["step_4", "step_3", "step_2", "step_1", "step_0"]);
    expect(new Set(seen).size).toBe(seen.length);
    const forged = await client.get("/api/audit-log?after=bm90LWEtY3Vyc29y");
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.field).toBe("after");
    // Shaped like a cursor, but a day PostgreSQL refuses: a 400, never a 500.
    for (const time of ["2024-02-30T10:00:00.000000Z", "0000-01-01T00:00:00.000000Z"]) {
      const impossible = Buffer.from(JSON.stringify([time, "1"])).toString("base64url");
      const response = await client.get(`/api/audit-log?after=${impossible}`);
      expect([time, response.statusCode]).toEqual([time, 400]);
    }
  });

  it("R-TAG-2, R-ROLE-3: a subaccount's log for those who can access it; refused elsewhere and to Billing", async () => {
    await record({ accountId: acme, action: "user_create", object: { kind: "user", id: "DU1" } });
    await record({ accountId: gov, action: "user_create", object: { kind: "user", id: "DU2" } });
    const { client } = await signIn(parentId, "Help Desk", async (id) => {
      await t.db.insertInto("admin_tags").values({ admin_id: id, tag: "EU" }).execute();
    });
    const mine = await client.get(`/api/audit-log?account=${acme}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.map((i: Item) => i.object?.id)).toEqual(["DU1"]);
    const theirs = await client.get(`/api/audit-log?account=${gov}`);
    expect(theirs.statusCode).toBe(403);
    expect(theirs.json().error.rule).toBe("R-TAG-2");
    const billing = await signIn(parentId, "Billing", async () => {});
    const refused = await billing.client.get("/api/audit-log");
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toBe("R-ROLE-2");
  });

  it("R-AUD-1: the CSV streams the same filter", async () => {
    await record({
      accountId: parentId,
      actor: { kind: "admin", id: ownerAdmin.id, name: ownerAdmin.email },
      action: "admin_update",
      object: { kind: "admin", id: ownerAdmin.id, name: "=cmd()" },
      before: { role: "Help Desk" },
      after: { role: "Owner" },
    });
    const response = await owner.get("/api/audit-log.csv?action=admin_update");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(
      /^attachment; filename="administrator-actions-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = response.body.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "time,account_id,actor_kind,actor_id,actor,action,object_kind,object_id,object,before,after,rule,ip,user_agent",
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(
      `,admin,${ownerAdmin.id},ana.owner@northwind.example,admin_update,admin,${ownerAdmin.id},'=cmd(),"{""role"":""Help Desk""}","{""role"":""Owner""}",,,`,
    );
    const json = await owner.get("/api/audit-log?action=admin_update");
    expect(json.json().items).toHaveLength(1);
  });

  it("R-UNIT-8g: a restricted admin sees only records about objects of their units; the CSV hides the rest too", async () => {
    const inGroup = await insertGroup(t.db, parentId);
    const outGroup = await insertGroup(t.db, parentId);
    const inApp = await insertApplication(t.db, t.database.secrets, { accountId: parentId });
    const outApp = await insertApplication(t.db, t.database.secrets, { accountId: parentId });
    const inUser = newId("user");
    const outUser = newId("user");
    await t.db
      .insertInto("users")
      .values([
        { id: inUser, account_id: parentId, username: "in.user" },
        { id: outUser, account_id: parentId, username: "out.user" },
      ])
      .execute();
    await t.db
      .insertInto("group_members")
      .values([
        { group_id: inGroup, user_id: inUser, account_id: parentId },
        { group_id: outGroup, user_id: outUser, account_id: parentId },
      ])
      .execute();
    const unit = await insertUnit(t.db, parentId);
    await t.db
      .updateTable("admin_units")
      .set({ all_groups: false, all_applications: false })
      .where("id", "=", unit)
      .execute();
    await t.db
      .insertInto("admin_unit_groups")
      .values({ unit_id: unit, group_id: inGroup, account_id: parentId })
      .execute();
    await t.db
      .insertInto("admin_unit_applications")
      .values({ unit_id: unit, application_id: inApp, account_id: parentId })
      .execute();
    const objects = [
      ["user", inUser],
      ["user", outUser],
      ["group", inGroup],
      ["group", outGroup],
      ["application", inApp],
      ["application", outApp],
      ["admin", ownerAdmin.id],
    ] as const;
    for (const [kind, id] of objects)
      await record({ accountId: parentId, action: "scope_probe", object: { kind, id } });
    await record({ accountId: parentId, action: "scope_probe" });

    const { admin, client } = await signIn(parentId, "User Manager", async (id) => {
      await t.db
        .updateTable("admins")
        .set({ restricted_by_units: true })
        .where("id", "=", id)
        .execute();
      await t.db
        .insertInto("admin_unit_admins")
        .values({ unit_id: unit, admin_id: id, account_id: parentId })
        .execute();
    });
    const restricted = await client.get("/api/audit-log?action=scope_probe");
    expect(restricted.statusCode).toBe(200);
    const visible = restricted.json().items.map((i: Item) => i.object?.id);
    expect(visible.sort()).toEqual([inUser, inGroup, inApp].sort());
    // Not even the admin's own sign-in shows: it is about an administrator, outside the units.
    const ownSignIn = `/api/audit-log?action=admin_login&object=${admin.id}`;
    expect((await owner.get(ownSignIn)).json().items).toHaveLength(1);
    expect((await client.get(ownSignIn)).json().items).toEqual([]);
    const csv = await client.get("/api/audit-log.csv?action=scope_probe");
    const rows = csv.body.trimEnd().split("\r\n").slice(1);
    expect(rows).toHaveLength(3);
    expect(csv.body).not.toContain(outUser);
    expect(csv.body).not.toContain(outApp);

    const global = await owner.get("/api/audit-log?action=scope_probe");
    expect(global.json().items).toHaveLength(8);
  });
});
