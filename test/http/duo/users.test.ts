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

type DuoUser = Record<string, unknown> & { user_id: string; username: string };

const READ_WRITE: ApiGrant[] = ["adminapi_read_resource", "adminapi_write_resource"];

describe(`Duo Admin API users (research/duo-api.md §4.1) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let parentId: string;
  let childId: string;
  let pagingId: string;
  let writer: Credentials;
  let reader: Credentials;
  let accounts: Credentials;
  let pager: Credentials;

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
  const usersIn = (accountId: string) =>
    db()
      .selectFrom("users")
      .select(["id", "username", "real_name", "email", "status", "aliases"])
      .where("account_id", "=", accountId)
      .orderBy("username")
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
    await db()
      .insertInto("users")
      .values(
        ["grace", "ada", "edsger", "barbara", "alan", "donald", "frances"].map((name) => ({
          id: newId("user"),
          account_id: pagingId,
          username: name,
          email: `${name}@paging.example`,
        })),
      )
      .execute();
  });
  afterAll(() => server.close());

  it("creates, reads, updates and deletes a user with the official client, v2 and v5; one audit record per change", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, writer, version);
      const created = await call("POST", "/admin/v1/users", {
        username: `jsmith${version}`,
        realname: "Joe Smith",
        email: `jsmith${version}@example.com`,
        notes: "night shift",
        status: "active",
        alias1: `joe${version}`,
        alias2: `smithj${version}`,
      });
      expect(created).toMatchObject({ stat: "OK" });
      const user = created.response as DuoUser;
      expect(user).toEqual({
        user_id: expect.stringMatching(/^DU[0-9A-Z]{18}$/),
        username: `jsmith${version}`,
        realname: "Joe Smith",
        firstname: "",
        lastname: "",
        email: `jsmith${version}@example.com`,
        notes: "night shift",
        status: "active",
        alias1: `joe${version}`,
        alias2: `smithj${version}`,
        alias3: null,
        alias4: null,
        aliases: { alias1: `joe${version}`, alias2: `smithj${version}` },
        created: expect.any(Number),
        last_login: null,
        last_directory_sync: null,
        is_enrolled: false,
        lockout_reason: null,
        groups: [],
        phones: [],
        tokens: [],
        u2ftokens: [],
        webauthncredentials: [],
        desktoptokens: [],
      });
      expect(Math.abs((user.created as number) - Date.now() / 1000)).toBeLessThan(60);

      const read = await call("GET", `/admin/v1/users/${user.user_id}`);
      expect(read).toEqual({ stat: "OK", response: user });

      // §4.1: `aliases` URL-encoded; a blank alias clears its slot, slots not named stay.
      const updated = await call("POST", `/admin/v1/users/${user.user_id}`, {
        realname: "Joseph Smith",
        status: "disabled",
        aliases: `alias1=&alias3=js${version}`,
      });
      expect(updated).toMatchObject({
        stat: "OK",
        response: {
          user_id: user.user_id,
          realname: "Joseph Smith",
          status: "disabled",
          aliases: { alias1: `smithj${version}`, alias2: `js${version}` },
        },
      });

      expect(await call("DELETE", `/admin/v1/users/${user.user_id}`)).toEqual({
        stat: "OK",
        response: "",
      });
      // Idempotent: "If the user is already deleted, does nothing".
      expect(await call("DELETE", `/admin/v1/users/${user.user_id}`)).toEqual({
        stat: "OK",
        response: "",
      });
      expect(await call("GET", `/admin/v1/users/${user.user_id}`)).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });

      const audit = await auditOf(user.user_id);
      expect(audit.map((record) => record.action)).toEqual([
        "user_create",
        "user_update",
        "user_delete",
      ]);
      for (const record of audit)
        expect(record).toMatchObject({
          account_id: parentId,
          actor_kind: "application",
          actor_id: writer.ikey,
        });
      expect(audit[1]?.after).toEqual({
        real_name: "Joseph Smith",
        status: "disabled",
        aliases: [`smithj${version}`, `js${version}`],
      });
    }
  });

  it("§3: pages through the users by offset; next_offset is absent on the last page, total_objects right", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, pager, version);
      const seen: string[] = [];
      const offsets: unknown[] = [];
      let offset: number | undefined = 0;
      while (offset !== undefined) {
        const page = await call("GET", "/admin/v1/users", {
          limit: "3",
          offset: String(offset),
        });
        expect(page).toMatchObject({ stat: "OK", metadata: { total_objects: 7 } });
        seen.push(...(page.response as DuoUser[]).map((user) => user.username));
        offset = page.metadata?.next_offset as number | undefined;
        offsets.push(offset);
      }
      expect(seen).toEqual(["ada", "alan", "barbara", "donald", "edsger", "frances", "grace"]);
      expect(offsets).toEqual([3, 6, undefined]);

      const last = await call("GET", "/admin/v1/users", { limit: "3", offset: "6" });
      expect(last.metadata).toEqual({ total_objects: 7, prev_offset: 3 });
      // A limit over the maximum (300) is clamped, not refused; the default is 100.
      const all = await call("GET", "/admin/v1/users", { limit: "5000" });
      expect(all.response).toHaveLength(7);
      expect(all.metadata).toEqual({ total_objects: 7 });
    }
  });

  it("§4.1: username (or alias, any case), email, username_list and user_id_list look users up", async () => {
    const call = officialClient(server, writer, 5);
    const created = await call("POST", "/admin/v1/users", {
      username: "lookup.me",
      email: "Lookup@Example.com",
      aliases: JSON.stringify({ alias1: "finder" }),
    });
    const user = created.response as DuoUser;
    for (const version of [2, 5] as const) {
      const get = officialClient(server, version === 2 ? writer : reader, version);
      const names = async (params: object) => {
        const answer = await get("GET", "/admin/v1/users", params);
        expect(answer.stat).toBe("OK");
        return (answer.response as DuoUser[]).map((found) => found.username);
      };
      expect(await names({ username: "LOOKUP.ME" })).toEqual(["lookup.me"]);
      expect(await names({ username: "Finder" })).toEqual(["lookup.me"]);
      expect(await names({ username: "nobody" })).toEqual([]);
      expect(await names({ email: "lookup@example.com" })).toEqual(["lookup.me"]);
      expect(await names({ username_list: JSON.stringify(["finder", "nobody"]) })).toEqual([
        "lookup.me",
      ]);
      expect(await names({ user_id_list: JSON.stringify([user.user_id]) })).toEqual(["lookup.me"]);
    }
  });

  it("R-TEN-5: a parent's Accounts API integration manages a child's users with account_id", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, accounts, version);
      const created = await call("POST", "/admin/v1/users", {
        account_id: childId,
        username: `child-user-${version}`,
      });
      expect(created).toMatchObject({
        stat: "OK",
        response: { username: `child-user-${version}` },
      });
      const user = created.response as DuoUser;
      const listed = await call("GET", "/admin/v1/users", {
        account_id: childId,
        username: `child-user-${version}`,
      });
      expect((listed.response as DuoUser[]).map((found) => found.user_id)).toEqual([user.user_id]);
      expect(
        await call("POST", `/admin/v1/users/${user.user_id}`, {
          account_id: childId,
          notes: "managed by the parent",
        }),
      ).toMatchObject({ stat: "OK", response: { notes: "managed by the parent" } });
      // Not in the parent, and not without account_id.
      expect(await call("GET", `/admin/v1/users/${user.user_id}`)).toMatchObject({
        stat: "FAIL",
        code: 40301,
      });
      expect(
        await officialClient(server, writer, version)("GET", `/admin/v1/users/${user.user_id}`),
      ).toMatchObject({ stat: "FAIL", code: 40401 });
      expect(
        await call("DELETE", `/admin/v1/users/${user.user_id}`, { account_id: childId }),
      ).toEqual({ stat: "OK", response: "" });
      const audit = await auditOf(user.user_id);
      expect(audit.map((record) => [record.action, record.account_id, record.actor_kind])).toEqual([
        ["user_create", childId, "application"],
        ["user_update", childId, "application"],
        ["user_delete", childId, "application"],
      ]);
    }
    // An Admin API integration of the child cannot reach its parent.
    const childAdmin = await integration(childId, "adminapi", READ_WRITE);
    expect(
      await officialClient(server, childAdmin, 2)("GET", "/admin/v1/users", {
        account_id: parentId,
      }),
    ).toMatchObject({ stat: "FAIL", code: 40301 });
  });

  it("R-ROLE-2: without adminapi_write_resource every write is 403 40301 and changes nothing", async () => {
    const created = await officialClient(server, writer, 2)("POST", "/admin/v1/users", {
      username: "read-only-target",
      realname: "Before",
    });
    const user = created.response as DuoUser;
    const group = await officialClient(server, writer, 2)("POST", "/admin/v1/groups", {
      name: "Read-only target",
    });
    const groupId = (group.response as { group_id: string }).group_id;
    const before = await usersIn(parentId);
    for (const version of [2, 5] as const) {
      const call = officialClient(server, reader, version);
      for (const [method, path, params] of [
        ["POST", "/admin/v1/users", { username: "sneaky" }],
        ["POST", `/admin/v1/users/${user.user_id}`, { realname: "After" }],
        ["POST", `/admin/v1/users/${user.user_id}`, {}],
        ["DELETE", `/admin/v1/users/${user.user_id}`, {}],
        ["POST", `/admin/v1/users/${user.user_id}/groups`, { group_id: groupId }],
        ["DELETE", `/admin/v1/users/${user.user_id}/groups/${groupId}`, {}],
      ] as const) {
        const answer = await call(method, path, params);
        expect([method, path, answer]).toMatchObject([
          method,
          path,
          { stat: "FAIL", code: 40301, message: "Access forbidden" },
        ]);
        expect(answer.message_detail).toContain("adminapi_write_resource");
      }
      expect(await call("GET", `/admin/v1/users/${user.user_id}`)).toMatchObject({
        stat: "OK",
        response: { realname: "Before" },
      });
    }
    expect(await usersIn(parentId)).toEqual(before);
    expect((await auditOf(user.user_id)).map((record) => record.action)).toEqual(["user_create"]);
  });

  it("§2.2: a bad parameter is 400 40002 naming it; a failed request changes nothing", async () => {
    const created = await officialClient(server, writer, 2)("POST", "/admin/v1/users", {
      username: "steady",
      realname: "Steady State",
      email: "steady@example.com",
    });
    const user = created.response as DuoUser;
    const before = await usersIn(parentId);
    for (const version of [2, 5] as const) {
      const call = officialClient(server, writer, version);
      for (const [method, path, params, named] of [
        ["POST", "/admin/v1/users", { realname: "No Username" }, "username"],
        ["POST", "/admin/v1/users", { username: "bad-status", status: "locked out" }, "status"],
        ["POST", "/admin/v1/users", { username: "bad-email", email: "not-an-email" }, "email"],
        ["POST", "/admin/v1/users", { username: "split", firstname: "Split" }, "firstname"],
        // Spaces are kept as Duo keeps them (issue 13 item 9); control characters are not.
        ["POST", "/admin/v1/users", { username: "tab\tinside" }, "username"],
        [
          "POST",
          "/admin/v1/users",
          { username: "two-ways", alias1: "a", aliases: "alias2=b" },
          "aliases",
        ],
        ["GET", "/admin/v1/users", { limit: "ten" }, "limit"],
        ["GET", "/admin/v1/users", { offset: "-1" }, "offset"],
        ["GET", "/admin/v1/users", { user_id_list: "[not json" }, "user_id_list"],
        // A valid full name and a bad email: neither is kept.
        [
          "POST",
          `/admin/v1/users/${user.user_id}`,
          { realname: "Changed", email: "broken" },
          "email",
        ],
        ["POST", `/admin/v1/users/${user.user_id}`, { realname: "x".repeat(101) }, "realname"],
        ["POST", `/admin/v1/users/${user.user_id}`, { status: "Active" }, "status"],
        ["POST", `/admin/v1/users/${user.user_id}/groups`, {}, "group_id"],
      ] as const) {
        const answer = await call(method, path, params);
        expect([path, params, answer]).toMatchObject([
          path,
          params,
          { stat: "FAIL", code: 40002, message: "Invalid request parameters" },
        ]);
        expect(answer.message_detail).toMatch(new RegExp(`^${named}: `));
      }
      // A duplicate username is Duo's 40003 and adds nothing.
      expect(await call("POST", "/admin/v1/users", { username: "STEADY" })).toMatchObject({
        stat: "FAIL",
        code: 40003,
      });
    }
    expect(await usersIn(parentId)).toEqual(before);
    expect((await auditOf(user.user_id)).map((record) => record.action)).toEqual(["user_create"]);
  });

  it("§4.1: a user's groups: add, list (paged, group objects), remove; each change one audit record", async () => {
    const admin = officialClient(server, writer, 2);
    const user = (await admin("POST", "/admin/v1/users", { username: "member" }))
      .response as DuoUser;
    const groupIds: string[] = [];
    for (const name of ["Alpha", "Beta", "Gamma"]) {
      const created = await admin("POST", "/admin/v1/groups", { name, desc: `${name} team` });
      groupIds.push((created.response as { group_id: string }).group_id);
    }
    for (const version of [2, 5] as const) {
      const call = officialClient(server, writer, version);
      for (const groupId of groupIds)
        expect(
          await call("POST", `/admin/v1/users/${user.user_id}/groups`, { group_id: groupId }),
        ).toEqual({ stat: "OK", response: "" });
      const first = await call("GET", `/admin/v1/users/${user.user_id}/groups`, { limit: "2" });
      expect(first).toMatchObject({ stat: "OK", metadata: { total_objects: 3, next_offset: 2 } });
      expect(first.response).toEqual([
        {
          group_id: groupIds[0],
          name: "Alpha",
          desc: "Alpha team",
          status: "active",
          push_enabled: true,
          sms_enabled: true,
          voice_enabled: true,
          mobile_otp_enabled: true,
        },
        expect.objectContaining({ group_id: groupIds[1], name: "Beta" }),
      ]);
      const second = await call("GET", `/admin/v1/users/${user.user_id}/groups`, {
        limit: "2",
        offset: "2",
      });
      expect(second.metadata).toEqual({ total_objects: 3, prev_offset: 0 });
      expect((second.response as { name: string }[]).map((group) => group.name)).toEqual(["Gamma"]);
      const read = await call("GET", `/admin/v1/users/${user.user_id}`);
      expect(
        (read.response as { groups: { group_id: string; desc: string }[] }).groups.map((group) => [
          group.group_id,
          group.desc,
        ]),
      ).toEqual([
        [groupIds[0], "Alpha team"],
        [groupIds[1], "Beta team"],
        [groupIds[2], "Gamma team"],
      ]);
      for (const groupId of groupIds)
        expect(await call("DELETE", `/admin/v1/users/${user.user_id}/groups/${groupId}`)).toEqual({
          stat: "OK",
          response: "",
        });
      expect(await call("GET", `/admin/v1/users/${user.user_id}/groups`)).toEqual({
        stat: "OK",
        response: [],
        metadata: { total_objects: 0 },
      });
    }
    for (const groupId of groupIds) {
      const audit = await auditOf(groupId);
      expect(audit.map((record) => [record.action, record.actor_kind])).toEqual([
        ["group_create", "application"],
        ["group_member_add", "application"],
        ["group_member_remove", "application"],
        ["group_member_add", "application"],
        ["group_member_remove", "application"],
      ]);
    }
  });
});
