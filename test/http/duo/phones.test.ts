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
type DuoPhone = Record<string, unknown> & { phone_id: string; number: string };

describe(`Duo Admin API phones (research/duo-api.md §4.1, §4.3, §5) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let accountId: string;
  let otherAccountId: string;
  let writer: Credentials;
  let reader: Credentials;

  const db = () => server.database.handle.db;
  const insertUser = async (username: string, account = accountId) => {
    const id = newId("user");
    await db().insertInto("users").values({ id, account_id: account, username }).execute();
    return id;
  };
  const phonesIn = (account: string) =>
    db().selectFrom("phones").selectAll().where("account_id", "=", account).orderBy("id").execute();
  const linksIn = (account: string) =>
    db()
      .selectFrom("user_phones")
      .selectAll()
      .where("account_id", "=", account)
      .orderBy("phone_id")
      .execute();
  const changeRecords = (account: string) =>
    db()
      .selectFrom("audit_log")
      .select(["action", "actor_kind", "object_kind", "object_id", "before", "after"])
      .where("account_id", "=", account)
      .where("action", "<>", "access_denied")
      .orderBy("id")
      .execute();
  /** Everything a refused request must leave as it was. */
  const state = async (account: string) => ({
    phones: await phonesIn(account),
    links: await linksIn(account),
    records: (await changeRecords(account)).length,
  });

  beforeAll(async () => {
    server = await startHttpsServer();
    accountId = await insertAccount(db(), { name: "Northwind" });
    otherAccountId = await insertAccount(db(), { name: "Rival" });
    writer = await createCredentials(server, accountId, "adminapi", READ_WRITE);
    reader = await createCredentials(server, accountId, "adminapi", ["adminapi_read_resource"]);
  });
  afterAll(() => server.close());

  it("creates, reads, looks up, updates, associates, disassociates and deletes a phone with the official client, v2 and v5; one audit record per change", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, writer, version);
      const userId = await insertUser(`pat${version}`);
      const number = `+1555010${version}000`;

      // §4.3: Duo's input spellings; no leading + is a US number; dashes and spaces are ignored.
      const created = await call("POST", "/admin/v1/phones", {
        number: `555-010 ${version}000`,
        name: "Work phone",
        type: "mobile",
        platform: "google android",
        predelay: "2",
      });
      expect(created.stat, JSON.stringify(created)).toBe("OK");
      const phone = created.response as DuoPhone;
      expect(phone).toEqual({
        phone_id: expect.stringMatching(/^DP[0-9A-Z]{18}$/),
        number,
        extension: "",
        name: "Work phone",
        type: "Mobile",
        platform: "Google Android",
        model: "Unknown",
        predelay: "2",
        postdelay: null,
        activated: false,
        capabilities: ["sms"],
        sms_passcodes_sent: false,
        last_seen: "",
        encrypted: "",
        fingerprint: "",
        screenlock: "",
        tampered: "",
        users: [],
      });
      const path = `/admin/v1/phones/${phone.phone_id}`;
      expect(await call("GET", path)).toEqual({ stat: "OK", response: phone });

      // §4.3: number (and extension) look one phone up, or none.
      const found = await call("GET", "/admin/v1/phones", { number });
      expect(found).toMatchObject({ stat: "OK", metadata: { total_objects: 1 } });
      expect(found.response).toEqual([phone]);
      const none = await call("GET", "/admin/v1/phones", { number, extension: "12" });
      expect(none).toMatchObject({ stat: "OK", response: [], metadata: { total_objects: 0 } });

      const updated = await call("POST", path, { type: "landline", name: "Desk", predelay: "" });
      expect(updated.response).toEqual({
        ...phone,
        type: "Landline",
        name: "Desk",
        predelay: null,
        capabilities: [],
      });

      // §4.1: associate with a user; the user object and the user's sub-list carry it.
      const userPhones = `/admin/v1/users/${userId}/phones`;
      expect(await call("POST", userPhones, { phone_id: phone.phone_id })).toEqual({
        stat: "OK",
        response: "",
      });
      expect(await call("POST", userPhones, { phone_id: phone.phone_id })).toMatchObject({
        stat: "FAIL",
        code: 40003,
      });
      const { users: _, ...inUser } = updated.response as DuoPhone;
      const listed = await call("GET", userPhones);
      expect(listed).toEqual({ stat: "OK", response: [inUser], metadata: { total_objects: 1 } });
      const user = (await call("GET", `/admin/v1/users/${userId}`)).response as Record<
        string,
        unknown
      >;
      expect(user.phones).toEqual([inUser]);
      // A landline takes no SMS and runs no authenticator app: nothing to log in with (R-AUTH-2).
      expect(user.is_enrolled).toBe(false);
      const withUser = (await call("GET", path)).response as DuoPhone;
      expect(withUser.users).toEqual([
        expect.objectContaining({ user_id: userId, username: `pat${version}` }),
      ]);

      expect(await call("DELETE", `${userPhones}/${phone.phone_id}`)).toEqual({
        stat: "OK",
        response: "",
      });
      expect(await call("GET", userPhones)).toMatchObject({ response: [] });
      expect(await call("DELETE", `${userPhones}/${phone.phone_id}`)).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });

      expect(await call("DELETE", path)).toEqual({ stat: "OK", response: "" });
      expect(await call("GET", path)).toMatchObject({ stat: "FAIL", code: 40401 });
      // The official client: "If the phone has already been deleted, does nothing."
      expect(await call("DELETE", path)).toEqual({ stat: "OK", response: "" });

      // R-AUD-1: one record per change, by the integration.
      const records = (await changeRecords(accountId)).filter(
        (row) => row.object_id === phone.phone_id || row.object_id === userId,
      );
      expect(records.map((row) => [row.action, row.actor_kind, row.object_kind])).toEqual([
        ["phone_create", "application", "phone"],
        ["phone_update", "application", "phone"],
        ["phone_associate", "application", "user"],
        ["phone_disassociate", "application", "user"],
        ["phone_delete", "application", "phone"],
      ]);
      expect(records[1]?.before).toEqual({ name: "Work phone", type: "Mobile", predelay: 2 });
    }
  });

  it("§3: pages phones by offset; a user's phones page too", async () => {
    const call = officialClient(server, writer, 5);
    const userId = await insertUser("paging");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await call("POST", "/admin/v1/phones", { number: `+4420790000${i}0` });
      const id = (created.response as DuoPhone).phone_id;
      ids.push(id);
      await call("POST", `/admin/v1/users/${userId}/phones`, { phone_id: id });
    }
    const all = await call("GET", `/admin/v1/users/${userId}/phones`);
    expect(all.metadata).toEqual({ total_objects: 5 });
    const numbers = (all.response as DuoPhone[]).map((phone) => phone.number);
    expect(numbers).toEqual([...numbers].sort());
    const first = await call("GET", `/admin/v1/users/${userId}/phones`, { limit: "2" });
    expect(first.metadata).toEqual({ total_objects: 5, next_offset: 2 });
    const last = await call("GET", `/admin/v1/users/${userId}/phones`, {
      limit: "2",
      offset: "4",
    });
    expect(last.metadata).toEqual({ total_objects: 5, prev_offset: 2 });
    expect((last.response as DuoPhone[]).map((phone) => phone.number)).toEqual(numbers.slice(4));
    const past = await call("GET", "/admin/v1/phones", { limit: "2", offset: "500" });
    expect(past).toMatchObject({ stat: "OK", response: [] });
    expect((past.metadata as { total_objects: number }).total_objects).toBeGreaterThanOrEqual(5);
    // One batched read fills the phones of every user on a page.
    const users = await call("GET", "/admin/v1/users", { username: "paging" });
    const [listedUser] = users.response as { phones: DuoPhone[] }[];
    expect(listedUser?.phones.map((phone) => phone.phone_id).sort()).toEqual([...ids].sort());
  });

  it("R-TEN-2: another tenant's phone answers 40401 to reads, writes and associations, and stays untouched", async () => {
    const theirPhone = newId("phone");
    await db()
      .insertInto("phones")
      .values({
        id: theirPhone,
        account_id: otherAccountId,
        number: "+15550109999",
        name: "Theirs",
      })
      .execute();
    const theirUser = await insertUser("their-user", otherAccountId);
    const ourUser = await insertUser("our-user");
    const ourPhone = (
      (await officialClient(server, writer, 2)("POST", "/admin/v1/phones", { name: "Ours" }))
        .response as DuoPhone
    ).phone_id;
    const before = { theirs: await state(otherAccountId), ours: await state(accountId) };
    for (const version of [2, 5] as const) {
      const call = officialClient(server, writer, version);
      const path = `/admin/v1/phones/${theirPhone}`;
      expect(await call("GET", path)).toMatchObject({ stat: "FAIL", code: 40401 });
      expect(await call("POST", path, { name: "Pwned" })).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });
      expect(
        await call("POST", `/admin/v1/users/${ourUser}/phones`, { phone_id: theirPhone }),
      ).toMatchObject({ stat: "FAIL", code: 40401 });
      expect(
        await call("POST", `/admin/v1/users/${theirUser}/phones`, { phone_id: ourPhone }),
      ).toMatchObject({ stat: "FAIL", code: 40401 });
      expect(await call("GET", `/admin/v1/users/${theirUser}/phones`)).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });
      // Idempotent like Duo's: an id this account does not have answers OK and deletes nothing.
      expect(await call("DELETE", path)).toEqual({ stat: "OK", response: "" });
      const lookup = await call("GET", "/admin/v1/phones", { number: "+15550109999" });
      expect(lookup).toMatchObject({ stat: "OK", response: [] });
    }
    expect({ theirs: await state(otherAccountId), ours: await state(accountId) }).toEqual(before);
  });

  it("R-ROLE-2: without adminapi_write_resource every change is 403 40301 and changes nothing; reads work", async () => {
    const call = officialClient(server, reader, 5);
    const userId = await insertUser("reader-target");
    const phoneId = (
      (await officialClient(server, writer, 5)("POST", "/admin/v1/phones", { name: "Kept" }))
        .response as DuoPhone
    ).phone_id;
    const before = await state(accountId);
    for (const [method, path, params] of [
      ["POST", "/admin/v1/phones", { name: "New" }],
      ["POST", `/admin/v1/phones/${phoneId}`, { name: "Renamed" }],
      ["DELETE", `/admin/v1/phones/${phoneId}`, {}],
      ["POST", `/admin/v1/users/${userId}/phones`, { phone_id: phoneId }],
      ["DELETE", `/admin/v1/users/${userId}/phones/${phoneId}`, {}],
    ] as const) {
      const refused = await call(method, path, params);
      expect(refused, `${method} ${path}`).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(refused.message_detail).toContain("R-ROLE-2");
    }
    expect(await state(accountId)).toEqual(before);
    expect(await call("GET", `/admin/v1/phones/${phoneId}`)).toMatchObject({ stat: "OK" });
  });

  it("§2.2: malformed parameters are 400 40002 naming the parameter, and change nothing", async () => {
    const call = officialClient(server, writer, 2);
    const phoneId = (
      (await call("POST", "/admin/v1/phones", { name: "Target" })).response as DuoPhone
    ).phone_id;
    const taken = await call("POST", "/admin/v1/phones", { number: "+15550107777" });
    expect(taken.stat).toBe("OK");
    const before = await state(accountId);
    for (const [method, path, params, named] of [
      ["POST", "/admin/v1/phones", { number: "call me" }, "number"],
      ["POST", "/admin/v1/phones", { type: "satellite" }, "type"],
      ["POST", "/admin/v1/phones", { platform: "nokia" }, "platform"],
      ["POST", "/admin/v1/phones", { predelay: "soon" }, "predelay"],
      ["POST", "/admin/v1/phones", { postdelay: "61" }, "postdelay"],
      ["POST", "/admin/v1/phones", { extension: "12" }, "extension"],
      ["POST", `/admin/v1/phones/${phoneId}`, { extension: "x1" }, "extension"],
      ["GET", "/admin/v1/phones", { extension: "12" }, "extension"],
      ["GET", "/admin/v1/phones", { number: "not a number" }, "number"],
      ["GET", "/admin/v1/phones", { limit: "many" }, "limit"],
      ["POST", `/admin/v1/users/DU${"9".repeat(18)}/phones`, {}, "phone_id"],
    ] as const) {
      const refused = await call(method, path, params);
      expect(refused, JSON.stringify(params)).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(refused.message_detail).toContain(named);
    }
    // A number another phone has: 400 40003, naming it.
    const duplicate = await call("POST", "/admin/v1/phones", { number: "+1 555 010 7777" });
    expect(duplicate).toMatchObject({ stat: "FAIL", code: 40003 });
    expect(duplicate.message_detail).toContain("+15550107777");
    expect(await state(accountId)).toEqual(before);
  });
});
