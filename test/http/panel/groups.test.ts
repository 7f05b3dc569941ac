import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { newId } from "../../../src/db/ids.js";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`the Groups pages over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let owner: PanelClient;

  const signIn = (role: Role, restrictedTo?: string[]) =>
    signInAdmin(t, parentId, { role, unitIds: restrictedTo });
  /** A unit managing exactly the given groups. */
  const insertUnit = (name: string, groupIds: string[] = []) =>
    insertScopedUnit(t.db, parentId, { name, groupIds: groupIds });
  const createGroup = async (client: PanelClient, body: object) => {
    const response = await client.post("/api/groups", body);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { id: string; name: string };
  };
  const createUser = async (username: string, group_ids: string[] = []) => {
    const response = await owner.post("/api/users", { username, group_ids });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { id: string };
  };
  const member = (client: PanelClient, method: "POST" | "DELETE", group: string, user: string) =>
    client.request({ method, url: `/api/groups/${group}/members/${user}`, body: {} });
  const logOf = (objectId: string) =>
    t.db
      .selectFrom("audit_log")
      .select(["action", "before", "after"])
      .where("object_id", "=", objectId)
      .orderBy("id")
      .execute();

  beforeAll(async () => {
    t = await buildTestApp();
    parentId = await insertAccount(t.db, { name: "Northwind" });
    owner = new PanelClient(t.app);
    await owner.signIn(await seedActiveAdmin(t.database, { accountId: parentId, role: "Owner" }));
  });
  afterAll(() => t.close());

  it("an Owner creates, edits and deletes a group; each change writes one audit record with before and after", async () => {
    const group = await createGroup(owner, { name: "Sales", description: "EMEA sales" });
    expect(group).toMatchObject({ name: "Sales", status: "active", member_count: 0 });
    expect((await owner.get(`/api/groups/${group.id}`)).json()).toEqual(group);
    const edited = await owner.request({
      method: "PATCH",
      url: `/api/groups/${group.id}`,
      body: { name: "Sales EMEA", status: "bypass" },
    });
    expect(edited.json()).toMatchObject({ name: "Sales EMEA", status: "bypass" });
    const duplicate = await owner.post("/api/groups", { name: "sales emea" });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.field).toBe("name");
    expect(
      (await owner.request({ method: "DELETE", url: `/api/groups/${group.id}` })).statusCode,
    ).toBe(200);
    expect((await owner.get(`/api/groups/${group.id}`)).statusCode).toBe(404);
    const log = await logOf(group.id);
    expect(log.map((r) => r.action)).toEqual(["group_create", "group_update", "group_delete"]);
    expect(log[1]).toMatchObject({
      before: { name: "Sales", status: "active" },
      after: { name: "Sales EMEA", status: "bypass" },
    });
  });

  it("R-UNIT-6: a group created by a restricted admin joins all of that admin's units", async () => {
    const unitA = await insertUnit("Unit A");
    const unitB = await insertUnit("Unit B");
    const { client } = await signIn("User Manager", [unitA, unitB]);
    const group = await createGroup(client, { name: "Made by restricted" });
    const rows = await t.db
      .selectFrom("admin_unit_groups")
      .select("unit_id")
      .where("group_id", "=", group.id)
      .orderBy("unit_id")
      .execute();
    expect(rows.map((r) => r.unit_id)).toEqual([unitA, unitB].sort());
    // The new group is in scope at once: listed, readable, editable.
    expect((await client.get("/api/groups")).json().items.map((g: { id: string }) => g.id)).toEqual(
      [group.id],
    );
    expect((await client.get(`/api/groups/${group.id}`)).statusCode).toBe(200);
    const log = await logOf(group.id);
    expect(log[0]?.after).toMatchObject({ unit_ids: [unitA, unitB] });
    // A global admin's group joins no unit.
    const global = await createGroup(owner, { name: "Made by owner" });
    const none = await t.db
      .selectFrom("admin_unit_groups")
      .select("unit_id")
      .where("group_id", "=", global.id)
      .execute();
    expect(none).toEqual([]);
  });

  it("R-UNIT-8b: a restricted admin lists only their units' groups, and gets 404 for the others", async () => {
    const inside = await createGroup(owner, { name: "Scoped inside" });
    const outside = await createGroup(owner, { name: "Scoped outside" });
    const unit = await insertUnit("Scoped unit", [inside.id]);
    const { client } = await signIn("User Manager", [unit]);
    const list = await client.get("/api/groups?search=scoped");
    expect(list.json().items.map((g: { id: string }) => g.id)).toEqual([inside.id]);
    expect((await client.get(`/api/groups/${outside.id}`)).statusCode).toBe(404);
    const edit = await client.request({
      method: "PATCH",
      url: `/api/groups/${outside.id}`,
      body: { name: "Taken over" },
    });
    expect(edit.statusCode).toBe(404);
    const removed = await client.request({ method: "DELETE", url: `/api/groups/${outside.id}` });
    expect(removed.statusCode).toBe(404);
    expect((await owner.get(`/api/groups/${outside.id}`)).json().name).toBe("Scoped outside");
  });

  it("R-UNIT-8b: a restricted admin changes memberships only for in-scope users; each change writes one record", async () => {
    const groupA = await createGroup(owner, { name: "Members A" });
    const groupB = await createGroup(owner, { name: "Members B" });
    const elsewhere = await createGroup(owner, { name: "Members elsewhere" });
    const unit = await insertUnit("Members unit", [groupA.id, groupB.id]);
    const inScope = await createUser("member-in", [groupA.id]);
    const outOfScope = await createUser("member-out", [elsewhere.id]);
    const { client } = await signIn("User Manager", [unit]);

    const added = await member(client, "POST", groupB.id, inScope.id);
    expect(added.statusCode, added.body).toBe(200);
    expect((await member(client, "POST", groupB.id, inScope.id)).statusCode).toBe(409);
    expect((await client.get(`/api/groups/${groupB.id}`)).json().member_count).toBe(1);
    const refused = await member(client, "POST", groupB.id, outOfScope.id);
    expect(refused.statusCode).toBe(404);
    expect((await member(client, "POST", elsewhere.id, inScope.id)).statusCode).toBe(404);
    const removed = await member(client, "DELETE", groupB.id, inScope.id);
    expect(removed.statusCode).toBe(200);
    expect((await member(client, "DELETE", groupB.id, inScope.id)).statusCode).toBe(404);
    const user = (await owner.get(`/api/users/${outOfScope.id}`)).json();
    expect(user.groups.map((g: { id: string }) => g.id)).toEqual([elsewhere.id]);
    const log = await logOf(groupB.id);
    expect(log.map((r) => r.action)).toEqual([
      "group_create",
      "group_member_add",
      "group_member_remove",
    ]);
    expect(log[1]?.after).toMatchObject({ user_id: inScope.id, username: "member-in" });
  });

  it("R-ROLE-2: Help Desk may view groups but not create, edit or delete them; nothing changes", async () => {
    const group = await createGroup(owner, { name: "Help Desk target" });
    const { client } = await signIn("Help Desk");
    expect((await client.get(`/api/groups/${group.id}`)).statusCode).toBe(200);
    const created = await client.post("/api/groups", { name: "Help Desk group" });
    expect(created.statusCode).toBe(403);
    expect(created.json().error.rule).toBe("R-ROLE-2");
    const edited = await client.request({
      method: "PATCH",
      url: `/api/groups/${group.id}`,
      body: { name: "Renamed" },
    });
    expect(edited.json().error.rule).toBe("R-ROLE-2");
    const user = await createUser("helpdesk-member");
    const added = await member(client, "POST", group.id, user.id);
    expect(added.json().error.rule).toBe("R-ROLE-2");
    expect((await owner.get("/api/groups?search=Help%20Desk")).json().items).toHaveLength(1);
    expect((await logOf(group.id)).map((r) => r.action)).toEqual(["group_create"]);
  });

  it("the list pages by name over more than one page, without skipping or repeating", async () => {
    const names = ["Page E", "Page A", "Page D", "Page C", "Page B"];
    for (const name of names) await createGroup(owner, { name });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/groups?search=page&limit=2${after ? `&after=${after}` : ""}`;
      const page = (await owner.get(query)).json();
      seen.push(...page.items.map((g: { name: string }) => g.name));
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual([...names].sort());
  });

  it("R-TEN-2: a group id from another account is 404", async () => {
    const otherId = await insertAccount(t.db, { name: "Other" });
    const foreign = newId("group");
    await t.db
      .insertInto("groups")
      .values({ id: foreign, account_id: otherId, name: "Foreign group" })
      .execute();
    expect((await owner.get(`/api/groups/${foreign}`)).statusCode).toBe(404);
    const edit = await owner.request({
      method: "PATCH",
      url: `/api/groups/${foreign}`,
      body: { name: "Mine now" },
    });
    expect(edit.statusCode).toBe(404);
    expect(
      (await owner.request({ method: "DELETE", url: `/api/groups/${foreign}` })).statusCode,
    ).toBe(404);
    const user = await createUser("foreign-member");
    expect((await member(owner, "POST", foreign, user.id)).statusCode).toBe(404);
    expect((await owner.get("/api/groups?search=Foreign")).json().items).toEqual([]);
  });
});
