import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedActiveAdmin } from "../../helpers/admins.js";
import {
  createCredentials,
  type HttpsTestServer,
  officialClient,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertApplication, insertGroup } from "../../helpers/fixtures.js";

type Call = ReturnType<typeof officialClient>;
interface DuoUnit {
  admin_unit_id: string;
  name: string;
  description: string;
  restrict_by_groups: boolean;
  restrict_by_integrations: boolean;
  admins: string[];
  groups: string[];
  integrations: string[];
}

describe(`the Duo Admin API's administrative units (research/duo-api.md §4.8) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let parentId: string;
  let childId: string;
  let ownerId: string;
  let staff: string[];
  let groups: string[];
  let apps: string[];
  let childGroup: string;
  let admins: { ikey: string; skey: string };
  let noGrant: { ikey: string; skey: string };
  let accounts: { ikey: string; skey: string };
  let counter = 0;
  const unitName = (label: string) => `${label} ${++counter}`;
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
    ownerId = (await seedActiveAdmin(server.database, { accountId: parentId, role: "Owner" })).id;
    staff = [];
    for (let i = 0; i < 3; i++)
      staff.push(
        (await seedActiveAdmin(server.database, { accountId: parentId, role: "Administrator" })).id,
      );
    groups = [
      await insertGroup(db, parentId),
      await insertGroup(db, parentId),
      await insertGroup(db, parentId),
    ];
    childGroup = await insertGroup(db, childId);
    const secrets = server.database.secrets;
    apps = [
      await insertApplication(db, secrets, { accountId: parentId }),
      await insertApplication(db, secrets, { accountId: parentId }),
      await insertApplication(db, secrets, { accountId: parentId }),
    ];
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

  it("creates, reads, updates and deletes a unit, signing v2 and v5, one log record each", async () => {
    for (const [version, call] of clients(admins)) {
      const app = version === 2 ? apps[0] : apps[1];
      const admin = staff[0] as string;
      const name = unitName(`Europe v${version}`);
      const created = await call("POST", "/admin/v1/administrative_units", {
        name,
        description: "EU staff",
        restrict_by_groups: version === 2 ? "true" : true,
        groups: version === 2 ? [groups[0], groups[1]] : `${groups[0]},${groups[1]}`,
        restrict_by_integrations: version === 2 ? "1" : true,
        integrations: version === 2 ? app : [app],
        admins: version === 2 ? admin : JSON.stringify([admin]),
      });
      expect(created).toMatchObject({
        stat: "OK",
        response: {
          name,
          description: "EU staff",
          restrict_by_groups: true,
          restrict_by_integrations: true,
          admins: [admin],
          groups: [groups[0], groups[1]].sort(),
          integrations: [app],
        },
      });
      const unit = created.response as DuoUnit;
      expect(unit.admin_unit_id).toMatch(/^DN[0-9A-Z]{18}$/);
      // R-UNIT-4: an admin put in a unit is restricted to it.
      expect(await call("GET", `/admin/v1/admins/${admin}`)).toMatchObject({
        response: { restricted_by_admin_units: true, admin_units: [unit.admin_unit_id] },
      });

      expect(await call("GET", `/admin/v1/administrative_units/${unit.admin_unit_id}`)).toEqual({
        stat: "OK",
        response: unit,
      });

      const updated = await call("POST", `/admin/v1/administrative_units/${unit.admin_unit_id}`, {
        name: `${name} renamed`,
        restrict_by_groups: version === 2 ? "false" : false,
      });
      expect(updated).toMatchObject({
        stat: "OK",
        response: {
          name: `${name} renamed`,
          description: "EU staff",
          restrict_by_groups: false,
          groups: [],
          integrations: [app],
          admins: [admin],
        },
      });

      expect(await call("DELETE", `/admin/v1/administrative_units/${unit.admin_unit_id}`)).toEqual({
        stat: "OK",
        response: "",
      });
      expect(
        await call("GET", `/admin/v1/administrative_units/${unit.admin_unit_id}`),
      ).toMatchObject({ stat: "FAIL", code: 40401 });
      const log = await records(unit.admin_unit_id);
      expect(log.map((record) => record.action)).toEqual([
        "admin_unit_create",
        "admin_unit_update",
        "admin_unit_delete",
      ]);
      for (const record of log)
        expect(record).toMatchObject({
          actor_kind: "application",
          actor_id: admins.ikey,
          account_id: parentId,
        });
    }
  });

  it("§3: pages through the units by offset, without next_offset on the last page; filters by member", async () => {
    const call = officialClient(server, admins, 2);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await call("POST", "/admin/v1/administrative_units", {
        name: unitName("Paged"),
        description: "",
      });
      made.push((created.response as DuoUnit).admin_unit_id);
    }
    await call("POST", `/admin/v1/administrative_units/${made[1]}/group/${groups[2]}`);
    for (const [, client] of clients(admins)) {
      const seen: DuoUnit[] = [];
      let offset: number | undefined = 0;
      let total = 0;
      while (offset !== undefined) {
        const page = await client("GET", "/admin/v1/administrative_units", {
          limit: "2",
          offset: String(offset),
        });
        total = page.metadata?.total_objects as number;
        seen.push(...(page.response as DuoUnit[]));
        offset = page.metadata?.next_offset as number | undefined;
        if (offset !== undefined) expect(page.response).toHaveLength(2);
      }
      expect(total).toBeGreaterThanOrEqual(3);
      expect(seen).toHaveLength(total);
      expect(seen.map((unit) => unit.admin_unit_id)).toEqual(expect.arrayContaining(made));
      const byGroup = await client("GET", "/admin/v1/administrative_units", {
        group_id: groups[2],
      });
      expect(byGroup).toMatchObject({
        response: [{ admin_unit_id: made[1] }],
        metadata: { total_objects: 1 },
      });
      expect(byGroup.metadata).not.toHaveProperty("next_offset");
      const twoFilters = await client("GET", "/admin/v1/administrative_units", {
        group_id: groups[2],
        admin_id: staff[0],
      });
      expect(twoFilters).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(twoFilters.message_detail).toMatch(/^(admin_id|group_id): /);
    }
  });

  it("assigns and unassigns admins, groups and integrations one at a time, one log record each", async () => {
    for (const [version, call] of clients(admins)) {
      const created = await call("POST", "/admin/v1/administrative_units", {
        name: unitName(`Assign v${version}`),
        description: "one at a time",
        restrict_by_groups: "true",
        restrict_by_integrations: "true",
      });
      const id = (created.response as DuoUnit).admin_unit_id;
      const admin = staff[1] as string;
      const app = apps[2] as string;
      for (const path of [`admin/${admin}`, `group/${groups[0]}`, `integration/${app}`])
        expect(await call("POST", `/admin/v1/administrative_units/${id}/${path}`)).toEqual({
          stat: "OK",
          response: "",
        });
      expect(await call("GET", `/admin/v1/administrative_units/${id}`)).toMatchObject({
        response: { admins: [admin], groups: [groups[0]], integrations: [app] },
      });
      const byIntegration = await call("GET", "/admin/v1/administrative_units", {
        integration_key: app,
      });
      expect(byIntegration.response).toEqual([expect.objectContaining({ admin_unit_id: id })]);
      for (const path of [`admin/${admin}`, `group/${groups[0]}`, `integration/${app}`])
        expect(await call("DELETE", `/admin/v1/administrative_units/${id}/${path}`)).toEqual({
          stat: "OK",
          response: "",
        });
      expect(await call("GET", `/admin/v1/administrative_units/${id}`)).toMatchObject({
        response: { admins: [], groups: [], integrations: [] },
      });
      // R-UNIT-5: taken out of its last unit, the admin stays restricted.
      expect(await call("GET", `/admin/v1/admins/${admin}`)).toMatchObject({
        response: { restricted_by_admin_units: true },
      });
      // Not in the unit, or not of this account: not found.
      expect(
        await call("DELETE", `/admin/v1/administrative_units/${id}/group/${groups[0]}`),
      ).toMatchObject({ stat: "FAIL", code: 40401 });
      expect(
        await call("POST", `/admin/v1/administrative_units/${id}/group/${childGroup}`),
      ).toMatchObject({ stat: "FAIL", code: 40401 });
      const log = await records(id);
      expect(log.map((record) => [record.action, record.actor_kind])).toEqual([
        ["admin_unit_create", "application"],
        ...Array.from({ length: 6 }, () => ["admin_unit_update", "application"]),
      ]);
    }
  });

  it("R-UNIT-8h: an Owner cannot be put in a unit", async () => {
    for (const [, call] of clients(admins)) {
      const created = await call("POST", "/admin/v1/administrative_units", {
        name: unitName("Owners"),
        description: "",
        admins: ownerId,
      });
      expect(created).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(created.message_detail).toContain("R-UNIT-8h");
      const unit = await call("POST", "/admin/v1/administrative_units", {
        name: unitName("No owners"),
        description: "",
      });
      const id = (unit.response as DuoUnit).admin_unit_id;
      const assigned = await call("POST", `/admin/v1/administrative_units/${id}/admin/${ownerId}`);
      expect(assigned).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(assigned.message_detail).toContain("R-UNIT-8h");
    }
    const denied = (await records(ownerId)).filter((record) => record.rule === "R-UNIT-8h");
    expect(denied.length).toBeGreaterThanOrEqual(4);
    expect(denied[0]).toMatchObject({ action: "access_denied", actor_kind: "application" });
  });

  it("R-UNIT-3: an integration already in another unit is a conflict naming it", async () => {
    const call = officialClient(server, admins, 5);
    const first = await call("POST", "/admin/v1/administrative_units", {
      name: unitName("Holder"),
      description: "",
      integrations: [apps[0]],
    });
    expect(first).toMatchObject({ stat: "OK" });
    for (const [, client] of clients(admins)) {
      const second = await client("POST", "/admin/v1/administrative_units", {
        name: unitName("Taker"),
        description: "",
        integrations: apps[0],
      });
      expect(second).toMatchObject({ stat: "FAIL", code: 40003 });
      expect(second.message_detail).toContain("R-UNIT-3");
      expect(second.message_detail).toContain(apps[0]);
      const other = await client("POST", "/admin/v1/administrative_units", {
        name: unitName("Other"),
        description: "",
      });
      const otherId = (other.response as DuoUnit).admin_unit_id;
      const assigned = await client(
        "POST",
        `/admin/v1/administrative_units/${otherId}/integration/${apps[0]}`,
      );
      expect(assigned).toMatchObject({ stat: "FAIL", code: 40003 });
      expect(assigned.message_detail).toContain("R-UNIT-3");
    }
    // Unit names are unique in the account.
    const duplicate = await call("POST", "/admin/v1/administrative_units", {
      name: (first.response as DuoUnit).name.toUpperCase(),
      description: "",
    });
    expect(duplicate).toMatchObject({ stat: "FAIL", code: 40003 });
  });

  it("R-TEN-5: a parent's Accounts API integration manages a child's units with account_id", async () => {
    for (const [version, call] of clients(accounts)) {
      const created = await call("POST", "/admin/v1/administrative_units", {
        account_id: childId,
        name: unitName(`Child v${version}`),
        description: "child",
        groups: childGroup,
      });
      expect(created).toMatchObject({
        stat: "OK",
        response: { restrict_by_groups: true, groups: [childGroup] },
      });
      const id = (created.response as DuoUnit).admin_unit_id;
      const listed = await call("GET", "/admin/v1/administrative_units", { account_id: childId });
      expect((listed.response as DuoUnit[]).map((unit) => unit.admin_unit_id)).toContain(id);
      // The parent's groups are not the child's (R-SUB-6).
      const parentGroup = await call("POST", `/admin/v1/administrative_units/${id}`, {
        account_id: childId,
        groups: groups[0],
      });
      expect(parentGroup).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(parentGroup.message_detail).toMatch(/^groups: /);
      // Without account_id, an Accounts API integration does not reach the Admin API.
      expect(await call("GET", "/admin/v1/administrative_units")).toMatchObject({ code: 40301 });
      expect(
        await call("DELETE", `/admin/v1/administrative_units/${id}`, { account_id: childId }),
      ).toEqual({ stat: "OK", response: "" });
      expect((await records(id)).map((record) => [record.action, record.account_id])).toEqual([
        ["admin_unit_create", childId],
        ["admin_unit_delete", childId],
      ]);
    }
  });

  it("R-ROLE-2: without the adminapi_admins grant, 403 40301 naming it", async () => {
    for (const [, call] of clients(noGrant)) {
      for (const [method, path] of [
        ["GET", "/admin/v1/administrative_units"],
        ["POST", "/admin/v1/administrative_units"],
        ["DELETE", "/admin/v1/administrative_units/DNAAAAAAAAAAAAAAAAAA"],
        ["POST", `/admin/v1/administrative_units/DNAAAAAAAAAAAAAAAAAA/admin/${staff[2]}`],
      ] as const) {
        const answer = await call(method, path, {});
        expect([path, answer.stat, answer.code]).toEqual([path, "FAIL", 40301]);
        expect(answer.message_detail).toContain("adminapi_admins");
      }
    }
  });

  it("a bad parameter is 400 40002 naming it", async () => {
    const call = officialClient(server, admins, 2);
    const cases: [object, string][] = [
      [{ description: "no name" }, "name"],
      [{ name: unitName("Bad"), restrict_by_groups: "maybe" }, "restrict_by_groups"],
      [{ name: unitName("Bad"), groups: "DGNOTAGROUP" }, "groups"],
      [{ name: unitName("Bad"), admins: "DENOTANADMIN" }, "admins"],
      [
        { name: unitName("Bad"), restrict_by_integrations: "false", integrations: apps[1] },
        "integrations",
      ],
      [{ name: "x".repeat(101) }, "name"],
    ];
    for (const [params, name] of cases) {
      const answer = await call("POST", "/admin/v1/administrative_units", params);
      expect([name, answer.stat, answer.code]).toEqual([name, "FAIL", 40002]);
      expect(answer.message_detail).toMatch(new RegExp(`^${name}: `));
    }
    const restricted = await call("POST", "/admin/v1/administrative_units", {
      name: unitName("Bad"),
      restrict_by_groups: "false",
      groups: groups[0],
    });
    expect(restricted.message_detail).toBe(
      "groups: must be empty when restrict_by_groups is false",
    );
    expect(await call("GET", "/admin/v1/administrative_units", { limit: "ten" })).toMatchObject({
      code: 40002,
      message_detail: expect.stringMatching(/^limit: /),
    });
  });
});
