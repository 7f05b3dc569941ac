import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiGrant } from "../../../src/authz/index.js";
import { newId } from "../../../src/db/ids.js";
import { hotpCodes } from "../../../src/domain/tokens/resync.js";
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
type DuoToken = Record<string, unknown> & { token_id: string; serial: string };
/** RFC 4226 appendix D's secret ("12345678901234567890"), hex; its codes are public test vectors. */
const RFC_SECRET = "3132333435363738393031323334353637383930";
const RFC_CODES = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583"];

describe(`Duo Admin API hardware tokens (research/duo-api.md §4.1, §4.4, §5) on ${TEST_ENGINE}`, () => {
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
  const state = async (account: string) => ({
    tokens: await db()
      .selectFrom("hardware_tokens")
      .selectAll()
      .where("account_id", "=", account)
      .orderBy("id")
      .execute(),
    links: await db()
      .selectFrom("user_hardware_tokens")
      .selectAll()
      .where("account_id", "=", account)
      .orderBy("token_id")
      .execute(),
    records: (
      await db()
        .selectFrom("audit_log")
        .select("id")
        .where("account_id", "=", account)
        .where("action", "<>", "access_denied")
        .execute()
    ).length,
  });

  beforeAll(async () => {
    server = await startHttpsServer();
    accountId = await insertAccount(db(), { name: "Northwind" });
    otherAccountId = await insertAccount(db(), { name: "Rival" });
    writer = await createCredentials(server, accountId, "adminapi", READ_WRITE);
    reader = await createCredentials(server, accountId, "adminapi", ["adminapi_read_resource"]);
  });
  afterAll(() => server.close());

  it("creates HOTP, TOTP and YubiKey tokens, looks them up by type and serial, updates, assigns, unassigns and deletes, v2 and v5; secrets never come back", async () => {
    expect(hotpCodes(RFC_SECRET, 6, 0, RFC_CODES.length)).toEqual(RFC_CODES);
    for (const version of [2, 5] as const) {
      const call = officialClient(server, writer, version);
      const userId = await insertUser(`tok${version}`);
      const hotp = await call("POST", "/admin/v1/tokens", {
        type: "h6",
        serial: `H-${version}`,
        secret: RFC_SECRET,
        counter: "0",
      });
      expect(hotp.stat, JSON.stringify(hotp)).toBe("OK");
      const token = hotp.response as DuoToken;
      expect(token).toEqual({
        token_id: expect.stringMatching(/^DH[0-9A-Z]{18}$/),
        type: "h6",
        serial: `H-${version}`,
        totp_step: null,
        users: [],
      });
      const totp = await call("POST", "/admin/v1/tokens", {
        type: "t8",
        serial: `T-${version}`,
        secret: RFC_SECRET,
        totp_step: "60",
      });
      expect(totp.response).toMatchObject({ type: "t8", totp_step: 60 });
      const yubikey = await call("POST", "/admin/v1/tokens", {
        type: "yk",
        serial: `Y-${version}`,
        private_id: "0a1b2c3d4e5f",
        aes_key: "00112233445566778899AABBCCDDEEFF",
      });
      expect(yubikey.response).toMatchObject({ type: "yk", totp_step: null });

      // §4.4: type and serial look one token up.
      const found = await call("GET", "/admin/v1/tokens", { type: "h6", serial: `H-${version}` });
      expect(found).toEqual({ stat: "OK", response: [token], metadata: { total_objects: 1 } });
      expect(await call("GET", `/admin/v1/tokens/${token.token_id}`)).toEqual({
        stat: "OK",
        response: token,
      });
      const totpId = (totp.response as DuoToken).token_id;
      expect(
        (await call("POST", `/admin/v1/tokens/${totpId}`, { totp_step: "30" })).response,
      ).toMatchObject({ totp_step: 30 });

      // §4.1: assign to a user; the user object carries it.
      const userTokens = `/admin/v1/users/${userId}/tokens`;
      expect(await call("POST", userTokens, { token_id: token.token_id })).toEqual({
        stat: "OK",
        response: "",
      });
      const { users: _, ...inUser } = token;
      expect(await call("GET", userTokens)).toEqual({
        stat: "OK",
        response: [inUser],
        metadata: { total_objects: 1 },
      });
      const user = (await call("GET", `/admin/v1/users/${userId}`)).response as Record<
        string,
        unknown
      >;
      expect(user.tokens).toEqual([inUser]);
      expect(user.is_enrolled).toBe(true);
      expect(
        ((await call("GET", `/admin/v1/tokens/${token.token_id}`)).response as DuoToken).users,
      ).toEqual([expect.objectContaining({ user_id: userId })]);
      // A token is in one person's hands.
      const other = await insertUser(`tok${version}-other`);
      expect(
        await call("POST", `/admin/v1/users/${other}/tokens`, { token_id: token.token_id }),
      ).toMatchObject({ stat: "FAIL", code: 40003 });

      expect(await call("DELETE", `${userTokens}/${token.token_id}`)).toEqual({
        stat: "OK",
        response: "",
      });
      expect(await call("GET", userTokens)).toMatchObject({ response: [] });
      for (const id of [token.token_id, totpId, (yubikey.response as DuoToken).token_id]) {
        expect(await call("DELETE", `/admin/v1/tokens/${id}`)).toEqual({
          stat: "OK",
          response: "",
        });
        expect(await call("GET", `/admin/v1/tokens/${id}`)).toMatchObject({ code: 40401 });
      }

      const records = await db()
        .selectFrom("audit_log")
        .select(["action", "actor_kind", "before", "after"])
        .where("object_id", "in", [token.token_id, userId])
        .orderBy("id")
        .execute();
      expect(records.map((row) => [row.action, row.actor_kind])).toEqual([
        ["token_create", "application"],
        ["token_associate", "application"],
        ["token_disassociate", "application"],
        ["token_delete", "application"],
      ]);
    }
    // Sealed at rest: no secret or key in any row of any table, the log included.
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db());
    for (const { name } of tables.rows) {
      const dump = await sql<{
        row: string;
      }>`select t::text as row from ${sql.table(name)} t`.execute(db());
      for (const { row } of dump.rows)
        for (const secret of [RFC_SECRET, "0a1b2c3d4e5f", "00112233445566778899aabbccddeeff"])
          expect(row.toLowerCase()).not.toContain(secret);
    }
  });

  it("§4.4 resync: three consecutive codes move the counter past them; codes not found change nothing", async () => {
    const call = officialClient(server, writer, 5);
    const created = await call("POST", "/admin/v1/tokens", {
      type: "h6",
      serial: "RESYNC-1",
      secret: RFC_SECRET,
    });
    const id = (created.response as DuoToken).token_id;
    const counter = async () =>
      (
        await db()
          .selectFrom("hardware_tokens")
          .select("counter")
          .where("id", "=", id)
          .executeTakeFirstOrThrow()
      ).counter;
    const before = await state(accountId);
    const wrong = await call("POST", `/admin/v1/tokens/${id}/resync`, {
      code1: RFC_CODES[3],
      code2: RFC_CODES[5],
      code3: RFC_CODES[4],
    });
    expect(wrong).toMatchObject({ stat: "FAIL", code: 40002 });
    expect(wrong.message_detail).toContain("code1");
    const short = await call("POST", `/admin/v1/tokens/${id}/resync`, {
      code1: "1234",
      code2: "123456",
      code3: "123456",
    });
    expect(short.message_detail).toContain("code1");
    expect(await state(accountId)).toEqual(before);

    const resynced = await call("POST", `/admin/v1/tokens/${id}/resync`, {
      code1: RFC_CODES[4],
      code2: RFC_CODES[5],
      code3: RFC_CODES[6],
    });
    expect(resynced).toEqual({ stat: "OK", response: "" });
    expect(await counter()).toBe(7);
    const log = await db()
      .selectFrom("audit_log")
      .select(["action", "before", "after"])
      .where("object_id", "=", id)
      .where("action", "=", "token_resync")
      .execute();
    expect(log).toEqual([
      { action: "token_resync", before: { counter: 0 }, after: { counter: 7 } },
    ]);
    // A TOTP token has no counter to resync.
    const totp = await call("POST", "/admin/v1/tokens", {
      type: "t6",
      serial: "RESYNC-2",
      secret: RFC_SECRET,
    });
    const refused = await call(
      "POST",
      `/admin/v1/tokens/${(totp.response as DuoToken).token_id}/resync`,
      { code1: "123456", code2: "123456", code3: "123456" },
    );
    expect(refused).toMatchObject({ stat: "FAIL", code: 40002 });
  });

  it("§2.2: malformed or mismatched parameters are 400 40002 naming the parameter; a taken serial 40003; nothing changes", async () => {
    const call = officialClient(server, writer, 2);
    const taken = await call("POST", "/admin/v1/tokens", {
      type: "h8",
      serial: "TAKEN",
      secret: RFC_SECRET,
    });
    expect(taken.stat).toBe("OK");
    const hotpId = (taken.response as DuoToken).token_id;
    const before = await state(accountId);
    for (const [method, path, params, named] of [
      ["POST", "/admin/v1/tokens", { type: "d1", serial: "D" }, "type"],
      ["POST", "/admin/v1/tokens", { type: "x9", serial: "X" }, "type"],
      ["POST", "/admin/v1/tokens", { type: "h6" }, "serial"],
      ["POST", "/admin/v1/tokens", { type: "h6", serial: "S1" }, "secret"],
      ["POST", "/admin/v1/tokens", { type: "h6", serial: "S2", secret: "zz" }, "secret"],
      ["POST", "/admin/v1/tokens", { type: "h6", serial: "S3", secret: "abcd" }, "secret"],
      [
        "POST",
        "/admin/v1/tokens",
        { type: "t6", serial: "S4", secret: RFC_SECRET, counter: "3" },
        "counter",
      ],
      [
        "POST",
        "/admin/v1/tokens",
        { type: "t6", serial: "S5", secret: RFC_SECRET, totp_step: "45" },
        "totp_step",
      ],
      ["POST", "/admin/v1/tokens", { type: "yk", serial: "S6", private_id: "0a1b" }, "private_id"],
      [
        "POST",
        "/admin/v1/tokens",
        { type: "yk", serial: "S7", private_id: "0a1b2c3d4e5f", secret: RFC_SECRET },
        "secret",
      ],
      ["POST", `/admin/v1/tokens/${hotpId}`, { totp_step: "30" }, "totp_step"],
      ["GET", "/admin/v1/tokens", { type: "h6" }, "serial"],
      ["GET", "/admin/v1/tokens", { serial: "TAKEN" }, "type"],
      ["POST", `/admin/v1/users/DU${"9".repeat(18)}/tokens`, {}, "token_id"],
    ] as const) {
      const refused = await call(method, path, params);
      expect(refused, JSON.stringify(params)).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(refused.message_detail, JSON.stringify(params)).toContain(named);
    }
    const duplicate = await call("POST", "/admin/v1/tokens", {
      type: "h8",
      serial: "TAKEN",
      secret: RFC_SECRET,
    });
    expect(duplicate).toMatchObject({ stat: "FAIL", code: 40003 });
    expect(duplicate.message_detail).toContain("serial");
    expect(await state(accountId)).toEqual(before);
  });

  it("R-TEN-2 and R-ROLE-2: another tenant's token is 40401 and untouched; without the write grant 40301 and nothing changes", async () => {
    const theirToken = newId("hardwareToken");
    await db()
      .insertInto("hardware_tokens")
      .values({
        id: theirToken,
        account_id: otherAccountId,
        type: "h6",
        serial: "THEIRS",
        counter: 0,
        secret_enc: server.database.secrets.seal(
          JSON.stringify({ secret: RFC_SECRET }),
          theirToken,
        ),
      })
      .execute();
    const ourUser = await insertUser("token-owner");
    const call = officialClient(server, writer, 5);
    const ourToken = (
      (
        await call("POST", "/admin/v1/tokens", {
          type: "h6",
          serial: "OURS",
          secret: RFC_SECRET,
        })
      ).response as DuoToken
    ).token_id;
    const before = { theirs: await state(otherAccountId), ours: await state(accountId) };
    expect(await call("GET", `/admin/v1/tokens/${theirToken}`)).toMatchObject({ code: 40401 });
    expect(await call("POST", `/admin/v1/tokens/${theirToken}`, {})).toMatchObject({
      code: 40401,
    });
    expect(
      await call("POST", `/admin/v1/tokens/${theirToken}/resync`, {
        code1: RFC_CODES[0],
        code2: RFC_CODES[1],
        code3: RFC_CODES[2],
      }),
    ).toMatchObject({ code: 40401 });
    expect(
      await call("POST", `/admin/v1/users/${ourUser}/tokens`, { token_id: theirToken }),
    ).toMatchObject({ code: 40401 });
    expect(await call("DELETE", `/admin/v1/tokens/${theirToken}`)).toEqual({
      stat: "OK",
      response: "",
    });
    expect(await call("GET", "/admin/v1/tokens", { type: "h6", serial: "THEIRS" })).toMatchObject({
      response: [],
    });

    const readOnly = officialClient(server, reader, 2);
    for (const [method, path, params] of [
      ["POST", "/admin/v1/tokens", { type: "h6", serial: "NEW", secret: RFC_SECRET }],
      ["POST", `/admin/v1/tokens/${ourToken}`, {}],
      ["DELETE", `/admin/v1/tokens/${ourToken}`, {}],
      ["POST", `/admin/v1/users/${ourUser}/tokens`, { token_id: ourToken }],
      ["DELETE", `/admin/v1/users/${ourUser}/tokens/${ourToken}`, {}],
    ] as const) {
      expect(await readOnly(method, path, params), `${method} ${path}`).toMatchObject({
        stat: "FAIL",
        code: 40301,
      });
    }
    expect(await readOnly("GET", `/admin/v1/tokens/${ourToken}`)).toMatchObject({ stat: "OK" });
    expect({ theirs: await state(otherAccountId), ours: await state(accountId) }).toEqual(before);
  });
});
