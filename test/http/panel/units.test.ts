import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertApplication, insertGroup } from "../../helpers/fixtures.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`administrative units over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let otherAccountId: string;
  let owner: PanelClient;
  let ownerId: string;
  const groups: string[] = [];
  const apps: string[] = [];
  let foreignGroup: string;

  beforeAll(async () => {
    t = await buildTestApp({ throttle: { attemptsPerWindow: 1000, windowSeconds: 60 } });
    parentId = await insertAccount(t.db, { name: "Contoso", edition: "Premier" });
    otherAccountId = await insertAccount(t.db, { name: "Elsewhere", edition: "Premier" });
    const seeded = await seedActiveAdmin(t.database, { accountId: parentId, role: "Owner" });
    ownerId = seeded.id;
    owner = new PanelClient(t.app);
    await owner.signIn(seeded);
    for (let i = 0; i < 3; i++) groups.push(await insertGroup(t.db, parentId));
    for (let i = 0; i < 3; i++)
      apps.push(await insertApplication(t.db, t.database.secrets, { accountId: parentId }));
    foreignGroup = await insertGroup(t.db, otherAccountId);
  });
  afterAll(() => t.close());

  const g = (i: number) => groups[i] as string;
  const a = (i: number) => apps[i] as string;
  const create = (client: PanelClient, body: object) => client.post("/api/units", body);
  const patch = (client: PanelClient, id: string, body: object) =>
    client.request({ method: "PATCH", url: `/api/units/${id}`, body });
  const remove = (client: PanelClient, id: string) =>
    client.request({ method: "DELETE", url: `/api/units/${id}` });
  const signedIn = async (
    role: "Administrator" | "User Manager" | "Owner",
    accountId = parentId,
  ) => {
    const admin = await seedActiveAdmin(t.database, { accountId, role });
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    return { id: admin.id, client };
  };
  const records = (action: string, objectId?: string) => {
    let query = t.db.selectFrom("audit_log").selectAll().where("action", "=", action);
    if (objectId) query = query.where("object_id", "=", objectId);
    return query.orderBy("id").execute();
  };
  const unitCount = async () =>
    Number(
      (
        await t.db
          .selectFrom("admin_units")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const adminRow = (id: string) =>
    t.db
      .selectFrom("admins")
      .select(["restricted_by_units"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
  const unitsOf = async (adminId: string) =>
    (
      await t.db
        .selectFrom("admin_unit_admins")
        .select("unit_id")
        .where("admin_id", "=", adminId)
        .orderBy("unit_id")
        .execute()
    ).map((row) => row.unit_id);

  it("R-UNIT-1: a non-Owner is refused with the rule; R-PLAN-3: so is an Owner on the Free edition; nothing is created", async () => {
    const before = await unitCount();
    const administrator = await signedIn("Administrator");
    const refused = await create(administrator.client, { name: "By an Administrator" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toBe("R-ROLE-2");
    expect((await administrator.client.get("/api/units")).statusCode).toBe(403);

    const freeId = await insertAccount(t.db, { name: "Free Co", edition: "Free" });
    const freeOwner = await signedIn("Owner", freeId);
    const free = await create(freeOwner.client, { name: "On Free" });
    expect(free.statusCode).toBe(403);
    expect(free.json().error.rule).toBe("R-PLAN-3");
    expect(await unitCount()).toBe(before);
    expect(await records("admin_unit_create")).toEqual([]);
  });

  it("R-UNIT-2: a unit has a name, a description, admins, and 'all' or chosen groups and applications; each change writes one record", async () => {
    const created = await create(owner, {
      name: "  Finance  ",
      description: "Finance staff",
      group_ids: [g(1), g(0), g(0)],
      all_applications: true,
    });
    expect(created.statusCode).toBe(200);
    const unit = created.json();
    expect(unit).toMatchObject({
      name: "Finance",
      description: "Finance staff",
      all_groups: false,
      all_applications: true,
      group_ids: [g(0), g(1)].sort(),
      application_ids: [],
      admin_ids: [],
      counts: { groups: 2, applications: apps.length, admins: 0 },
    });
    expect((await owner.get(`/api/units/${unit.id}`)).json()).toEqual(unit);
    const listed = await owner.get("/api/units?search=finan");
    expect(listed.json()).toEqual({ items: [unit], next: null });

    const all = await patch(owner, unit.id, { all_groups: true, application_ids: [a(2)] });
    expect(all.statusCode).toBe(200);
    expect(all.json()).toMatchObject({
      all_groups: true,
      group_ids: [],
      all_applications: false,
      application_ids: [a(2)],
      counts: { groups: groups.length, applications: 1 },
    });
    const links = await t.db
      .selectFrom("admin_unit_groups")
      .select("group_id")
      .where("unit_id", "=", unit.id)
      .execute();
    expect(links).toEqual([]);

    const log = await records("admin_unit_update", unit.id);
    expect(log).toHaveLength(1);
    expect(log[0]?.before).toMatchObject({ all_groups: false, group_ids: [g(0), g(1)].sort() });
    expect(log[0]?.after).toMatchObject({
      all_groups: true,
      group_ids: [],
      application_ids: [a(2)],
    });
    expect(await records("admin_unit_create", unit.id)).toHaveLength(1);

    const both = await create(owner, { name: "Both", all_groups: true, group_ids: [g(0)] });
    expect(both.json().error).toMatchObject({ code: "invalid", field: "group_ids" });
    const unknown = await create(owner, { name: "Colour", colour: "red" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toBe("colour");
    const same = await create(owner, { name: "FINANCE" });
    expect(same.json().error).toMatchObject({ code: "conflict", field: "name" });
    const long = await create(owner, { name: "Long", description: "x".repeat(501) });
    expect(long.json().error).toMatchObject({ code: "invalid", field: "description" });
  });

  it("R-UNIT-3: an application already in another unit is a conflict naming the field and that unit; a group may be in many", async () => {
    const first = (
      await create(owner, { name: "Apps One", application_ids: [a(0)], group_ids: [g(2)] })
    ).json();
    const second = await create(owner, {
      name: "Apps Two",
      application_ids: [a(1), a(0)],
      group_ids: [g(2)],
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toMatchObject({
      code: "conflict",
      rule: "R-UNIT-3",
      field: "application_ids",
    });
    expect(second.json().error.message).toContain("Apps One");
    expect(second.json().error.message).toContain(first.id);
    const fine = await create(owner, {
      name: "Apps Two",
      application_ids: [a(1)],
      group_ids: [g(2)],
    });
    expect(fine.statusCode).toBe(200);
    // Moving it into the second unit is refused too; editing the first keeps it there.
    const moved = await patch(owner, fine.json().id, { application_ids: [a(0), a(1)] });
    expect(moved.json().error).toMatchObject({ rule: "R-UNIT-3", field: "application_ids" });
    expect((await patch(owner, first.id, { application_ids: [a(0)] })).statusCode).toBe(200);
  });

  it("R-UNIT-4: assigning a global admin to a unit restricts them to it", async () => {
    const manager = await signedIn("User Manager");
    expect((await manager.client.get(`/api/groups/${g(2)}`)).statusCode).toBe(200);
    expect((await adminRow(manager.id)).restricted_by_units).toBe(false);

    const unit = (
      await create(owner, { name: "Helpdesk scope", group_ids: [g(0)], admin_ids: [manager.id] })
    ).json();
    expect(unit.admin_ids).toEqual([manager.id]);
    expect((await adminRow(manager.id)).restricted_by_units).toBe(true);
    expect(await unitsOf(manager.id)).toEqual([unit.id]);
    const log = await records("admin_unit_create", unit.id);
    expect(log[0]?.after).toMatchObject({
      admin_ids: [manager.id],
      restricted_admin_ids: [manager.id],
    });

    expect((await manager.client.get(`/api/groups/${g(0)}`)).statusCode).toBe(200);
    expect([403, 404]).toContain((await manager.client.get(`/api/groups/${g(2)}`)).statusCode);
  });

  it("R-UNIT-5: deleting an admin's last unit leaves them restricted with nothing; another unit keeps what it gives", async () => {
    const lone = await signedIn("User Manager");
    const both = await signedIn("User Manager");
    const kept = (
      await create(owner, { name: "Kept", group_ids: [g(1)], admin_ids: [both.id] })
    ).json();
    const doomed = (
      await create(owner, { name: "Doomed", group_ids: [g(0)], admin_ids: [lone.id, both.id] })
    ).json();

    const deleted = await remove(owner, doomed.id);
    expect(deleted.statusCode).toBe(200);
    expect((await owner.get(`/api/units/${doomed.id}`)).statusCode).toBe(404);
    expect((await adminRow(lone.id)).restricted_by_units).toBe(true);
    expect(await unitsOf(lone.id)).toEqual([]);
    expect((await adminRow(both.id)).restricted_by_units).toBe(true);
    expect(await unitsOf(both.id)).toEqual([kept.id]);

    const nothing = await lone.client.get(`/api/groups/${g(0)}`);
    expect(nothing.statusCode).toBe(403);
    expect(nothing.json().error.rule).toBe("R-UNIT-5");
    expect((await lone.client.get("/api/profile")).statusCode).toBe(200);
    expect((await both.client.get(`/api/groups/${g(1)}`)).statusCode).toBe(200);

    const log = await records("admin_unit_delete", doomed.id);
    expect(log).toHaveLength(1);
    expect(log[0]?.before).toMatchObject({ name: "Doomed", admin_ids: [lone.id, both.id].sort() });
    expect(log[0]?.after).toEqual({ admin_ids_in_no_unit: [lone.id] });
  });

  it("R-UNIT-7: the preview counts the groups and applications the admin would manage and, on request, names them; it writes nothing", async () => {
    const admin = await signedIn("Administrator");
    const other = await insertAccount(t.db, { name: "Preview elsewhere" });
    const stranger = await signedIn("Administrator", other);
    const one = (
      await create(owner, { name: "Preview One", group_ids: [g(0), g(1)], application_ids: [] })
    ).json();
    const freeApp = await insertApplication(t.db, t.database.secrets, { accountId: parentId });
    const two = (
      await create(owner, {
        name: "Preview Two",
        group_ids: [g(1), g(2)],
        application_ids: [freeApp],
      })
    ).json();
    const recordsBefore = (await t.db.selectFrom("audit_log").select("id").execute()).length;

    const url = `/api/units/preview?admin_id=${admin.id}&unit_ids=${one.id}&unit_ids=${two.id}`;
    const counted = await owner.get(url);
    expect(counted.statusCode).toBe(200);
    expect(counted.json()).toEqual({
      admin_id: admin.id,
      restricted: true,
      unit_ids: [one.id, two.id].sort(),
      groups: { all: false, count: 3 },
      applications: { all: false, count: 1 },
      refusal: null,
    });
    const named = (await owner.get(`${url}&details=true`)).json();
    const names = await t.db
      .selectFrom("groups")
      .select(["id", "name"])
      .where("id", "in", groups)
      .orderBy("name")
      .orderBy("id")
      .execute();
    expect(named.groups).toEqual({ all: false, count: 3, items: names, truncated: false });
    expect(named.applications.items).toEqual([{ id: freeApp, name: `App ${freeApp.slice(-6)}` }]);

    const single = (
      await owner.get(`/api/units/preview?admin_id=${admin.id}&unit_ids=${one.id}`)
    ).json();
    expect(single.groups.count).toBe(2);
    const global = (await owner.get(`/api/units/preview?admin_id=${admin.id}&all=true`)).json();
    expect(global).toMatchObject({
      restricted: false,
      groups: { all: true, count: groups.length },
      applications: { all: true, count: apps.length + 1 },
    });
    const none = (await owner.get(`/api/units/preview?admin_id=${admin.id}`)).json();
    expect(none).toMatchObject({
      restricted: true,
      groups: { count: 0 },
      applications: { count: 0 },
    });

    const otherUnit = `DN${"7".repeat(18)}`;
    await t.db
      .insertInto("admin_units")
      .values({ id: otherUnit, account_id: other, name: "Not yours" })
      .execute();
    const foreign = await owner.get(
      `/api/units/preview?admin_id=${admin.id}&unit_ids=${otherUnit}`,
    );
    expect(foreign.json().error).toMatchObject({ code: "invalid", field: "unit_ids" });
    expect(foreign.body).not.toContain("Not yours");
    const theirAdmin = await owner.get(`/api/units/preview?admin_id=${stranger.id}`);
    expect(theirAdmin.statusCode).toBe(404);
    expect((await t.db.selectFrom("audit_log").select("id").execute()).length).toBe(recordsBefore);
  });

  it("R-UNIT-8h: an Owner cannot be put in a unit; R-ROLE-6: nor can one put oneself; the refusal changes nothing and writes no success record", async () => {
    const otherOwner = await signedIn("Owner");
    const before = await unitCount();
    const refused = await create(owner, { name: "Owners", admin_ids: [otherOwner.id] });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toBe("R-UNIT-8h");
    const self = await create(owner, { name: "Myself", admin_ids: [ownerId] });
    expect(self.statusCode).toBe(403);
    expect(self.json().error.rule).toBe("R-ROLE-6");
    expect(await unitCount()).toBe(before);
    expect((await adminRow(otherOwner.id)).restricted_by_units).toBe(false);
    const created = await t.db
      .selectFrom("audit_log")
      .select("id")
      .where("action", "=", "admin_unit_create")
      .where("object_name", "in", ["Owners", "Myself"])
      .execute();
    expect(created).toEqual([]);
    const denied = await t.db
      .selectFrom("audit_log")
      .select(["rule", "object_id"])
      .where("action", "=", "access_denied")
      .where("actor_id", "=", ownerId)
      .execute();
    expect(denied).toEqual(
      expect.arrayContaining([{ rule: "R-UNIT-8h", object_id: otherOwner.id }]),
    );

    const preview = await owner.get(
      `/api/units/preview?admin_id=${otherOwner.id}&unit_ids=${
        (await create(owner, { name: "For the preview" })).json().id
      }`,
    );
    expect(preview.json().refusal).toMatchObject({ rule: "R-UNIT-8h" });
  });

  it("R-TEN-2, R-SUB-6: ids of another account's groups, applications or admins are refused naming the field; its units are absent", async () => {
    const foreignApp = await insertApplication(t.db, t.database.secrets, {
      accountId: otherAccountId,
    });
    const foreignAdmin = await signedIn("User Manager", otherAccountId);
    const byGroup = await create(owner, { name: "Foreign", group_ids: [g(0), foreignGroup] });
    expect(byGroup.statusCode).toBe(400);
    expect(byGroup.json().error).toMatchObject({ code: "invalid", field: "group_ids" });
    expect(byGroup.body).not.toContain("Elsewhere");
    const byApp = await create(owner, { name: "Foreign", application_ids: [foreignApp] });
    expect(byApp.json().error).toMatchObject({ code: "invalid", field: "application_ids" });
    const byAdmin = await create(owner, { name: "Foreign", admin_ids: [foreignAdmin.id] });
    expect(byAdmin.json().error).toMatchObject({ code: "invalid", field: "admin_ids" });
    expect((await adminRow(foreignAdmin.id)).restricted_by_units).toBe(false);

    const theirs = `DN${"8".repeat(18)}`;
    await t.db
      .insertInto("admin_units")
      .values({ id: theirs, account_id: otherAccountId, name: "Theirs" })
      .execute();
    expect((await owner.get(`/api/units/${theirs}`)).statusCode).toBe(404);
    expect((await patch(owner, theirs, { name: "Mine" })).statusCode).toBe(404);
    expect((await remove(owner, theirs)).statusCode).toBe(404);
    expect((await owner.get("/api/units?search=Theirs")).json().items).toEqual([]);
  });

  it("a failed edit changes nothing and writes no success record", async () => {
    const manager = await signedIn("User Manager");
    const app = await insertApplication(t.db, t.database.secrets, { accountId: parentId });
    const holder = (await create(owner, { name: "Holder", application_ids: [app] })).json();
    const unit = (await create(owner, { name: "Unchanged", group_ids: [g(0)] })).json();
    const failed = await patch(owner, unit.id, {
      name: "Changed",
      group_ids: [g(1)],
      admin_ids: [manager.id],
      application_ids: [app],
    });
    expect(failed.statusCode).toBe(409);
    expect(failed.json().error.message).toContain(holder.id);
    expect((await owner.get(`/api/units/${unit.id}`)).json()).toEqual(unit);
    expect((await adminRow(manager.id)).restricted_by_units).toBe(false);
    expect(await records("admin_unit_update", unit.id)).toEqual([]);
  });
});
