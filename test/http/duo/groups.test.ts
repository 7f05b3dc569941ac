import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiGrant } from "../../../src/authz/index.js";
import { newId } from "../../../src/db/ids.js";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  officialClient,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";

type DuoGroup = Record<string, unknown> & { group_id: string; name: string };

const READ_WRITE: ApiGrant[] = ["adminapi_read_resource", "adminapi_write_resource"];

describe(`Duo Admin API groups (research/duo-api.md §4.2) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let parentId: string;
  let childId: string;
  let pagingId: string;
  let writer: Credentials;
  let reader: Credentials;
  let accounts: Credentials;
  let pager: Credentials;
  let pagingGroupId: string;

  const db = () => server.database.handle.db;
  const integration = (accountId: string, type: string, grants: ApiGrant[] = []) =>
    createCredentials(server, accountId, type, grants);
  const auditOf = (objectId: string) =>
    db()
      .selectFrom("audit_log")
      .select(["account_id", "actor_kind", "actor_id", "action", "before", "after"])
      .where("object_id", "=", objectId)
      .orderBy("id")
      .execute();
  const groupsIn = (accountId: string) =>
    db()
      .selectFrom("groups")
      .select(["id", "name", "description", "status"])
      .where("account_id", "=", accountId)
      .orderBy("name")
      .execute();

  beforeAll(async () => {
    server = await startHttpsServer();
    parentId = await insertAccount(db(), { name: "Northwind MSP" });
    childId = await insertAccount(db(), { name: "Contoso", parentId });
    pagingId = await insertAccount(db(), { name: "Paging Co" });
    writer = await integration(parentId, "adminapi", READ_WRITE);
    reader = await integration(parentId, "adminapi", ["adminapi_read_resource"]);
    accounts = await integration(parentId, "accountsapi");
    pager = await integration(pagingId, "adminapi", ["adminapi_read_resource"]);
    const groups = ["Echo", "Alpha", "Delta", "Bravo", "Charlie"].map((name) => ({
      id: newId("group"),
      account_id: pagingId,
      name,
      description: `${name} desc`,
    }));
    await db().insertInto("groups").values(groups).execute();
    pagingGroupId = groups[0]?.id ?? "";
    const users = ["uma", "ivan", "olga"].map((name) => ({
      id: newId("user"),
      account_id: pagingId,
      username: name,
    }));
    await db().insertInto("users").values(users).execute();
    await db()
      .insertInto("group_members")
      .values(
        users.map((user) => ({ group_id: pagingGroupId, user_id: user.id, account_id: pagingId })),
      )
      .execute();
  });
  afterAll(() => server.close());

  it("creates, reads (v1 and v2), updates and deletes a group, v2 and v5; one audit record per change", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, writer, version);
      const created = await call("POST", "/admin/v1/groups", {
        name: `Engineers ${version}`,
        desc: "Build things",
        status: "active",
        push_enabled: "1",
      });
      const group = created.response as DuoGroup;
      expect(created).toEqual({
        stat: "OK",
        response: {
          group_id: expect.stringMatching(/^DG[0-9A-Z]{18}$/),
          name: `Engineers ${version}`,
          desc: "Build things",
          status: "active",
          push_enabled: true,
          sms_enabled: true,
          voice_enabled: true,
          mobile_otp_enabled: true,
        },
      });
      expect(await call("GET", `/admin/v1/groups/${group.group_id}`)).toEqual({
        stat: "OK",
        response: group,
      });
      expect(await call("GET", `/admin/v2/groups/${group.group_id}`)).toEqual({
        stat: "OK",
        response: {
          group_id: group.group_id,
          name: `Engineers ${version}`,
          desc: "Build things",
          status: "active",
        },
      });

      const updated = await call("POST", `/admin/v1/groups/${group.group_id}`, {
        name: `Builders ${version}`,
        desc: "Build more things",
        status: "bypass",
      });
      expect(updated).toMatchObject({
        stat: "OK",
        response: {
          group_id: group.group_id,
          name: `Builders ${version}`,
          desc: "Build more things",
          status: "bypass",
        },
      });

      expect(await call("DELETE", `/admin/v1/groups/${group.group_id}`)).toEqual({
        stat: "OK",
        response: "",
      });
      expect(await call("GET", `/admin/v2/groups/${group.group_id}`)).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });
      expect(await call("DELETE", `/admin/v1/groups/${group.group_id}`)).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });

      const audit = await auditOf(group.group_id);
      expect(audit.map((record) => record.action)).toEqual([
        "group_create",
        "group_update",
        "group_delete",
      ]);
      for (const record of audit)
        expect(record).toMatchObject({
          account_id: parentId,
          actor_kind: "application",
          actor_id: writer.ikey,
        });
      expect(audit[1]?.after).toEqual({
        name: `Builders ${version}`,
        description: "Build more things",
        status: "bypass",
      });
    }
  });

  it("§3: v1 and v2 listings page by offset; next_offset absent on the last page, total_objects right", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, pager, version);
      for (const path of ["/admin/v1/groups", "/admin/v2/groups"]) {
        const names: string[] = [];
        const offsets: unknown[] = [];
        let offset: number | undefined = 0;
        while (offset !== undefined) {
          const page = await call("GET", path, { limit: "2", offset: String(offset) });
          expect(page).toMatchObject({ stat: "OK", metadata: { total_objects: 5 } });
          const groups = page.response as DuoGroup[];
          names.push(...groups.map((group) => group.name));
          for (const group of groups)
            expect("push_enabled" in group).toBe(path === "/admin/v1/groups");
          offset = page.metadata?.next_offset as number | undefined;
          offsets.push(offset);
        }
        expect(names).toEqual(["Alpha", "Bravo", "Charlie", "Delta", "Echo"]);
        expect(offsets).toEqual([2, 4, undefined]);
      }
      const byIds = await call("GET", "/admin/v1/groups", {
        group_id_list: JSON.stringify([pagingGroupId]),
      });
      expect(byIds).toMatchObject({
        stat: "OK",
        response: [{ group_id: pagingGroupId, name: "Echo", desc: "Echo desc" }],
        metadata: { total_objects: 1 },
      });
    }
  });

  it("§4.2: GET /admin/v2/groups/{id}/users pages through the members", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, pager, version);
      const first = await call("GET", `/admin/v2/groups/${pagingGroupId}/users`, { limit: "2" });
      expect(first).toEqual({
        stat: "OK",
        response: [
          { user_id: expect.stringMatching(/^DU/), username: "ivan" },
          { user_id: expect.stringMatching(/^DU/), username: "olga" },
        ],
        metadata: { total_objects: 3, next_offset: 2 },
      });
      const last = await call("GET", `/admin/v2/groups/${pagingGroupId}/users`, {
        limit: "2",
        offset: "2",
      });
      expect(last).toEqual({
        stat: "OK",
        response: [{ user_id: expect.stringMatching(/^DU/), username: "uma" }],
        metadata: { total_objects: 3, prev_offset: 0 },
      });
      expect(await call("GET", "/admin/v2/groups/DGNOSUCHGROUP0000000/users")).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });
    }
  });

  it("R-TEN-5: a parent's Accounts API integration manages a child's groups with account_id", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, accounts, version);
      const created = await call("POST", "/admin/v1/groups", {
        account_id: childId,
        name: `Child group ${version}`,
      });
      expect(created).toMatchObject({ stat: "OK", response: { name: `Child group ${version}` } });
      const group = created.response as DuoGroup;
      const listed = await call("GET", "/admin/v2/groups", { account_id: childId });
      expect((listed.response as DuoGroup[]).map((found) => found.group_id)).toContain(
        group.group_id,
      );
      expect(await call("GET", "/admin/v1/groups")).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(
        await call("POST", `/admin/v1/groups/${group.group_id}`, {
          account_id: childId,
          desc: "from the parent",
        }),
      ).toMatchObject({ stat: "OK", response: { desc: "from the parent" } });
      expect(
        await call("DELETE", `/admin/v1/groups/${group.group_id}`, { account_id: childId }),
      ).toEqual({ stat: "OK", response: "" });
      const audit = await auditOf(group.group_id);
      expect(audit.map((record) => [record.action, record.account_id, record.actor_kind])).toEqual([
        ["group_create", childId, "application"],
        ["group_update", childId, "application"],
        ["group_delete", childId, "application"],
      ]);
    }
  });

  it("R-ROLE-2: without adminapi_write_resource every write is 403 40301 and changes nothing", async () => {
    const created = await officialClient(server, writer, 2)("POST", "/admin/v1/groups", {
      name: "Guarded",
    });
    const group = created.response as DuoGroup;
    const before = await groupsIn(parentId);
    for (const version of [2, 5] as const) {
      const call = officialClient(server, reader, version);
      for (const [method, path, params] of [
        ["POST", "/admin/v1/groups", { name: "Sneaky" }],
        ["POST", `/admin/v1/groups/${group.group_id}`, { name: "Renamed" }],
        ["DELETE", `/admin/v1/groups/${group.group_id}`, {}],
      ] as const) {
        const answer = await call(method, path, params);
        expect([method, path, answer]).toMatchObject([
          method,
          path,
          { stat: "FAIL", code: 40301, message: "Access forbidden" },
        ]);
        expect(answer.message_detail).toContain("adminapi_write_resource");
      }
      expect(await call("GET", `/admin/v2/groups/${group.group_id}`)).toMatchObject({
        stat: "OK",
        response: { name: "Guarded" },
      });
    }
    expect(await groupsIn(parentId)).toEqual(before);
    expect((await auditOf(group.group_id)).map((record) => record.action)).toEqual([
      "group_create",
    ]);
  });

  it("§2.2: a bad parameter is 400 40002 naming it; a failed request changes nothing", async () => {
    const admin = officialClient(server, writer, 2);
    const kept = (await admin("POST", "/admin/v1/groups", { name: "Kept", desc: "as is" }))
      .response as DuoGroup;
    await admin("POST", "/admin/v1/groups", { name: "Taken" });
    const before = await groupsIn(parentId);
    for (const version of [2, 5] as const) {
      const call = officialClient(server, writer, version);
      for (const [method, path, params, named] of [
        ["POST", "/admin/v1/groups", { desc: "no name" }, "name"],
        ["POST", "/admin/v1/groups", { name: "   " }, "name"],
        ["POST", "/admin/v1/groups", { name: "Bad", status: "paused" }, "status"],
        ["POST", "/admin/v1/groups", { name: "No push", push_enabled: "0" }, "push_enabled"],
        ["POST", "/admin/v1/groups", { name: "Odd", sms_enabled: "maybe" }, "sms_enabled"],
        ["POST", `/admin/v1/groups/${kept.group_id}`, { desc: "x".repeat(501) }, "desc"],
        ["GET", "/admin/v1/groups", { limit: "1.5" }, "limit"],
        ["GET", "/admin/v1/groups", { group_id_list: "[1," }, "group_id_list"],
      ] as const) {
        const answer = await call(method, path, params);
        expect([path, params, answer]).toMatchObject([
          path,
          params,
          { stat: "FAIL", code: 40002, message: "Invalid request parameters" },
        ]);
        expect(answer.message_detail).toMatch(new RegExp(`^${named}: `));
      }
      // A new description and a name already taken: neither is kept.
      expect(
        await call("POST", `/admin/v1/groups/${kept.group_id}`, { desc: "changed", name: "taken" }),
      ).toMatchObject({ stat: "FAIL", code: 40003 });
      expect(await call("POST", "/admin/v1/groups", { name: "KEPT" })).toMatchObject({
        stat: "FAIL",
        code: 40003,
      });
    }
    expect(await groupsIn(parentId)).toEqual(before);
    expect((await auditOf(kept.group_id)).map((record) => record.action)).toEqual(["group_create"]);
  });
});
