import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { newId } from "../../../src/db/ids.js";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { signInAdmin } from "../../helpers/panel-admins.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`the Users pages over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let owner: PanelClient;
  let inScopeGroup: string;
  let outOfScopeGroup: string;
  let unitId: string;

  const signIn = (role: Role, restrictedTo?: string[]) =>
    signInAdmin(t, parentId, { role, unitIds: restrictedTo });
  const patch = (client: PanelClient, id: string, body: object) =>
    client.request({ method: "PATCH", url: `/api/users/${id}`, body });
  const remove = (client: PanelClient, id: string) =>
    client.request({ method: "DELETE", url: `/api/users/${id}` });
  const createUser = async (body: object) => {
    const response = await owner.post("/api/users", body);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { id: string; username: string };
  };
  const logOf = (actorId: string) =>
    t.db
      .selectFrom("audit_log")
      .select(["action", "object_id", "before", "after", "rule"])
      .where("actor_id", "=", actorId)
      .where("action", "<>", "admin_login")
      .orderBy("id")
      .execute();

  beforeAll(async () => {
    t = await buildTestApp();
    parentId = await insertAccount(t.db, { name: "Northwind" });
    const seeded = await seedActiveAdmin(t.database, { accountId: parentId, role: "Owner" });
    owner = new PanelClient(t.app);
    await owner.signIn(seeded);
    inScopeGroup = (await owner.post("/api/groups", { name: "Engineering" })).json().id;
    outOfScopeGroup = (await owner.post("/api/groups", { name: "Finance" })).json().id;
    unitId = newId("unit");
    await t.db
      .insertInto("admin_units")
      .values({
        id: unitId,
        account_id: parentId,
        name: "Engineering unit",
        all_groups: false,
        all_applications: false,
      })
      .execute();
    await t.db
      .insertInto("admin_unit_groups")
      .values({ unit_id: unitId, group_id: inScopeGroup, account_id: parentId })
      .execute();
  });
  afterAll(() => t.close());

  it("an Owner creates, reads, edits and deletes a user; each change writes one audit record with before and after", async () => {
    const created = await owner.post("/api/users", {
      username: "ana",
      real_name: "Ana Lima",
      email: "ana@example.com",
      notes: "VIP",
      group_ids: [inScopeGroup],
    });
    expect(created.statusCode, created.body).toBe(200);
    const user = created.json();
    expect(user).toMatchObject({
      username: "ana",
      real_name: "Ana Lima",
      email: "ana@example.com",
      notes: "VIP",
      status: "active",
      groups: [{ id: inScopeGroup, name: "Engineering" }],
    });
    expect((await owner.get(`/api/users/${user.id}`)).json()).toEqual(user);
    const edited = await patch(owner, user.id, { real_name: "Ana M. Lima", status: "disabled" });
    expect(edited.json()).toMatchObject({ real_name: "Ana M. Lima", status: "disabled" });
    expect((await remove(owner, user.id)).statusCode).toBe(200);
    expect((await owner.get(`/api/users/${user.id}`)).statusCode).toBe(404);
    const log = await t.db
      .selectFrom("audit_log")
      .select(["action", "before", "after"])
      .where("object_id", "=", user.id)
      .orderBy("id")
      .execute();
    expect(log.map((r) => r.action)).toEqual(["user_create", "user_update", "user_delete"]);
    expect(log[0]?.after).toMatchObject({ username: "ana", group_ids: [inScopeGroup] });
    expect(log[1]).toMatchObject({
      before: { real_name: "Ana Lima", status: "active" },
      after: { real_name: "Ana M. Lima", status: "disabled" },
    });
    expect(log[2]?.before).toMatchObject({ username: "ana", status: "disabled" });
  });

  it("R-ROLE-3: Help Desk may change a user's full name but not the username", async () => {
    const user = await createUser({ username: "bruno", real_name: "Bruno" });
    const { client, id } = await signIn("Help Desk");
    const renamed = await patch(client, user.id, { real_name: "Bruno Costa", username: "bruno" });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ real_name: "Bruno Costa", username: "bruno" });
    const refused = await patch(client, user.id, { username: "bcosta" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toBe("R-ROLE-3");
    const aliases = await patch(client, user.id, { aliases: ["bc"] });
    expect(aliases.json().error.rule).toBe("R-ROLE-3");
    expect((await owner.get(`/api/users/${user.id}`)).json()).toMatchObject({
      username: "bruno",
      aliases: [],
    });
    const denied = (await logOf(id)).filter((r) => r.action === "access_denied");
    expect(denied.map((r) => (r.after as { action: string }).action)).toEqual([
      "users:update_username",
      "users:update_username",
    ]);
  });

  it("R-ROLE-3, R-ROLE-4: Help Desk may unlock a locked-out user but not put one in bypass or set another status", async () => {
    const user = await createUser({ username: "carla" });
    await t.db
      .updateTable("users")
      .set({ status: "locked out" })
      .where("id", "=", user.id)
      .execute();
    const { client } = await signIn("Help Desk");
    const bypass = await patch(client, user.id, { status: "bypass" });
    expect(bypass.statusCode).toBe(403);
    expect(bypass.json().error.rule).toBe("R-ROLE-3");
    const unlocked = await patch(client, user.id, { status: "active" });
    expect(unlocked.statusCode, unlocked.body).toBe(200);
    expect(unlocked.json().status).toBe("active");
    const disabled = await patch(client, user.id, { status: "disabled" });
    expect(disabled.json().error.rule).toBe("R-ROLE-3");
    const manager = await signIn("User Manager");
    expect((await patch(manager.client, user.id, { status: "bypass" })).json().status).toBe(
      "bypass",
    );
  });

  it("R-ROLE-2, R-ROLE-3: Help Desk cannot create or delete a user; the refusal names the rule, changes nothing and writes no success record", async () => {
    const user = await createUser({ username: "dora" });
    const { client, id } = await signIn("Help Desk");
    const deleted = await remove(client, user.id);
    expect(deleted.statusCode).toBe(403);
    expect(deleted.json().error.rule).toBe("R-ROLE-3");
    expect(deleted.json().error.reason).toContain("delete a user");
    const created = await client.post("/api/users", { username: "eve" });
    expect(created.statusCode).toBe(403);
    expect(created.json().error.rule).toBe("R-ROLE-3");
    expect((await owner.get(`/api/users/${user.id}`)).statusCode).toBe(200);
    expect((await owner.get("/api/users?search=eve")).json().items).toEqual([]);
    expect((await logOf(id)).map((r) => r.action)).toEqual(["access_denied", "access_denied"]);
  });

  it("a refused edit changes nothing, not even the fields that were allowed", async () => {
    const user = await createUser({ username: "fabio", real_name: "Fabio" });
    const { client, id } = await signIn("Help Desk");
    const refused = await patch(client, user.id, { real_name: "Fábio", username: "fabio2" });
    expect(refused.statusCode).toBe(403);
    expect((await owner.get(`/api/users/${user.id}`)).json()).toMatchObject({
      real_name: "Fabio",
      username: "fabio",
    });
    expect((await logOf(id)).map((r) => r.action)).toEqual(["access_denied"]);
    const clash = await patch(owner, user.id, { username: "FABIO" });
    expect(clash.statusCode).toBe(200);
    const taken = await owner.post("/api/users", { username: "Fabio" });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.field).toBe("username");
  });

  it("R-UNIT-8a: a restricted admin lists only users of their units' groups, and gets 404 for the others", async () => {
    const inside = await createUser({ username: "unit-in", group_ids: [inScopeGroup] });
    const both = await createUser({
      username: "unit-both",
      group_ids: [inScopeGroup, outOfScopeGroup],
    });
    const outside = await createUser({ username: "unit-out", group_ids: [outOfScopeGroup] });
    const loose = await createUser({ username: "unit-none" });
    const { client } = await signIn("User Manager", [unitId]);
    const list = await client.get("/api/users?search=unit-");
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((u: { id: string }) => u.id)).toEqual([both.id, inside.id]);
    // R-UNIT-8b: the groups shown are only the in-scope ones.
    expect(list.json().items[0].groups).toEqual([{ id: inScopeGroup, name: "Engineering" }]);
    expect((await client.get("/api/users?search=unit-out")).json().items).toEqual([]);
    for (const hidden of [outside, loose]) {
      const got = await client.get(`/api/users/${hidden.id}`);
      expect(got.statusCode).toBe(404);
      expect(got.json().error.code).toBe("not_found");
      expect((await patch(client, hidden.id, { real_name: "x" })).statusCode).toBe(404);
      expect((await remove(client, hidden.id)).statusCode).toBe(404);
    }
    expect((await client.get(`/api/users/${inside.id}`)).statusCode).toBe(200);
    expect((await remove(client, inside.id)).statusCode).toBe(200);
  });

  it("R-UNIT-8b: the list filters by group; a group outside the caller's units is not found, and says nothing of its members", async () => {
    const member = await createUser({ username: "member-eng", group_ids: [inScopeGroup] });
    const both = await createUser({
      username: "member-both",
      group_ids: [inScopeGroup, outOfScopeGroup],
    });
    await createUser({ username: "member-fin", group_ids: [outOfScopeGroup] });
    const ids = (body: { items: { id: string }[] }) => body.items.map((u) => u.id);
    const byGroup = await owner.get(`/api/users?search=member-&group_id=${inScopeGroup}`);
    expect(byGroup.statusCode).toBe(200);
    expect(ids(byGroup.json())).toEqual([both.id, member.id]);

    const { client } = await signIn("User Manager", [unitId]);
    const inside = await client.get(`/api/users?search=member-&group_id=${inScopeGroup}`);
    expect(ids(inside.json())).toEqual([both.id, member.id]);
    const outside = await client.get(`/api/users?search=member-&group_id=${outOfScopeGroup}`);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.code).toBe("not_found");
    const malformed = await client.get("/api/users?group_id=finance");
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.field).toBe("group_id");
  });

  it("R-UNIT-8a: a restricted admin's new user must be put in at least one in-scope group, and only such", async () => {
    const { client, id } = await signIn("User Manager", [unitId]);
    for (const group_ids of [undefined, [], [outOfScopeGroup], [inScopeGroup, outOfScopeGroup]]) {
      const refused = await client.post("/api/users", { username: "scoped-new", group_ids });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.rule).toBe("R-UNIT-8a");
    }
    expect((await owner.get("/api/users?search=scoped-new")).json().items).toEqual([]);
    const made = await client.post("/api/users", {
      username: "scoped-new",
      group_ids: [inScopeGroup],
    });
    expect(made.statusCode, made.body).toBe(200);
    expect((await logOf(id)).map((r) => r.action)).toEqual([
      "access_denied",
      "access_denied",
      "access_denied",
      "access_denied",
      "user_create",
    ]);
  });

  it("R-ROLE-3: Application Manager sees name, username and status, not email or notes", async () => {
    await createUser({ username: "gil", email: "gil@example.com", notes: "secret-ish" });
    const { client } = await signIn("Application Manager");
    const list = await client.get("/api/users?search=gil");
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0]).not.toHaveProperty("email");
    expect(list.json().items[0]).not.toHaveProperty("notes");
    expect((await client.get("/api/users?search=gil@example")).json().items).toEqual([]);
  });

  it("the list pages by username over more than one page, without skipping or repeating", async () => {
    const names = ["page-e", "page-a", "page-d", "page-c", "page-b"];
    for (const username of names) await createUser({ username });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/users?search=page-&limit=2${after ? `&after=${after}` : ""}`;
      const page = (await owner.get(query)).json();
      seen.push(...page.items.map((u: { username: string }) => u.username));
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual([...names].sort());
    expect((await owner.get("/api/users?after=garbage")).json().error.field).toBe("after");
  });

  it("R-TEN-2: a user or group id from another account is 404", async () => {
    const otherId = await insertAccount(t.db, { name: "Other" });
    const foreign = newId("user");
    await t.db
      .insertInto("users")
      .values({ id: foreign, account_id: otherId, username: "foreign" })
      .execute();
    const foreignGroup = newId("group");
    await t.db
      .insertInto("groups")
      .values({ id: foreignGroup, account_id: otherId, name: "Foreign" })
      .execute();
    expect((await owner.get(`/api/users/${foreign}`)).statusCode).toBe(404);
    expect((await patch(owner, foreign, { real_name: "x" })).statusCode).toBe(404);
    expect((await remove(owner, foreign)).statusCode).toBe(404);
    expect((await owner.get("/api/users?search=foreign")).json().items).toEqual([]);
    const intoForeign = await owner.post("/api/users", {
      username: "into-foreign",
      group_ids: [foreignGroup],
    });
    expect(intoForeign.statusCode).toBe(400);
    expect(intoForeign.json().error.field).toBe("group_ids");
    const unknownField = await owner.post("/api/users", { username: "x", role: "Owner" });
    expect(unknownField.json().error.field).toBe("role");
  });
});
