import type { KyselyPlugin, RootOperationNode } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, newSecretKey } from "../../../src/db/ids.js";
import { readMigrations } from "../../../src/db/migrate.js";
import { buildApp } from "../../../src/http/app.js";
import { openTestDatabase, type TestDatabase } from "../../helpers/database.js";
import { signedRequest } from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertApplication } from "../../helpers/fixtures.js";
import { insertWebAuthnCredential } from "../../helpers/webauthn-fixtures.js";

/** Counts the statements the app sends, whatever the door or use case. */
class CountQueries implements KyselyPlugin {
  count = 0;
  transformQuery(args: { node: RootOperationNode }): RootOperationNode {
    this.count++;
    return args.node;
  }
  async transformResult<R>(args: { result: R }): Promise<R> {
    return args.result;
  }
}

/**
 * The Duo door's cost in statements (bench/duo-api.ts measures the time): the integration's keys
 * and the tenant's version in one, the gate's tenant state reused by the handler's reads, a page
 * that counts itself, and its users' groups, phones and tokens in one more, whatever the page's
 * size. A regression here is a regression in throughput.
 */
describe(`statements per Duo API request on ${TEST_ENGINE}`, () => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const counter = new CountQueries();
  let keys: { ikey: string; skey: string };
  let userIds: string[];

  beforeAll(async () => {
    database = await openTestDatabase();
    const db = database.handle.db;
    const accountId = await insertAccount(db, { name: "Counted" });
    const skey = newSecretKey();
    const ikey = await insertApplication(db, database.secrets, {
      accountId,
      type: "adminapi",
      secretKey: skey,
      grants: ["adminapi_read_resource", "adminapi_write_resource"],
    });
    keys = { ikey, skey };
    userIds = Array.from({ length: 120 }, () => newId("user"));
    await db
      .insertInto("users")
      .values(userIds.map((id, i) => ({ id, account_id: accountId, username: `u${1000 + i}` })))
      .execute();
    const groupId = newId("group");
    await db
      .insertInto("groups")
      .values({ id: groupId, account_id: accountId, name: "All" })
      .execute();
    await db
      .insertInto("group_members")
      .values(userIds.map((id) => ({ group_id: groupId, user_id: id, account_id: accountId })))
      .execute();
    const phones = userIds.map((_, i) => ({
      id: newId("phone"),
      account_id: accountId,
      number: `+1555${String(1_000_000 + i)}`,
    }));
    await db.insertInto("phones").values(phones).execute();
    await db
      .insertInto("user_phones")
      .values(
        phones.map((phone, i) => ({
          user_id: userIds[i] as string,
          phone_id: phone.id,
          account_id: accountId,
        })),
      )
      .execute();
    const tokenId = newId("hardwareToken");
    await db
      .insertInto("hardware_tokens")
      .values({
        id: tokenId,
        account_id: accountId,
        type: "yk",
        serial: "YK-1",
        secret_enc: "sealed",
      })
      .execute();
    await db
      .insertInto("user_hardware_tokens")
      .values({ user_id: userIds[0] as string, token_id: tokenId, account_id: accountId })
      .execute();
    await insertWebAuthnCredential(
      db,
      { accountId, userId: userIds[1] as string },
      { label: "Key" },
    );
    app = await buildApp({
      database: { ...database.handle, db: db.withPlugin(counter) },
      secrets: database.secrets,
      migrations: await readMigrations(),
      apiRequestsPerSecond: 1000,
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const statements = async (url: string) => {
    counter.count = 0;
    const response = await app.inject(signedRequest({ ...keys, method: "GET", url }));
    expect(response.statusCode, response.body).toBe(200);
    return { count: counter.count, body: response.json() };
  };

  it("GET /admin/v1/users: three statements for a page of 10 or of 100, each user with its group, phone, tokens and WebAuthn credentials", async () => {
    // The first request compiles the tenant's snapshot (loadTenantModel); the others reuse it.
    await statements("/admin/v1/users?limit=1");
    for (const limit of [10, 100]) {
      const { count, body } = await statements(`/admin/v1/users?limit=${limit}`);
      expect(body.response).toHaveLength(limit);
      expect(body.metadata).toMatchObject({ total_objects: 120, next_offset: limit });
      for (const user of body.response) {
        expect(user.groups).toEqual([expect.objectContaining({ name: "All" })]);
        expect(user.phones).toEqual([expect.objectContaining({ number: expect.any(String) })]);
      }
      expect(body.response.map((user: { tokens: unknown[] }) => user.tokens.length)).toEqual(
        Array.from({ length: limit }, (_, i) => (i === 0 ? 1 : 0)),
      );
      expect(body.response[0].tokens).toEqual([
        { token_id: expect.stringMatching(/^DH/), type: "yk", serial: "YK-1", totp_step: null },
      ]);
      // Issue 15: WebAuthn credentials come in the same statement as phones and tokens.
      expect(body.response[1].webauthncredentials).toEqual([
        expect.objectContaining({ label: "Key", credential_name: "Security key" }),
      ]);
      expect(body.response[2].webauthncredentials).toEqual([]);
      // keys + tenant version; page + total; groups, phones, tokens and WebAuthn credentials.
      expect(count).toBe(3);
    }
  });

  it("a page past the end counts apart (and has no users to fill); a read of one phone is four statements", async () => {
    expect((await statements("/admin/v1/users?offset=500")).count).toBe(3);
    // keys + tenant version; the phone; its users' groups (unit scope); its users.
    const phone = await database.handle.db
      .selectFrom("phones")
      .select("id")
      .executeTakeFirstOrThrow();
    expect((await statements(`/admin/v1/phones/${phone.id}`)).count).toBe(4);
  });
});
