import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../../src/db/ids.js";
import {
  createCredentials,
  type HttpsTestServer,
  officialClient,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";

/** R-TEN-2, R-TEN-5: one tenant's credentials reach nothing of another's, and bad input changes nothing. */
describe(`Duo API tenant isolation and refusals on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let ours: { ikey: string; skey: string };
  let theirAccount: string;
  let theirUser: string;

  const db = () => server.database.handle.db;
  const theirUserRow = () =>
    db()
      .selectFrom("users")
      .select(["username", "real_name"])
      .where("id", "=", theirUser)
      .executeTakeFirst();

  beforeAll(async () => {
    server = await startHttpsServer();
    const ourAccount = await insertAccount(db(), { name: "Northwind MSP" });
    theirAccount = await insertAccount(db(), { name: "Rival MSP" });
    theirUser = newId("user");
    await db()
      .insertInto("users")
      .values({ id: theirUser, account_id: theirAccount, username: "victim", real_name: "Vic Tim" })
      .execute();
    ours = await createCredentials(server, ourAccount, "adminapi", [
      "adminapi_read_resource",
      "adminapi_write_resource",
      "adminapi_info",
    ]);
  });
  afterAll(() => server.close());

  it("another tenant's user id answers 404 40401 to reads and writes, and its user is untouched", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, ours, version);
      expect(await call("GET", `/admin/v1/users/${theirUser}`)).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });
      expect(
        await call("POST", `/admin/v1/users/${theirUser}`, { realname: "Pwned" }),
      ).toMatchObject({ stat: "FAIL", code: 40401 });
      // Duo's user delete is idempotent: an id it does not know answers OK and deletes nothing.
      expect(await call("DELETE", `/admin/v1/users/${theirUser}`)).toMatchObject({ stat: "OK" });
      expect(await theirUserRow()).toEqual({ username: "victim", real_name: "Vic Tim" });
    }
  });

  it("naming another tenant's account with account_id is 403 40301 and reads nothing of it", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, ours, version);
      const listed = await call("GET", "/admin/v1/users", { account_id: theirAccount });
      expect(listed).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(JSON.stringify(listed)).not.toContain("victim");
      const summary = await call("GET", "/admin/v1/info/summary", { account_id: theirAccount });
      expect(summary).toMatchObject({ stat: "FAIL", code: 40301 });
    }
  });

  it("malformed parameters are 400 40002 naming the parameter, and create nothing", async () => {
    const call = officialClient(server, ours, 5);
    const badLimit = await call("GET", "/admin/v1/users", { limit: "many" });
    expect(badLimit).toMatchObject({ stat: "FAIL", code: 40002 });
    expect(badLimit.message_detail).toContain("limit");
    const badStatus = await call("POST", "/admin/v1/users", { username: "x1", status: "sleepy" });
    expect(badStatus).toMatchObject({ stat: "FAIL", code: 40002 });
    expect(badStatus.message_detail).toContain("status");
    const noUsername = await call("POST", "/admin/v1/users", { realname: "Nobody" });
    expect(noUsername).toMatchObject({ stat: "FAIL", code: 40002 });
    expect(noUsername.message_detail).toContain("username");
    const created = await db()
      .selectFrom("users")
      .select("username")
      .where("username", "in", ["x1", ""])
      .execute();
    expect(created).toEqual([]);
  });
});
