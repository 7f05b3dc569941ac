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

const READ_WRITE: ApiGrant[] = ["adminapi_read_resource", "adminapi_write_resource"];
type DuoBypassCode = { bypass_code_id: string; user: { user_id: string } } & Record<
  string,
  unknown
>;

describe(`Duo Admin API bypass codes (research/duo-api.md §4.1, §4.4) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let accountId: string;
  let writer: Credentials;
  let reader: Credentials;

  const db = () => server.database.handle.db;
  const insertUser = async (username: string) => {
    const id = newId("user");
    await db().insertInto("users").values({ id, account_id: accountId, username }).execute();
    return id;
  };

  beforeAll(async () => {
    server = await startHttpsServer();
    accountId = await insertAccount(db(), { name: "Northwind" });
    writer = await createCredentials(server, accountId, "adminapi", READ_WRITE);
    reader = await createCredentials(server, accountId, "adminapi", ["adminapi_read_resource"]);
  });
  afterAll(() => server.close());

  it("creates 10 codes, lists and pages them, reads and deletes one, with the official client v2 and v5", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, writer, version);
      const userId = await insertUser(`pat${version}`);
      const path = `/admin/v1/users/${userId}/bypass_codes`;

      const created = await call("POST", path, { count: "10", valid_secs: "3600" });
      expect(created.stat, JSON.stringify(created)).toBe("OK");
      const codes = created.response as string[];
      expect(codes).toHaveLength(10);
      for (const code of codes) expect(code).toMatch(/^[0-9]{9}$/);

      const listed = await call("GET", path);
      expect(listed).toMatchObject({ stat: "OK", metadata: { total_objects: 10 } });
      const items = listed.response as DuoBypassCode[];
      expect(items).toHaveLength(10);
      expect(items[0]).toEqual({
        bypass_code_id: expect.stringMatching(/^DB[0-9A-Z]{18}$/),
        admin_email: "",
        created: expect.any(Number),
        expiration: expect.any(Number),
        reuse_count: 1,
        user: {
          user_id: userId,
          username: `pat${version}`,
          realname: "",
          email: "",
          status: "active",
        },
      });
      const first = items[0] as DuoBypassCode;
      expect((first.expiration as number) - (first.created as number)).toBe(3600);
      for (const code of codes) expect(JSON.stringify(listed)).not.toContain(code);

      // §3 paging: limit and offset, next_offset while more remain.
      const page = await call("GET", path, { limit: "4", offset: "8" });
      expect(page).toMatchObject({
        stat: "OK",
        metadata: { total_objects: 10, prev_offset: 4 },
      });
      expect(page.metadata).not.toHaveProperty("next_offset");
      expect((page.response as DuoBypassCode[]).map((item) => item.bypass_code_id)).toEqual(
        items.slice(8).map((item) => item.bypass_code_id),
      );
      const firstPage = await call("GET", path, { limit: "4" });
      expect(firstPage.metadata).toMatchObject({ total_objects: 10, next_offset: 4 });

      // §4.4: the account's list and one code by id.
      const all = await call("GET", "/admin/v1/bypass_codes", { limit: "500" });
      expect(all.stat).toBe("OK");
      expect(
        (all.response as DuoBypassCode[]).filter((item) => item.user.user_id === userId),
      ).toHaveLength(10);
      expect(await call("GET", `/admin/v1/bypass_codes/${first.bypass_code_id}`)).toEqual({
        stat: "OK",
        response: first,
      });

      // Given codes, kept beside the others; reuse_count 0 = any number of times.
      const given = await call("POST", path, {
        codes: "1234567890,2345678901",
        reuse_count: "0",
        preserve_existing: "true",
      });
      expect(given).toEqual({ stat: "OK", response: ["1234567890", "2345678901"] });
      expect((await call("GET", path)).metadata).toMatchObject({ total_objects: 12 });
      // By default a new batch replaces the user's codes.
      expect(((await call("POST", path, { count: "2" })).response as string[]).length).toBe(2);
      const replaced = await call("GET", path);
      expect(replaced.metadata).toMatchObject({ total_objects: 2 });

      const [doomed] = replaced.response as DuoBypassCode[];
      const removed = await call("DELETE", `/admin/v1/bypass_codes/${doomed?.bypass_code_id}`);
      expect(removed).toEqual({ stat: "OK", response: "" });
      expect(await call("GET", `/admin/v1/bypass_codes/${doomed?.bypass_code_id}`)).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });
      expect((await call("GET", path)).metadata).toMatchObject({ total_objects: 1 });

      // R-AUD-1: one record per change, never a code.
      const log = await db()
        .selectFrom("audit_log")
        .select(["action", "actor_kind", "after", "before"])
        .where("object_id", "=", userId)
        .orderBy("id")
        .execute();
      expect(log.map((row) => [row.action, row.actor_kind])).toEqual([
        ["bypass_create", "application"],
        ["bypass_create", "application"],
        ["bypass_create", "application"],
        ["bypass_delete", "application"],
      ]);
      for (const code of [...codes, "1234567890"]) expect(JSON.stringify(log)).not.toContain(code);
    }
  });

  it("refuses bad parameters with 40002 and a missing user with 40401", async () => {
    const call = officialClient(server, writer, 2);
    const userId = await insertUser("quinn");
    const path = `/admin/v1/users/${userId}/bypass_codes`;
    for (const params of [
      { count: "11" },
      { count: "1", codes: "123456789" },
      { codes: "12345" },
      { reuse_count: "-1" },
      { valid_secs: "x" },
    ])
      expect(await call("POST", path, params), JSON.stringify(params)).toMatchObject({
        stat: "FAIL",
        code: 40002,
      });
    expect(
      await call("POST", `/admin/v1/users/DU${"9".repeat(18)}/bypass_codes`, { count: "1" }),
    ).toMatchObject({ stat: "FAIL", code: 40401 });
  });

  it("without adminapi_write_resource: 403 40301, nothing created; reading still works", async () => {
    const userId = await insertUser("rita");
    const call = officialClient(server, reader, 5);
    const refused = await call("POST", `/admin/v1/users/${userId}/bypass_codes`, { count: 1 });
    expect(refused).toMatchObject({ stat: "FAIL", code: 40301 });
    expect(await call("GET", `/admin/v1/users/${userId}/bypass_codes`)).toMatchObject({
      stat: "OK",
      response: [],
      metadata: { total_objects: 0 },
    });
    const stored = await db()
      .selectFrom("bypass_codes")
      .select("id")
      .where("user_id", "=", userId)
      .execute();
    expect(stored).toEqual([]);
    const writerCall = officialClient(server, writer, 5);
    await writerCall("POST", `/admin/v1/users/${userId}/bypass_codes`, { count: 1 });
    const [code] = (await call("GET", `/admin/v1/users/${userId}/bypass_codes`))
      .response as DuoBypassCode[];
    expect(await call("DELETE", `/admin/v1/bypass_codes/${code?.bypass_code_id}`)).toMatchObject({
      stat: "FAIL",
      code: 40301,
    });
  });
});
