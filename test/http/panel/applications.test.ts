import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertApplication } from "../../helpers/fixtures.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import { PanelClient } from "../../helpers/panel-client.js";

describe(`the Applications pages over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let owner: PanelClient;

  const signIn = (role: Role, restrictedTo?: string[]) =>
    signInAdmin(t, parentId, { role, unitIds: restrictedTo });
  /** A unit managing exactly the given applications. */
  const insertUnit = (name: string, applicationIds: string[] = []) =>
    insertScopedUnit(t.db, parentId, { name, applicationIds: applicationIds });
  const create = (client: PanelClient, body: object) => client.post("/api/applications", body);
  const createApp = async (body: object) => {
    const response = await create(owner, body);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { id: string; name: string; secret_key: string };
  };
  const patch = (client: PanelClient, id: string, body: object) =>
    client.request({ method: "PATCH", url: `/api/applications/${id}`, body });
  const remove = (client: PanelClient, id: string) =>
    client.request({ method: "DELETE", url: `/api/applications/${id}` });
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

  it("R-ROLE-2: an Owner creates an Admin API application and gets its secret key once, sealed at rest", async () => {
    const response = await create(owner, { type: "adminapi", name: "Admin API", notes: "CI" });
    expect(response.statusCode, response.body).toBe(200);
    const app = response.json();
    expect(app).toMatchObject({ type: "adminapi", name: "Admin API", notes: "CI" });
    expect(app.id).toMatch(/^DI[0-9A-Z]{18}$/);
    expect(app.secret_key).toMatch(/^[0-9A-Za-z]{40}$/);
    const stored = await t.db
      .selectFrom("applications")
      .select("secret_key_enc")
      .where("id", "=", app.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_key_enc).not.toContain(app.secret_key);
    expect(t.database.secrets.open(stored.secret_key_enc, app.id)).toBe(app.secret_key);
    const read = await owner.get(`/api/applications/${app.id}`);
    expect(read.json()).not.toHaveProperty("secret_key");
    expect(read.body).not.toContain(app.secret_key);
    const list = await owner.get("/api/applications?type=adminapi");
    expect(list.json().items.map((a: { id: string }) => a.id)).toEqual([app.id]);
    expect(list.body).not.toContain(app.secret_key);
    const log = await logOf(app.id);
    expect(log.map((r) => r.action)).toEqual(["integration_create"]);
    expect(JSON.stringify(log)).not.toContain(app.secret_key);
  });

  it("R-ROLE-2: Application Manager cannot create an Admin API or Accounts API application; nothing is created, the refusal is logged", async () => {
    const { client, id } = await signIn("Application Manager");
    for (const type of ["adminapi", "accountsapi"]) {
      const refused = await create(client, { type, name: `Refused ${type}` });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.rule).toBe("R-ROLE-2");
      expect(refused.json().error.reason).toContain("Admin API and Accounts API");
    }
    expect((await owner.get("/api/applications?search=Refused")).json().items).toEqual([]);
    const log = await t.db
      .selectFrom("audit_log")
      .select(["action", "after"])
      .where("actor_id", "=", id)
      .where("action", "<>", "admin_login")
      .orderBy("id")
      .execute();
    expect(log.map((r) => r.action)).toEqual(["access_denied", "access_denied"]);
    expect(log[0]?.after).toMatchObject({ action: "applications:create", account_id: parentId });
    const web = await create(client, { type: "websdk", name: "Intranet" });
    expect(web.statusCode, web.body).toBe(200);
  });

  it("R-ROLE-2: Application Manager edits and deletes ordinary applications, not API ones; each change writes one record", async () => {
    const api = await createApp({ type: "adminapi", name: "Owner's API" });
    const web = await createApp({ type: "websdk", name: "Portal" });
    const { client } = await signIn("Application Manager");
    expect((await patch(client, api.id, { name: "Mine" })).json().error.rule).toBe("R-ROLE-2");
    expect((await remove(client, api.id)).json().error.rule).toBe("R-ROLE-2");
    expect((await owner.get(`/api/applications/${api.id}`)).json().name).toBe("Owner's API");
    const edited = await patch(client, web.id, { name: "Portal v2", greeting: "Hello" });
    expect(edited.json()).toMatchObject({ name: "Portal v2", greeting: "Hello" });
    expect((await remove(client, web.id)).statusCode).toBe(200);
    expect((await owner.get(`/api/applications/${web.id}`)).statusCode).toBe(404);
    const log = await logOf(web.id);
    expect(log.map((r) => r.action)).toEqual([
      "integration_create",
      "integration_update",
      "integration_delete",
    ]);
    expect(log[1]).toMatchObject({
      before: { name: "Portal", greeting: "" },
      after: { name: "Portal v2", greeting: "Hello" },
    });
    // The refused attempts are logged on the object; no success record.
    expect((await logOf(api.id)).map((r) => r.action)).toEqual([
      "integration_create",
      "access_denied",
      "access_denied",
    ]);
  });

  it("R-UNIT-6: an application created by a restricted admin is assigned to their unit, the first by name", async () => {
    const later = await insertUnit("Zeta unit");
    const first = await insertUnit("Alpha unit");
    const { client } = await signIn("Application Manager", [later, first]);
    const response = await create(client, { type: "websdk", name: "Unit app" });
    expect(response.statusCode, response.body).toBe(200);
    const app = response.json();
    const rows = await t.db
      .selectFrom("admin_unit_applications")
      .select("unit_id")
      .where("application_id", "=", app.id)
      .execute();
    expect(rows).toEqual([{ unit_id: first }]);
    expect((await client.get(`/api/applications/${app.id}`)).statusCode).toBe(200);
    expect(
      (await client.get("/api/applications")).json().items.map((a: { id: string }) => a.id),
    ).toEqual([app.id]);
    expect((await logOf(app.id))[0]?.after).toMatchObject({ unit_id: first });
  });

  it("R-UNIT-8c: a restricted admin lists only their units' applications, and gets 404 for the others", async () => {
    const inside = await createApp({ type: "websdk", name: "Scoped inside" });
    const outside = await createApp({ type: "websdk", name: "Scoped outside" });
    const unit = await insertUnit("Scoped unit", [inside.id]);
    const { client } = await signIn("Application Manager", [unit]);
    const list = await client.get("/api/applications?search=scoped");
    expect(list.json().items.map((a: { id: string }) => a.id)).toEqual([inside.id]);
    expect((await client.get(`/api/applications/${outside.id}`)).statusCode).toBe(404);
    expect((await patch(client, outside.id, { name: "Taken" })).statusCode).toBe(404);
    expect((await remove(client, outside.id)).statusCode).toBe(404);
    expect((await owner.get(`/api/applications/${outside.id}`)).json().name).toBe("Scoped outside");
  });

  it("R-TEN-5: an Accounts API application is protected at a parent, never in a subaccount", async () => {
    const subId = await insertAccount(t.db, { parentId, name: "Acme" });
    const admin = await seedActiveAdmin(t.database, { accountId: parentId, role: "Owner" });
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    await t.db
      .updateTable("admin_sessions")
      .set({ account_id: subId })
      .where("admin_id", "=", admin.id)
      .execute();
    const refused = await create(client, { type: "accountsapi", name: "Accounts" });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: "invalid", field: "type" });
    expect(refused.json().error.message).toContain("R-TEN-5");
    const inSub = await create(client, { type: "adminapi", name: "Sub admin API" });
    expect(inSub.statusCode, inSub.body).toBe(200);
    const stored = await t.db
      .selectFrom("applications")
      .select(["account_id", "account_is_subaccount"])
      .where("id", "=", inSub.json().id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ account_id: subId, account_is_subaccount: true });
    expect((await create(owner, { type: "accountsapi", name: "Accounts" })).statusCode).toBe(200);
  });

  it("the list pages by name over more than one page, without skipping or repeating", async () => {
    const names = ["Page E", "Page A", "Page D", "Page C", "Page B"];
    for (const name of names) await createApp({ type: "websdk", name });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/applications?search=page&limit=2${after ? `&after=${after}` : ""}`;
      const page = (await owner.get(query)).json();
      seen.push(...page.items.map((a: { name: string }) => a.name));
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual([...names].sort());
  });

  it("R-TEN-2: an application id from another account is 404", async () => {
    const otherId = await insertAccount(t.db, { name: "Other" });
    const foreign = await insertApplication(t.db, t.database.secrets, { accountId: otherId });
    expect((await owner.get(`/api/applications/${foreign}`)).statusCode).toBe(404);
    expect((await patch(owner, foreign, { name: "Mine" })).statusCode).toBe(404);
    expect((await remove(owner, foreign)).statusCode).toBe(404);
    const bad = await create(owner, { type: "websdk", name: "X", secret_key: "chosen" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe("secret_key");
  });

  it("R-AUTH-1: an Application Manager protects an Auth API and a UNIX application; each gets its keys and the API hostname once", async () => {
    const { client } = await signIn("Application Manager");
    for (const [type, name] of [
      ["authapi", "VPN portal"],
      ["unix", "Bastion hosts"],
    ] as const) {
      const response = await create(client, { type, name });
      expect(response.statusCode, response.body).toBe(200);
      const app = response.json();
      expect(app).toMatchObject({ type, name, legacy_unix_clients: false });
      expect(app.id).toMatch(/^DI[0-9A-Z]{18}$/);
      expect(app.secret_key).toMatch(/^[0-9A-Za-z]{40}$/);
      expect(app.api_hostname).toBe("localhost");
      const read = await client.get(`/api/applications/${app.id}`);
      expect(read.json()).toMatchObject({ type, legacy_unix_clients: false });
      expect(read.body).not.toContain(app.secret_key);
      const listed = await client.get(`/api/applications?type=${type}`);
      expect(listed.json().items.map((a: { id: string }) => a.id)).toContain(app.id);
      expect((await logOf(app.id))[0]).toMatchObject({
        action: "integration_create",
        after: { type, name },
      });
    }
  });

  it("R-AUD-1: a UNIX application's legacy Unix clients switch is off by default, turned on and off with a record each; refused by name for other types", async () => {
    const unix = await createApp({ type: "unix", name: "Legacy hosts" });
    expect((await logOf(unix.id))[0]?.after).toMatchObject({ legacy_unix_clients: false });
    const on = await patch(owner, unix.id, { legacy_unix_clients: true });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json().legacy_unix_clients).toBe(true);
    const stored = () =>
      t.db
        .selectFrom("applications")
        .select("legacy_unix_clients")
        .where("id", "=", unix.id)
        .executeTakeFirstOrThrow();
    expect((await stored()).legacy_unix_clients).toBe(true);
    const off = await patch(owner, unix.id, { legacy_unix_clients: false });
    expect(off.json().legacy_unix_clients).toBe(false);
    expect((await logOf(unix.id)).slice(1)).toEqual([
      {
        action: "integration_update",
        before: { legacy_unix_clients: false },
        after: { legacy_unix_clients: true },
      },
      {
        action: "integration_update",
        before: { legacy_unix_clients: true },
        after: { legacy_unix_clients: false },
      },
    ]);
    const createdOn = await createApp({
      type: "unix",
      name: "Old Debian",
      legacy_unix_clients: true,
    });
    expect((await owner.get(`/api/applications/${createdOn.id}`)).json().legacy_unix_clients).toBe(
      true,
    );

    const auth = await createApp({ type: "authapi", name: "Not Unix" });
    const records = (await logOf(auth.id)).length;
    const refused = await patch(owner, auth.id, { legacy_unix_clients: true, name: "Renamed" });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: "invalid", field: "legacy_unix_clients" });
    expect((await owner.get(`/api/applications/${auth.id}`)).json()).toMatchObject({
      name: "Not Unix",
      legacy_unix_clients: false,
    });
    expect(await logOf(auth.id)).toHaveLength(records);
    for (const type of ["authapi", "websdk", "adminapi"]) {
      const bad = await create(owner, { type, name: `Legacy ${type}`, legacy_unix_clients: true });
      expect(bad.statusCode, type).toBe(400);
      expect(bad.json().error.field).toBe("legacy_unix_clients");
      // false is the only value another type can have: still refused, it names a Unix setting.
      const falseToo = await create(owner, {
        type,
        name: `Legacy ${type}`,
        legacy_unix_clients: false,
      });
      expect(falseToo.json().error?.field).toBe("legacy_unix_clients");
    }
    const names = (await owner.get("/api/applications?search=Legacy&limit=100"))
      .json()
      .items.map((a: { name: string }) => a.name);
    expect(names).toEqual(["Legacy hosts"]);
    const notBoolean = await patch(owner, unix.id, { legacy_unix_clients: "yes" });
    expect(notBoolean.json().error.field).toBe("legacy_unix_clients");
  });

  it("R-UNIT-1, R-UNIT-3: an Owner may put a new application in a unit that manages chosen applications; nobody else global may", async () => {
    const chosen = await insertUnit("Chosen apps unit");
    const everything = await insertScopedUnit(t.db, parentId, { name: "Everything unit" });
    await t.db
      .updateTable("admin_units")
      .set({ all_applications: true })
      .where("id", "=", everything)
      .execute();
    const choices = (await owner.get("/api/applications/unit-choices")).json();
    expect(choices.required).toBe(false);
    const names = choices.units.map((u: { name: string }) => u.name);
    expect(names).toContain("Chosen apps unit");
    expect(names).not.toContain("Everything unit");
    expect(names).toEqual([...names].sort());

    const app = await createApp({ type: "authapi", name: "In a unit", unit_id: chosen });
    const rows = await t.db
      .selectFrom("admin_unit_applications")
      .select("unit_id")
      .where("application_id", "=", app.id)
      .execute();
    expect(rows).toEqual([{ unit_id: chosen }]);
    expect((await logOf(app.id))[0]?.after).toMatchObject({ unit_id: chosen });

    const otherAccount = await insertAccount(t.db, { name: "Elsewhere" });
    const foreignUnit = await insertScopedUnit(t.db, otherAccount, { name: "Foreign" });
    for (const unitId of [everything, foreignUnit, `DN${"9".repeat(18)}`]) {
      const refused = await create(owner, { type: "unix", name: "Nowhere", unit_id: unitId });
      expect(refused.statusCode, unitId).toBe(400);
      expect(refused.json().error.field).toBe("unit_id");
    }
    const badShape = await create(owner, { type: "unix", name: "Nowhere", unit_id: "unit-1" });
    expect(badShape.json().error.field).toBe("unit_id");
    expect((await owner.get("/api/applications?search=Nowhere")).json().items).toEqual([]);

    const { client } = await signIn("Administrator");
    expect((await client.get("/api/applications/unit-choices")).json()).toEqual({
      units: [],
      required: false,
    });
    const denied = await create(client, { type: "authapi", name: "Nowhere", unit_id: chosen });
    expect(denied.statusCode).toBe(403);
    // R-UNIT-1 is the Owner row of R-ROLE-2 "Manage administrative units".
    expect(denied.json().error.rule).toBe("R-ROLE-2");
    expect((await owner.get("/api/applications?search=Nowhere")).json().items).toEqual([]);
  });

  it("R-UNIT-6: a restricted admin chooses which of their units a new application joins, and no other", async () => {
    const first = await insertUnit("Aardvark unit");
    const second = await insertUnit("Badger unit");
    const stranger = await insertUnit("Cobra unit");
    const { client } = await signIn("Application Manager", [second, first]);
    expect((await client.get("/api/applications/unit-choices")).json()).toEqual({
      units: [
        { id: first, name: "Aardvark unit" },
        { id: second, name: "Badger unit" },
      ],
      required: true,
    });
    const app = (
      await create(client, { type: "unix", name: "Badger hosts", unit_id: second })
    ).json();
    const rows = await t.db
      .selectFrom("admin_unit_applications")
      .select("unit_id")
      .where("application_id", "=", app.id)
      .execute();
    expect(rows).toEqual([{ unit_id: second }]);
    expect((await client.get(`/api/applications/${app.id}`)).statusCode).toBe(200);
    const refused = await create(client, { type: "unix", name: "Cobra hosts", unit_id: stranger });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.field).toBe("unit_id");
    expect((await owner.get("/api/applications?search=Cobra")).json().items).toEqual([]);
  });
});
