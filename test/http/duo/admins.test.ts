import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedActiveAdmin } from "../../helpers/admins.js";
import {
  createCredentials,
  type HttpsTestServer,
  officialClient,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertUnit } from "../../helpers/fixtures.js";

type Call = ReturnType<typeof officialClient>;
interface DuoAdmin {
  admin_id: string;
  email: string;
  name: string;
  phone: string;
  role: string;
  status: string;
  restricted_by_admin_units: boolean;
  admin_units: string[];
  subaccount_role: string | null;
  access_tags: string[];
  activation_url?: string;
  activation_url_expires?: number;
}

describe(`the Duo Admin API's administrators (research/duo-api.md §4.7) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let parentId: string;
  let childId: string;
  let unitId: string;
  let ownerId: string;
  let childOwnerId: string;
  let admins: { ikey: string; skey: string };
  let noGrant: { ikey: string; skey: string };
  let accounts: { ikey: string; skey: string };
  let counter = 0;
  const email = (label: string) => `${label}-${++counter}@example.com`;
  const clients = (credentials: { ikey: string; skey: string }) =>
    [2, 5].map((version) => [version, officialClient(server, credentials, version as 2 | 5)]) as [
      2 | 5,
      Call,
    ][];

  beforeAll(async () => {
    server = await startHttpsServer();
    const db = server.database.handle.db;
    parentId = await insertAccount(db, { name: "Northwind MSP" });
    childId = await insertAccount(db, { parentId, name: "Acme" });
    unitId = await insertUnit(db, parentId);
    // Two Owners at the parent, so that R-ROLE-9 stays out of the way there; one in the child.
    ownerId = (await seedActiveAdmin(server.database, { accountId: parentId, role: "Owner" })).id;
    await seedActiveAdmin(server.database, { accountId: parentId, role: "Owner" });
    childOwnerId = (await seedActiveAdmin(server.database, { accountId: childId, role: "Owner" }))
      .id;
    const integration = (type: string, grants: ("adminapi_admins" | "adminapi_info")[]) =>
      createCredentials(server, parentId, type, grants);
    admins = await integration("adminapi", ["adminapi_admins"]);
    noGrant = await integration("adminapi", ["adminapi_info"]);
    accounts = await integration("accountsapi", []);
  });
  afterAll(() => server.close());

  const records = (objectId: string) =>
    server.database.handle.db
      .selectFrom("audit_log")
      .select(["action", "actor_kind", "actor_id", "account_id", "rule"])
      .where("object_id", "=", objectId)
      .orderBy("id")
      .execute();

  it("creates, reads, updates and deletes an admin, signing v2 and v5, one log record each", async () => {
    for (const [version, call] of clients(admins)) {
      const created = await call("POST", "/admin/v1/admins", {
        email: email(`v${version}`),
        name: `Pat v${version}`,
        phone: "4155550100",
        role: "Help Desk",
        valid_days: "3",
        send_email: "0",
      });
      expect(created).toMatchObject({ stat: "OK" });
      const admin = created.response as DuoAdmin;
      expect(admin).toMatchObject({
        name: `Pat v${version}`,
        phone: "+14155550100",
        role: "Help Desk",
        status: "Pending Activation",
        restricted_by_admin_units: false,
        admin_units: [],
        subaccount_role: "Help Desk",
        access_tags: [],
        last_login: null,
        password_change_required: false,
      });
      expect(admin.admin_id).toMatch(/^DE[0-9A-Z]{18}$/);
      expect(admin.activation_url).toMatch(/^https:\/\/127\.0\.0\.1\/activate\/\S+$/);
      expect(admin.activation_url_expires).toBeGreaterThan(Date.now() / 1000 + 2 * 86_400);
      expect(admin.activation_url_expires).toBeLessThan(Date.now() / 1000 + 3 * 86_400 + 60);

      const read = await call("GET", `/admin/v1/admins/${admin.admin_id}`);
      expect(read).toMatchObject({ stat: "OK", response: { email: admin.email } });
      expect(read.response).not.toHaveProperty("activation_url");

      const updated = await call("POST", `/admin/v1/admins/${admin.admin_id}`, {
        name: "Pat Renamed",
        role: "User Manager",
        subaccount_role: "Read-only",
        restricted_by_admin_units: version === 2 ? "true" : true,
        admin_units: unitId,
        access_tags: "EU,eu",
      });
      expect(updated).toMatchObject({
        stat: "OK",
        response: {
          name: "Pat Renamed",
          role: "User Manager",
          subaccount_role: "Read-only",
          access_tags: ["EU", "eu"],
          restricted_by_admin_units: true,
          admin_units: [unitId],
        },
      });

      expect(await call("DELETE", `/admin/v1/admins/${admin.admin_id}`)).toEqual({
        stat: "OK",
        response: "",
      });
      expect(await call("GET", `/admin/v1/admins/${admin.admin_id}`)).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });
      const log = await records(admin.admin_id);
      expect(log.map((record) => record.action)).toEqual([
        "admin_create",
        "admin_update",
        "admin_delete",
      ]);
      for (const record of log)
        expect(record).toMatchObject({
          actor_kind: "application",
          actor_id: admins.ikey,
          account_id: parentId,
        });
    }
  });

  it("with no role given, Duo's default applies: the new admin is an Owner (Python 4.x's add_admin sends none)", async () => {
    const created = await officialClient(server, admins, 2)("POST", "/admin/v1/admins", {
      email: email("default-role"),
      name: "Default Role",
    });
    expect(created).toMatchObject({
      stat: "OK",
      response: { role: "Owner", subaccount_role: "Owner" },
    });
  });

  it("§3: pages through the admins by offset, without next_offset on the last page", async () => {
    for (let i = 0; i < 3; i++)
      await officialClient(server, admins, 2)("POST", "/admin/v1/admins", {
        email: email("paged"),
        name: "Paged",
        role: "Read-only",
      });
    for (const [, call] of clients(admins)) {
      const first = await call("GET", "/admin/v1/admins", { limit: "2", offset: "0" });
      const total = first.metadata?.total_objects as number;
      expect(total).toBeGreaterThanOrEqual(5);
      expect(first.metadata).toMatchObject({ next_offset: 2 });
      const seen = [...(first.response as DuoAdmin[])];
      let offset = first.metadata?.next_offset as number | undefined;
      while (offset !== undefined) {
        const page = await call("GET", "/admin/v1/admins", { limit: "2", offset: String(offset) });
        expect(page.metadata?.total_objects).toBe(total);
        seen.push(...(page.response as DuoAdmin[]));
        offset = page.metadata?.next_offset as number | undefined;
        if (offset === undefined) expect(page.metadata).not.toHaveProperty("next_offset");
      }
      expect(seen).toHaveLength(total);
      expect(new Set(seen.map((admin) => admin.admin_id)).size).toBe(total);
      // A limit above the maximum is clamped silently.
      const all = await call("GET", "/admin/v1/admins", { limit: "100000" });
      expect(all.response).toHaveLength(total);
      expect(all.metadata).not.toHaveProperty("next_offset");
    }
  });

  it("R-ADM-1: an Owner cannot be disabled through the API, and the refusal is logged", async () => {
    for (const [, call] of clients(admins)) {
      const answer = await call("POST", `/admin/v1/admins/${ownerId}`, { status: "Disabled" });
      expect(answer).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(answer.message_detail).toContain("R-ADM-1");
    }
    const denied = (await records(ownerId)).filter((record) => record.rule === "R-ADM-1");
    expect(denied.length).toBeGreaterThan(0);
    expect(denied[0]).toMatchObject({ actor_kind: "application", actor_id: admins.ikey });
    // A non-Owner can be disabled, and enabled again (back to Pending Activation: never activated).
    const call = officialClient(server, admins, 5);
    const created = await call("POST", "/admin/v1/admins", {
      email: email("disable"),
      name: "Dis Able",
      role: "Billing",
    });
    const id = (created.response as DuoAdmin).admin_id;
    expect(await call("POST", `/admin/v1/admins/${id}`, { status: "Disabled" })).toMatchObject({
      stat: "OK",
      response: { status: "Disabled" },
    });
  });

  it("R-UNIT-8h: an Owner cannot be restricted by administrative units", async () => {
    for (const [, call] of clients(admins)) {
      const created = await call("POST", "/admin/v1/admins", {
        email: email("owner-unit"),
        name: "Owner In Unit",
        role: "Owner",
        restricted_by_admin_units: "true",
      });
      expect(created).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(created.message_detail).toContain("R-UNIT-8h");
      const updated = await call("POST", `/admin/v1/admins/${ownerId}`, { admin_units: unitId });
      expect(updated).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(updated.message_detail).toContain("R-UNIT-8h");
    }
  });

  it("R-TEN-5: a parent's Accounts API integration manages a child's admins with account_id; R-ROLE-9 keeps its last Owner", async () => {
    for (const [version, call] of clients(accounts)) {
      const created = await call("POST", "/admin/v1/admins", {
        account_id: childId,
        email: email(`child-v${version}`),
        name: "Child Admin",
        role: "Administrator",
      });
      expect(created).toMatchObject({
        stat: "OK",
        response: { role: "Administrator", subaccount_role: null },
      });
      const id = (created.response as DuoAdmin).admin_id;
      const listed = await call("GET", "/admin/v1/admins", { account_id: childId });
      expect((listed.response as DuoAdmin[]).map((admin) => admin.admin_id)).toContain(id);
      expect(listed.response).toHaveLength(listed.metadata?.total_objects as number);
      // R-SUB-5: an admin of a subaccount has no subaccount role.
      const withSubRole = await call("POST", `/admin/v1/admins/${id}`, {
        account_id: childId,
        subaccount_role: "Billing",
      });
      expect(withSubRole).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(withSubRole.message_detail).toContain("subaccount_role");
      // The child's admin is not the parent's.
      expect(await call("GET", `/admin/v1/admins/${id}`)).toMatchObject({
        stat: "FAIL",
        code: 40301,
      });
      // R-ROLE-9: the child's only active Owner can be neither deleted nor demoted.
      const deleted = await call("DELETE", `/admin/v1/admins/${childOwnerId}`, {
        account_id: childId,
      });
      expect(deleted).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(deleted.message_detail).toContain("R-ROLE-9");
      const demoted = await call("POST", `/admin/v1/admins/${childOwnerId}`, {
        account_id: childId,
        role: "Administrator",
      });
      expect(demoted.message_detail).toContain("R-ROLE-9");
      const removed = await call("DELETE", `/admin/v1/admins/${id}`, { account_id: childId });
      expect(removed).toEqual({ stat: "OK", response: "" });
      const log = await records(id);
      // The refused calls changed nothing and wrote no change record.
      expect(log.map((record) => [record.action, record.actor_kind, record.account_id])).toEqual([
        ["admin_create", "application", childId],
        ["admin_delete", "application", childId],
      ]);
    }
  });

  it("R-ROLE-2: without the adminapi_admins grant, 403 40301 naming it", async () => {
    for (const [, call] of clients(noGrant)) {
      for (const [method, path] of [
        ["GET", "/admin/v1/admins"],
        ["POST", "/admin/v1/admins"],
        ["GET", `/admin/v1/admins/${ownerId}`],
        ["DELETE", `/admin/v1/admins/${ownerId}`],
        ["GET", "/admin/v1/admins/activations"],
      ] as const) {
        const answer = await call(method, path, {});
        expect([path, answer.stat, answer.code]).toEqual([path, "FAIL", 40301]);
        expect(answer.message_detail).toContain("adminapi_admins");
      }
    }
  });

  it("a bad parameter is 400 40002 naming it", async () => {
    const call = officialClient(server, admins, 5);
    const cases: [object, string][] = [
      [{ name: "No Email", role: "Billing" }, "email"],
      [{ email: email("bad"), name: "Bad Role", role: "owner" }, "role"],
      [{ email: email("bad"), name: "Bad Days", role: "Billing", valid_days: "90" }, "valid_days"],
      [{ email: email("bad"), name: "Bad Phone", role: "Billing", phone: "+1-call-me" }, "phone"],
      [{ email: "not-an-email", name: "Bad Email", role: "Billing" }, "email"],
      [
        { email: email("bad"), name: "Bad Unit", role: "Billing", admin_units: "DNNOTAUNIT" },
        "admin_units",
      ],
      [
        { email: email("bad"), name: "Bad Restricted", restricted_by_admin_units: "maybe" },
        "restricted_by_admin_units",
      ],
    ];
    for (const [params, name] of cases) {
      const answer = await call("POST", "/admin/v1/admins", params);
      expect([name, answer.stat, answer.code]).toEqual([name, "FAIL", 40002]);
      expect(answer.message_detail).toMatch(new RegExp(`^${name}: `));
    }
    // An activation names its fields as Duo does: a paid edition needs a role (R-PLAN-1).
    const noRole = await call("POST", "/admin/v1/admins/activations", { email: email("bad") });
    expect(noRole).toMatchObject({
      code: 40002,
      message_detail: expect.stringMatching(/^admin_role: /),
    });
    expect(noRole.message_detail).not.toContain("admin_roles");
    const page = await call("GET", "/admin/v1/admins", { offset: "-1" });
    expect(page).toMatchObject({ code: 40002, message_detail: expect.stringMatching(/^offset: /) });
    const status = await call("POST", `/admin/v1/admins/${ownerId}`, { status: "Expired" });
    expect(status).toMatchObject({
      code: 40002,
      message_detail: expect.stringMatching(/^status: /),
    });
  });

  it("activations: create with a link, list the pending ones, withdraw one; activation links renewed and withdrawn", async () => {
    for (const [version, call] of clients(admins)) {
      const address = email(`invite-v${version}`);
      const created = await call("POST", "/admin/v1/admins/activations", {
        email: address,
        admin_name: "Invited",
        admin_role: "Help Desk",
        send_email: version === 2 ? "False" : false,
        valid_days: "2",
      });
      expect(created).toMatchObject({
        stat: "OK",
        response: {
          email: address,
          admin_role: "Help Desk",
          email_sent: false,
          valid_days: 2,
        },
      });
      const activation = created.response as {
        admin_activation_id: string;
        admin_id: string;
        link: string;
        code: string;
      };
      expect(activation.link).toMatch(/\/activate\//);
      expect(activation.link.endsWith(`/${activation.code}`)).toBe(true);

      const listed = await call("GET", "/admin/v1/admins/activations", { limit: "500" });
      const pending = listed.response as { admin_activation_id: string; link?: string }[];
      expect(pending.map((item) => item.admin_activation_id)).toContain(
        activation.admin_activation_id,
      );
      expect(pending.every((item) => item.link === undefined)).toBe(true);
      expect(listed.metadata).toMatchObject({ total_objects: pending.length });

      // A new link replaces the old one; then withdrawn, the admin stays pending with none.
      const renewed = await call(
        "POST",
        `/admin/v1/admins/${activation.admin_id}/activation_link`,
        { valid_days: "5" },
      );
      expect(renewed).toMatchObject({
        stat: "OK",
        response: { admin_id: activation.admin_id, status: "Pending Activation" },
      });
      const url = (renewed.response as DuoAdmin).activation_url;
      expect(url).toMatch(/\/activate\//);
      expect(url).not.toBe(activation.link);
      const withdrawn = await call(
        "DELETE",
        `/admin/v1/admins/${activation.admin_id}/activation_link`,
      );
      expect(withdrawn).toMatchObject({
        stat: "OK",
        response: { admin_id: activation.admin_id, status: "Pending Activation" },
      });
      const after = await call("GET", "/admin/v1/admins/activations", { limit: "500" });
      expect(
        (after.response as { admin_id: string }[]).some(
          (item) => item.admin_id === activation.admin_id,
        ),
      ).toBe(false);
      // An Active admin has no link to renew.
      const active = await call("POST", `/admin/v1/admins/${ownerId}/activation_link`, {});
      expect(active).toMatchObject({ stat: "FAIL", code: 40003 });

      // Withdrawing an activation removes the admin it would have activated.
      const again = await call("POST", "/admin/v1/admins/activations", {
        email: email(`withdraw-v${version}`),
        admin_role: "Billing",
      });
      const second = again.response as { admin_activation_id: string; admin_id: string };
      expect(
        await call("DELETE", `/admin/v1/admins/activations/${second.admin_activation_id}`),
      ).toEqual({ stat: "OK", response: "" });
      expect(await call("GET", `/admin/v1/admins/${second.admin_id}`)).toMatchObject({
        code: 40401,
      });
      expect(
        await call("DELETE", `/admin/v1/admins/activations/${second.admin_activation_id}`),
      ).toMatchObject({ code: 40401 });

      expect((await records(activation.admin_id)).map((record) => record.action)).toEqual([
        "admin_create",
        "admin_activation_link",
        "admin_activation_link_delete",
      ]);
      expect((await records(second.admin_id)).map((record) => record.action)).toEqual([
        "admin_create",
        "admin_delete",
      ]);
    }
  });

  it("reset ends a lockout; clear_inactivity brings an Expired admin back", async () => {
    const db = server.database.handle.db;
    const locked = await seedActiveAdmin(server.database, { accountId: parentId, role: "Billing" });
    await db
      .updateTable("admins")
      .set({ failed_sign_ins: 4, locked_until: new Date(Date.now() + 3_600_000) })
      .where("id", "=", locked.id)
      .execute();
    const call = officialClient(server, admins, 2);
    expect(await call("POST", `/admin/v1/admins/${locked.id}/reset`)).toEqual({
      stat: "OK",
      response: "",
    });
    expect(
      await db
        .selectFrom("admins")
        .select(["failed_sign_ins", "locked_until"])
        .where("id", "=", locked.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ failed_sign_ins: 0, locked_until: null });

    await db
      .updateTable("admins")
      .set({ status: "Expired", status_before_expiry: "Active" })
      .where("id", "=", locked.id)
      .execute();
    expect(
      await officialClient(
        server,
        admins,
        5,
      )("POST", `/admin/v1/admins/${locked.id}/clear_inactivity`),
    ).toMatchObject({ stat: "OK", response: { admin_id: locked.id, status: "Active" } });
    expect((await records(locked.id)).map((record) => [record.action, record.actor_kind])).toEqual([
      ["admin_reset", "application"],
      ["admin_clear_inactivity", "application"],
    ]);
  });
});
