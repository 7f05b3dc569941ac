import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededAdmin, seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertUnit } from "../../helpers/fixtures.js";
import { PanelClient } from "../../helpers/panel-client.js";

interface AdminBody {
  id: string;
  email: string;
  role: string;
  subaccount_role: string | null;
  status: string;
  tags: string[];
  restricted_by_units: boolean;
  unit_ids: string[];
  directory_synced: boolean;
}

describe(`the Administrators page over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let acmeId: string;
  let unitId: string;
  let parentOwner: SeededAdmin;
  let owner: PanelClient;
  let subOwner: SeededAdmin;
  let acmeOwner: PanelClient;
  let counter = 0;
  const email = (label: string) => `${label}-${++counter}@example.com`;

  beforeAll(async () => {
    t = await buildTestApp({ throttle: { attemptsPerWindow: 1000, windowSeconds: 60 } });
    parentId = await insertAccount(t.db, { name: "Northwind MSP" });
    acmeId = await insertAccount(t.db, { parentId, name: "Acme" });
    unitId = await insertUnit(t.db, parentId);
    parentOwner = await seedActiveAdmin(t.database, { accountId: parentId, role: "Owner" });
    // A second Owner, so that R-ROLE-9 stays out of the way unless a test wants it. They hold the
    // tags the tests give admins: the panel gives admins tags that exist (R-TAG-3, issue 13 item 5).
    const secondOwner = await seedActiveAdmin(t.database, { accountId: parentId, role: "Owner" });
    await t.db
      .insertInto("admin_tags")
      .values(["EU", "Gov", "Temp", "gov"].map((tag) => ({ admin_id: secondOwner.id, tag })))
      .execute();
    owner = new PanelClient(t.app);
    await owner.signIn(parentOwner);
    // R-SUB-5: an Owner whose home is the subaccount acts there.
    subOwner = await seedActiveAdmin(t.database, { accountId: acmeId, role: "Owner" });
    acmeOwner = new PanelClient(t.app);
    await acmeOwner.signIn(subOwner);
  });
  afterAll(() => t.close());

  const add = (client: PanelClient, body: object) => client.post("/api/admins", body);
  const patch = (client: PanelClient, id: string, body: object) =>
    client.request({ method: "PATCH", url: `/api/admins/${id}`, body });
  const remove = (client: PanelClient, id: string) =>
    client.request({ method: "DELETE", url: `/api/admins/${id}` });
  const records = (objectId: string, action?: string) => {
    let query = t.db.selectFrom("audit_log").selectAll().where("object_id", "=", objectId);
    if (action) query = query.where("action", "=", action);
    return query.orderBy("id").execute();
  };
  const adminRow = (id: string) =>
    t.db.selectFrom("admins").selectAll().where("id", "=", id).executeTakeFirst();
  const addAdmin = async (body: object, client = owner): Promise<AdminBody> => {
    const response = await add(client, { name: "New Admin", email: email("new"), ...body });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().admin;
  };
  const signedIn = async (admin: SeededAdmin) => {
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    return client;
  };

  it("R-ROLE-5, R-SUB-3, R-ADM-2: an Owner adds a parent-level admin, Pending Activation, with a link shown once", async () => {
    const response = await add(owner, {
      email: email("Help.Desk"),
      name: "  Hana Desk ",
      phone: "+1 (415) 555-0100",
      role: "Help Desk",
      tags: ["Gov", "EU", "Gov"],
      unit_ids: [unitId],
      valid_days: 3,
    });
    expect(response.statusCode, response.body).toBe(200);
    const { admin, activation } = response.json();
    expect(admin).toMatchObject({
      name: "Hana Desk",
      phone: "+14155550100",
      role: "Help Desk",
      subaccount_role: "Help Desk",
      status: "Pending Activation",
      tags: ["EU", "Gov"],
      restricted_by_units: true,
      unit_ids: [unitId],
      directory_synced: false,
      is_temporary: false,
      last_sign_in_at: null,
    });
    const expires = new Date(activation.expires_at).getTime();
    expect(Math.abs(expires - (Date.now() + 3 * 86_400_000))).toBeLessThan(60_000);
    const token = String(activation.url).split("/activate/")[1];
    const inspected = await new PanelClient(t.app).post("/api/auth/activation", { token });
    expect(inspected.json()).toMatchObject({ email: admin.email, name: "Hana Desk" });
    // R-AUD-1: one record; the link is a secret and is never logged.
    const log = await records(admin.id);
    expect(log.map((r) => r.action)).toEqual(["admin_create"]);
    expect(JSON.stringify(log)).not.toContain(token);
    expect((await owner.get(`/api/admins/${admin.id}`)).json()).toEqual(admin);
  });

  it("R-ADM-2: the activation link's validity defaults to the account's setting", async () => {
    await t.db
      .updateTable("account_settings")
      .set({ admin_activation_valid_days: 2 })
      .where("account_id", "=", parentId)
      .execute();
    const response = await add(owner, { email: email("days"), name: "Days", role: "Billing" });
    const expires = new Date(response.json().activation.expires_at).getTime();
    expect(Math.abs(expires - (Date.now() + 2 * 86_400_000))).toBeLessThan(60_000);
    const missingRole = await add(owner, { email: email("norole"), name: "No role" });
    expect(missingRole.json().error).toMatchObject({ code: "invalid", field: "role" });
  });

  it("R-SUB-5: an Owner of a subaccount adds an admin there, with one role and no subaccount role or tags", async () => {
    const admin = await addAdmin({ role: "Administrator" }, acmeOwner);
    expect(admin).toMatchObject({ role: "Administrator", subaccount_role: null, tags: [] });
    expect((await adminRow(admin.id))?.account_id).toBe(acmeId);
    const tagged = await add(acmeOwner, {
      email: email("tagged"),
      name: "Tagged",
      role: "Read-only",
      tags: ["EU"],
    });
    expect(tagged.statusCode).toBe(400);
    expect(tagged.json().error).toMatchObject({ field: "tags" });
    expect(tagged.json().error.message).toContain("R-SUB-5");
    const delegated = await add(acmeOwner, {
      email: email("delegated"),
      name: "Delegated",
      role: "Read-only",
      subaccount_role: "Owner",
    });
    expect(delegated.json().error).toMatchObject({ code: "invalid", field: "subaccount_role" });
    // The subaccount's list holds its own admins only (R-TEN-2).
    const list = await acmeOwner.get("/api/admins");
    expect(
      list
        .json()
        .items.map((a: AdminBody) => a.id)
        .sort(),
    ).toEqual([admin.id, subOwner.id].sort());
  });

  it("R-TEN-2: an admin of another account looks not found, never forbidden", async () => {
    for (const response of [
      await acmeOwner.get(`/api/admins/${parentOwner.id}`),
      await patch(acmeOwner, parentOwner.id, { name: "Renamed" }),
      await remove(acmeOwner, parentOwner.id),
      await acmeOwner.post(`/api/admins/${parentOwner.id}/activation-link`),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain(parentOwner.email);
    }
    expect((await adminRow(parentOwner.id))?.name).toBe("Test Admin");
  });

  it("R-TEN-6: an email used anywhere in the parent and its subaccounts is refused, naming that account; nothing is written", async () => {
    const before = await t.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("action", "=", "admin_create")
      .executeTakeFirstOrThrow();
    const inSub = await add(acmeOwner, {
      email: parentOwner.email.toUpperCase(),
      name: "Dup",
      role: "Read-only",
    });
    expect(inSub.statusCode).toBe(409);
    expect(inSub.json().error).toMatchObject({ code: "conflict", rule: "R-TEN-6", field: "email" });
    expect(inSub.json().error.message).toContain("Northwind MSP");
    const atParent = await add(owner, { email: subOwner.email, name: "Dup", role: "Read-only" });
    expect(atParent.statusCode).toBe(409);
    expect(atParent.json().error.message).toContain("Acme");
    const after = await t.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("action", "=", "admin_create")
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const dups = await t.db.selectFrom("admins").select("id").where("name", "=", "Dup").execute();
    expect(dups).toEqual([]);
  });

  it("R-SUB-2: an Owner's subaccount role is Owner and no other", async () => {
    const refused = await add(owner, {
      email: email("owner"),
      name: "Owner",
      role: "Owner",
      subaccount_role: "Administrator",
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toBe("R-SUB-2");
    const newOwner = await addAdmin({ role: "Owner" });
    expect(newOwner.subaccount_role).toBe("Owner");
    const edit = await patch(owner, newOwner.id, { subaccount_role: "Help Desk" });
    expect(edit.json().error.rule).toBe("R-SUB-2");
    // Promoting makes the subaccount role Owner too; demoting gives back R-SUB-3's default.
    const admin = await addAdmin({ role: "Billing", subaccount_role: "Read-only" });
    const promoted = await patch(owner, admin.id, { role: "Owner" });
    expect(promoted.json()).toMatchObject({ role: "Owner", subaccount_role: "Owner" });
    const demoted = await patch(owner, admin.id, { role: "User Manager" });
    expect(demoted.json()).toMatchObject({ role: "User Manager", subaccount_role: "User Manager" });
    // R-SUB-7: a non-Owner may be given the subaccount role Owner.
    const delegated = await patch(owner, admin.id, { subaccount_role: "Owner" });
    expect(delegated.json()).toMatchObject({ role: "User Manager", subaccount_role: "Owner" });
  });

  it("R-UNIT-8h: Owners cannot be restricted by administrative units", async () => {
    const refused = await add(owner, {
      email: email("unit-owner"),
      name: "Unit Owner",
      role: "Owner",
      unit_ids: [unitId],
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toBe("R-UNIT-8h");
    const restricted = await addAdmin({ role: "Administrator", unit_ids: [unitId] });
    const promote = await patch(owner, restricted.id, { role: "Owner" });
    expect(promote.json().error.rule).toBe("R-UNIT-8h");
    const ownerAdmin = await addAdmin({ role: "Owner" });
    expect((await patch(owner, ownerAdmin.id, { restricted: true })).json().error.rule).toBe(
      "R-UNIT-8h",
    );
    // "Allow access to all groups and applications" with the promotion: global, then Owner.
    const global = await patch(owner, restricted.id, { role: "Owner", restricted: false });
    expect(global.json()).toMatchObject({
      role: "Owner",
      restricted_by_units: false,
      unit_ids: [],
    });
  });

  it("R-UNIT-4, R-UNIT-5: units make an admin restricted; removing them all keeps it restricted until made global", async () => {
    const admin = await addAdmin({ role: "Help Desk" });
    const inUnit = await patch(owner, admin.id, { unit_ids: [unitId] });
    expect(inUnit.json()).toMatchObject({ restricted_by_units: true, unit_ids: [unitId] });
    const none = await patch(owner, admin.id, { unit_ids: [] });
    expect(none.json()).toMatchObject({ restricted_by_units: true, unit_ids: [] });
    const global = await patch(owner, admin.id, { restricted: false });
    expect(global.json()).toMatchObject({ restricted_by_units: false, unit_ids: [] });
    const otherAccountUnit = await insertUnit(t.db, acmeId);
    const foreign = await patch(owner, admin.id, { unit_ids: [otherAccountUnit] });
    expect(foreign.json().error).toMatchObject({ code: "invalid", field: "unit_ids" });
  });

  it("R-ROLE-6: no admin changes their own role, subaccount role, tags or units, nor deletes themselves", async () => {
    for (const body of [
      { role: "Administrator" },
      { subaccount_role: "Help Desk" },
      { tags: ["EU"] },
      { unit_ids: [unitId] },
    ]) {
      const response = await patch(owner, parentOwner.id, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(403);
      expect(response.json().error.rule).toBe("R-ROLE-6");
    }
    const deleted = await remove(owner, parentOwner.id);
    expect(deleted.json().error.rule).toBe("R-ROLE-6");
    // Their own name, and a role equal to the one they have, are not role changes.
    const renamed = await patch(owner, parentOwner.id, { name: "Pat Owner", role: "Owner" });
    expect(renamed.json()).toMatchObject({ name: "Pat Owner", role: "Owner" });
  });

  it("R-ROLE-8: a directory-synced admin keeps sync's role; only an upgrade to Owner, which ends sync management", async () => {
    const admin = await addAdmin({ role: "Help Desk" });
    await t.db
      .updateTable("admins")
      .set({ directory_synced: true })
      .where("id", "=", admin.id)
      .execute();
    const refused = await patch(owner, admin.id, { role: "Administrator" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toBe("R-ROLE-8");
    expect((await adminRow(admin.id))?.role).toBe("Help Desk");
    const upgraded = await patch(owner, admin.id, { role: "Owner" });
    expect(upgraded.json()).toMatchObject({
      role: "Owner",
      subaccount_role: "Owner",
      directory_synced: false,
    });
    const [record] = await records(admin.id, "admin_update");
    expect(record?.before).toMatchObject({ role: "Help Desk", directory_synced: true });
    expect(record?.after).toMatchObject({ role: "Owner", directory_synced: false });
  });

  it("R-ROLE-9: the last active Owner of an account cannot be demoted, disabled or deleted", async () => {
    // A parent Owner switched into Acme, where the subaccount's Owner is the only one.
    const switched = await signedIn(
      await seedActiveAdmin(t.database, { accountId: parentId, role: "Owner" }),
    );
    expect((await switched.post("/api/switcher", { account_id: acmeId })).statusCode).toBe(200);
    for (const response of [
      await patch(switched, subOwner.id, { role: "Administrator" }),
      await patch(switched, subOwner.id, { status: "Disabled" }),
      await remove(switched, subOwner.id),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error.rule).toBe("R-ROLE-9");
      expect(response.json().error.reason).toContain("Acme");
    }
    // Disabling oneself is not a delegation change (R-ROLE-6), but still leaves no Owner.
    const self = await patch(acmeOwner, subOwner.id, { status: "Disabled" });
    expect(self.json().error.rule).toBe("R-ROLE-9");
    expect((await adminRow(subOwner.id))?.status).toBe("Active");
    expect(await records(subOwner.id, "admin_update")).toEqual([]);
    // With a second active Owner, one of them may be demoted; then the other is the last again.
    const second = await seedActiveAdmin(t.database, { accountId: acmeId, role: "Owner" });
    const demoted = await patch(switched, second.id, { role: "Read-only" });
    expect(demoted.json()).toMatchObject({ role: "Read-only", subaccount_role: null });
    expect((await remove(switched, subOwner.id)).json().error.rule).toBe("R-ROLE-9");
  });

  it("R-ROLE-5: a non-Owner is refused with the engine's rule, and the attempt is logged", async () => {
    const administrator = await seedActiveAdmin(t.database, {
      accountId: parentId,
      role: "Administrator",
    });
    const client = await signedIn(administrator);
    const target = await addAdmin({ role: "Read-only" });
    for (const response of [
      await client.get("/api/admins"),
      await client.get(`/api/admins/${target.id}`),
      await add(client, { email: email("x"), name: "X", role: "Read-only" }),
      await patch(client, target.id, { name: "Changed" }),
      await remove(client, target.id),
      await client.post(`/api/admins/${target.id}/activation-link`),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error).toMatchObject({ code: "forbidden", rule: "R-ROLE-2" });
    }
    expect((await adminRow(target.id))?.name).toBe("New Admin");
    const log = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("actor_id", "=", administrator.id)
      .where("action", "<>", "admin_login")
      .execute();
    expect(log.map((r) => r.action)).toEqual(Array(6).fill("access_denied"));
  });

  it("R-TAG-6: the Administrators page is searchable by role, subaccount role and exact tag, page by page", async () => {
    const marker = `tag6-${Date.now()}`;
    const made = [
      await addAdmin({ email: `${marker}-a@example.com`, role: "Billing", tags: ["Gov"] }),
      await addAdmin({
        email: `${marker}-b@example.com`,
        role: "Billing",
        subaccount_role: "Administrator",
        tags: ["gov", "EU"],
      }),
      await addAdmin({ email: `${marker}-c@example.com`, role: "Read-only", tags: ["Gov"] }),
    ];
    const ids = (response: { json(): { items: AdminBody[] } }) =>
      response.json().items.map((a) => a.email);
    const search = `search=${marker}`;
    expect(ids(await owner.get(`/api/admins?${search}&tag=Gov`))).toEqual([
      made[0]?.email,
      made[2]?.email,
    ]);
    expect(ids(await owner.get(`/api/admins?${search}&tag=gov`))).toEqual([made[1]?.email]);
    expect(ids(await owner.get(`/api/admins?${search}&role=Billing`))).toEqual([
      made[0]?.email,
      made[1]?.email,
    ]);
    expect(ids(await owner.get(`/api/admins?${search}&subaccount_role=Administrator`))).toEqual([
      made[1]?.email,
    ]);
    const first = await owner.get(`/api/admins?${search}&limit=2`);
    expect(ids(first)).toEqual([made[0]?.email, made[1]?.email]);
    const next = await owner.get(`/api/admins?${search}&limit=2&after=${first.json().next}`);
    expect(next.json()).toMatchObject({ items: [{ email: made[2]?.email }], next: null });
    const unknown = await owner.get(`/api/admins?${search}&color=red`);
    expect(unknown.json().error).toMatchObject({ code: "invalid", field: "color" });
  });

  it("R-ADM-1: the panel disables and re-enables; Expired and Pending Activation are reached otherwise", async () => {
    const active = await seedActiveAdmin(t.database, { accountId: parentId, role: "Read-only" });
    const disabled = await patch(owner, active.id, { status: "Disabled" });
    expect(disabled.json().status).toBe("Disabled");
    const enabled = await patch(owner, active.id, { status: "Active" });
    expect(enabled.json().status).toBe("Active");
    expect((await patch(owner, active.id, { status: "Expired" })).statusCode).toBe(400);
    const pending = await addAdmin({ role: "Read-only" });
    const activate = await patch(owner, pending.id, { status: "Active" });
    expect(activate.statusCode).toBe(409);
    expect(activate.json().error.field).toBe("status");
    expect((await records(active.id, "admin_update")).map((r) => r.after)).toEqual([
      { status: "Disabled" },
      { status: "Active" },
    ]);
  });

  it("R-ADM-2: a new activation link replaces the older unused one; an active admin gets none", async () => {
    const created = (
      await add(owner, { email: email("relink"), name: "Relink", role: "Billing" })
    ).json();
    const oldToken = String(created.activation.url).split("/activate/")[1];
    const renewed = await owner.post(`/api/admins/${created.admin.id}/activation-link`, {
      valid_days: 5,
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    const newToken = String(renewed.json().url).split("/activate/")[1];
    const anonymous = new PanelClient(t.app);
    expect((await anonymous.post("/api/auth/activation", { token: oldToken })).statusCode).toBe(
      404,
    );
    expect((await anonymous.post("/api/auth/activation", { token: newToken })).statusCode).toBe(
      200,
    );
    const active = await owner.post(`/api/admins/${parentOwner.id}/activation-link`);
    expect(active.statusCode).toBe(409);
    expect((await records(created.admin.id)).map((r) => r.action)).toEqual([
      "admin_create",
      "admin_activation_link",
    ]);
  });

  it("a refused edit changes nothing, not even the fields that were allowed, and writes no success record", async () => {
    const admin = await addAdmin({ role: "Help Desk", unit_ids: [unitId] });
    const refused = await patch(owner, admin.id, { name: "Should Not Stick", role: "Owner" });
    expect(refused.json().error.rule).toBe("R-UNIT-8h");
    const invalid = await patch(owner, admin.id, { name: "Nor This", phone: "555" });
    expect(invalid.json().error).toMatchObject({ code: "invalid", field: "phone" });
    expect((await adminRow(admin.id))?.name).toBe("New Admin");
    // R-AUD-1: the refusal is logged as a denied attempt; the invalid input leaves no trace.
    const log = await records(admin.id);
    expect(log.map((r) => r.action)).toEqual(["admin_create", "access_denied"]);
    expect(log[1]).toMatchObject({ rule: "R-UNIT-8h" });
  });

  it("every change writes exactly one record with Duo's action name; deleting removes the admin", async () => {
    const admin = await addAdmin({ role: "Read-only", tags: ["Temp"] });
    const renamed = await patch(owner, admin.id, { name: "Renamed", tags: [] });
    expect(renamed.json()).toMatchObject({ name: "Renamed", tags: [] });
    expect((await remove(owner, admin.id)).json()).toEqual({ ok: true });
    expect(await adminRow(admin.id)).toBeUndefined();
    expect((await owner.get(`/api/admins/${admin.id}`)).statusCode).toBe(404);
    const log = await records(admin.id);
    expect(log.map((r) => r.action)).toEqual(["admin_create", "admin_update", "admin_delete"]);
    expect(log[1]).toMatchObject({
      before: { name: "New Admin", tags: ["Temp"] },
      after: { name: "Renamed", tags: [] },
    });
    expect(log[2]?.before).toMatchObject({ email: admin.email, role: "Read-only" });
  });
});
