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
import { insertWebAuthnCredential } from "../../helpers/webauthn-fixtures.js";

const READ_WRITE: ApiGrant[] = ["adminapi_read_resource", "adminapi_write_resource"];
type DuoCredential = Record<string, unknown> & { webauthnkey: string };

describe(`Duo Admin API webauthncredentials (research/duo-api.md §4.1, §4.4, §5) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let accountId: string;
  let otherAccountId: string;
  let writer: Credentials;
  let reader: Credentials;
  const ids = { anna: "", bob: "", annaKey: "", annaPasskey: "", bobKey: "", rivalKey: "" };

  const db = () => server.database.handle.db;
  const insertUser = async (username: string, account = accountId) => {
    const id = newId("user");
    await db()
      .insertInto("users")
      .values({ id, account_id: account, username, real_name: `${username} Real` })
      .execute();
    return id;
  };
  /** Everything a refused request must leave as it was. */
  const state = async () => ({
    credentials: await db()
      .selectFrom("webauthn_credentials")
      .select(["id", "account_id", "user_id", "label", "sign_count"])
      .orderBy("id")
      .execute(),
    records: (
      await db()
        .selectFrom("audit_log")
        .select("id")
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
    ids.anna = await insertUser("anna");
    ids.bob = await insertUser("bob");
    const rival = await insertUser("rival", otherAccountId);
    ids.annaKey = (
      await insertWebAuthnCredential(
        db(),
        { accountId, userId: ids.anna },
        { label: "Anna's YubiKey", createdAt: new Date("2024-03-01T10:00:00Z") },
      )
    ).id;
    ids.annaPasskey = (
      await insertWebAuthnCredential(db(), { accountId, userId: ids.anna }, { passkey: true })
    ).id;
    ids.bobKey = (await insertWebAuthnCredential(db(), { accountId, userId: ids.bob })).id;
    ids.rivalKey = (
      await insertWebAuthnCredential(db(), { accountId: otherAccountId, userId: rival })
    ).id;
  });
  afterAll(() => server.close());

  it("lists the account's credentials with their users, a user's without, one by its webauthnkey, and in the user object; v2 and v5", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, reader, version);
      const all = await call("GET", "/admin/v1/webauthncredentials");
      expect(all.stat, JSON.stringify(all)).toBe("OK");
      const listed = all.response as DuoCredential[];
      expect(listed.map((c) => c.webauthnkey).sort()).toEqual(
        [ids.annaKey, ids.annaPasskey, ids.bobKey].sort(),
      );
      expect(all.metadata).toEqual({ total_objects: 3 });
      const annaKey = listed.find((c) => c.webauthnkey === ids.annaKey);
      expect(annaKey).toEqual({
        webauthnkey: ids.annaKey,
        credential_name: "Security key",
        label: "Anna's YubiKey",
        date_added: Date.parse("2024-03-01T10:00:00Z") / 1000,
        user: expect.objectContaining({
          user_id: ids.anna,
          username: "anna",
          realname: "anna Real",
        }),
      });
      // Never anything a relying party keeps: no credential id, public key or counter.
      expect(JSON.stringify(all)).not.toMatch(/public_key|credential_id|sign_count/);

      expect(await call("GET", `/admin/v1/webauthncredentials/${ids.annaKey}`)).toEqual({
        stat: "OK",
        response: annaKey,
      });
      const { user: _, ...inUser } = annaKey as DuoCredential;
      const annas = await call("GET", `/admin/v1/users/${ids.anna}/webauthncredentials`);
      expect(annas.metadata).toEqual({ total_objects: 2 });
      expect(annas.response).toEqual(
        expect.arrayContaining([
          inUser,
          expect.objectContaining({
            webauthnkey: ids.annaPasskey,
            credential_name: "Passkey",
            label: "",
          }),
        ]),
      );
      const user = (await call("GET", `/admin/v1/users/${ids.anna}`)).response as Record<
        string,
        unknown
      >;
      expect(user.webauthncredentials).toEqual(expect.arrayContaining([inUser]));
      expect(user.webauthncredentials).toHaveLength(2);
      expect(user.is_enrolled).toBe(true);
    }
  });

  it("§3: pages by limit and offset with total_objects, and next_offset only while more remain", async () => {
    const call = officialClient(server, reader, 2);
    const first = await call("GET", "/admin/v1/webauthncredentials", { limit: "2", offset: "0" });
    expect(first.metadata).toEqual({ total_objects: 3, next_offset: 2 });
    const second = await call("GET", "/admin/v1/webauthncredentials", { limit: "2", offset: "2" });
    expect(second.metadata).toMatchObject({ total_objects: 3 });
    expect(second.metadata).not.toHaveProperty("next_offset");
    const keys = [...(first.response as DuoCredential[]), ...(second.response as DuoCredential[])];
    expect(new Set(keys.map((c) => c.webauthnkey)).size).toBe(3);
  });

  it("DELETE removes one credential with one audit record; it is then not found", async () => {
    const call = officialClient(server, writer, 5);
    const before = await state();
    expect(await call("DELETE", `/admin/v1/webauthncredentials/${ids.bobKey}`)).toEqual({
      stat: "OK",
      response: "",
    });
    const after = await state();
    expect(after.credentials.map((c) => c.id)).not.toContain(ids.bobKey);
    expect(after.credentials).toHaveLength(before.credentials.length - 1);
    expect(after.records).toBe(before.records + 1);
    const records = await db()
      .selectFrom("audit_log")
      .select(["action", "actor_kind", "actor_id", "object_kind", "object_id", "before"])
      .where("action", "=", "webauthn_delete")
      .execute();
    // The record is the user's (R-UNIT-8g sees it with them), naming the key.
    expect(records).toEqual([
      {
        action: "webauthn_delete",
        actor_kind: "application",
        actor_id: writer.ikey,
        object_kind: "user",
        object_id: ids.bob,
        before: expect.objectContaining({
          webauthnkey: ids.bobKey,
          user_id: ids.bob,
          credential_name: "Security key",
        }),
      },
    ]);
    expect(await call("GET", `/admin/v1/webauthncredentials/${ids.bobKey}`)).toMatchObject({
      stat: "FAIL",
      code: 40401,
    });
    expect(await call("DELETE", `/admin/v1/webauthncredentials/${ids.bobKey}`)).toMatchObject({
      stat: "FAIL",
      code: 40401,
    });
    const bob = (await call("GET", `/admin/v1/users/${ids.bob}`)).response as Record<
      string,
      unknown
    >;
    expect(bob.webauthncredentials).toEqual([]);
    expect(bob.is_enrolled).toBe(false);
  });

  it("refuses what it must: no signature 401, no write grant 403, another tenant's or a malformed key 404 naming it; nothing changes", async () => {
    const before = await state();
    const unsigned = await server.app.inject({
      method: "GET",
      url: "/admin/v1/webauthncredentials",
    });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json()).toMatchObject({ stat: "FAIL", code: 40101 });
    const unsignedDelete = await server.app.inject({
      method: "DELETE",
      url: `/admin/v1/webauthncredentials/${ids.annaKey}`,
    });
    expect(unsignedDelete.statusCode).toBe(401);

    const read = officialClient(server, reader, 2);
    expect(await read("DELETE", `/admin/v1/webauthncredentials/${ids.annaKey}`)).toMatchObject({
      stat: "FAIL",
      code: 40301,
    });

    const write = officialClient(server, writer, 2);
    for (const [method, path] of [
      ["GET", `/admin/v1/webauthncredentials/${ids.rivalKey}`],
      ["DELETE", `/admin/v1/webauthncredentials/${ids.rivalKey}`],
      ["GET", `/admin/v1/webauthncredentials/WA${"9".repeat(18)}`],
      ["GET", "/admin/v1/webauthncredentials/not-a-key"],
      ["DELETE", "/admin/v1/webauthncredentials/DH000000000000000000"],
      ["GET", `/admin/v1/users/${newId("user")}/webauthncredentials`],
    ] as const) {
      const answer = await write(method, path);
      expect(answer, `${method} ${path}`).toMatchObject({ stat: "FAIL", code: 40401 });
      expect(answer.message_detail, `${method} ${path}`).toMatch(/^(webauthn_credential|user) /);
    }
    const rivalList = await write("GET", "/admin/v1/webauthncredentials");
    expect(JSON.stringify(rivalList.response)).not.toContain(ids.rivalKey);
    expect(await write("GET", "/admin/v1/webauthncredentials", { limit: "x" })).toMatchObject({
      code: 40002,
      message_detail: expect.stringContaining("limit"),
    });
    expect(await state()).toEqual(before);
  });
});
