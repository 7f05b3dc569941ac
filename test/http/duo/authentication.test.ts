import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretKey } from "../../../src/db/ids.js";
import {
  createCredentials,
  type HttpsTestServer,
  officialClient,
  signedRequest,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, type insertApplication } from "../../helpers/fixtures.js";

describe(`Duo request authentication (research/duo-api.md §1) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let admin: { ikey: string; skey: string };
  let noInfo: { ikey: string; skey: string };
  let accounts: { ikey: string; skey: string };
  let websdk: { ikey: string; skey: string };

  beforeAll(async () => {
    server = await startHttpsServer();
    const db = server.database.handle.db;
    const parentId = await insertAccount(db, { name: "Northwind MSP" });
    const integration = (
      type: string,
      grants: Parameters<typeof insertApplication>[2]["grants"] = [],
    ) => createCredentials(server, parentId, type, grants);
    admin = await integration("adminapi", ["adminapi_info", "adminapi_read_resource"]);
    noInfo = await integration("adminapi", ["adminapi_read_resource"]);
    accounts = await integration("accountsapi");
    websdk = await integration("websdk");
  });
  afterAll(() => server.close());

  it("the official Node client is answered, signing v2 (HMAC-SHA512) and v5", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, admin, version);
      const answer = await call("GET", "/admin/v1/info/summary");
      expect(answer).toMatchObject({
        stat: "OK",
        response: { admin_count: 0, integration_count: 4, user_count: 0 },
      });
    }
  });

  it("§1.3: a repeated parameter is accepted whether the client sorted its values (Python) or not (Node)", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, admin, version);
      const answer = await call("GET", "/admin/v1/info/summary", { z: ["b", "a"] });
      expect([version, answer.stat]).toEqual([version, "OK"]);
    }
    const sorted = await server.app.inject(
      signedRequest({ ...admin, method: "GET", url: "/admin/v1/info/summary?z=b&z=a" }),
    );
    expect(sorted.statusCode).toBe(200);
  });

  it("a wrong secret is 401 40103; an unknown integration key 401 40102", async () => {
    const wrong = officialClient(server, { ikey: admin.ikey, skey: newSecretKey() }, 2);
    expect(await wrong("GET", "/admin/v1/info/summary")).toMatchObject({
      stat: "FAIL",
      code: 40103,
    });
    const unknown = officialClient(server, { ikey: "DIAAAAAAAAAAAAAAAAAA", skey: admin.skey }, 5);
    expect(await unknown("GET", "/admin/v1/info/summary")).toMatchObject({
      stat: "FAIL",
      code: 40102,
    });
  });

  it("a request signed for another host, or without credentials, is 401", async () => {
    const signed = signedRequest({
      ...admin,
      method: "GET",
      url: "/admin/v1/info/summary",
      host: "evil.example",
    });
    const otherHost = await server.app.inject({
      ...signed,
      headers: { ...signed.headers, host: "127.0.0.1" },
    });
    expect(otherHost.statusCode).toBe(401);
    expect(otherHost.json()).toMatchObject({ stat: "FAIL", code: 40103 });
    const none = await server.app.inject({ method: "GET", url: "/admin/v1/info/summary" });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ stat: "FAIL", code: 40101 });
  });

  it("§1.6: the host is accepted with the port (Perl clients) and without it (Python, Node)", async () => {
    for (const host of ["127.0.0.1:8443", "127.0.0.1"]) {
      const request = signedRequest({
        ...admin,
        method: "GET",
        url: "/admin/v1/info/summary",
        host,
      });
      const response = await server.app.inject(request);
      expect([host, response.statusCode]).toEqual([host, 200]);
    }
  });

  it("a stale date is refused even when well signed, so a captured request cannot be replayed later", async () => {
    const sixMinutesAgo = new Date(Date.now() - 6 * 60_000).toUTCString();
    const stale = await server.app.inject(
      signedRequest({
        ...admin,
        method: "GET",
        url: "/admin/v1/info/summary",
        date: sixMinutesAgo,
      }),
    );
    expect(stale.statusCode).toBe(401);
    expect(stale.json()).toMatchObject({ stat: "FAIL", code: 40105 });
    const fresh = new Date(Date.now() - 60_000).toUTCString();
    const recent = await server.app.inject(
      signedRequest({ ...admin, method: "GET", url: "/admin/v1/info/summary", date: fresh }),
    );
    expect(recent.statusCode).toBe(200);
  });

  it("v2 with HMAC-SHA1 (Python 4.x, Net::Duo) and form parameters rebuilt from decoded values", async () => {
    const response = await server.app.inject(
      signedRequest({
        ...admin,
        method: "GET",
        url: "/admin/v1/info/summary?a=x+y&b=%7E%21",
        digest: "sha1",
      }),
    );
    expect(response.statusCode).toBe(200);
  });

  it("R-TEN-5, R-ROLE-2, R-AUTH-1: a missing grant, an Accounts API key in its own account, and another API's key are refused", async () => {
    const missingGrant = await officialClient(server, noInfo, 5)("GET", "/admin/v1/info/summary");
    expect(missingGrant).toMatchObject({ stat: "FAIL", code: 40301 });
    expect(missingGrant.message_detail).toContain("adminapi_info");
    const accountsKey = await officialClient(server, accounts, 2)("GET", "/admin/v1/info/summary");
    expect(accountsKey).toMatchObject({ stat: "FAIL", code: 40301 });
    // R-AUTH-1: a key that signs correctly but belongs to another API is Duo's 403 40301.
    const notApi = await officialClient(server, websdk, 2)("GET", "/admin/v1/info/summary");
    expect(notApi).toMatchObject({ stat: "FAIL", code: 40301 });
    expect(notApi.message_detail).toContain("cannot call the Admin API");
  });

  it("a changed secret key, changed grants and a deleted integration count from the next request (decrypted keys are cached by the sealed key each request reads)", async () => {
    const db = server.database.handle.db;
    const accountId = await insertAccount(db, { name: "Rotating" });
    const first = await createCredentials(server, accountId, "adminapi", [
      "adminapi_info",
      "adminapi_read_resource",
    ]);
    const summary = (credentials: { ikey: string; skey: string }) =>
      officialClient(server, credentials, 2)("GET", "/admin/v1/info/summary");
    expect(await summary(first)).toMatchObject({ stat: "OK" });
    const rotated = { ikey: first.ikey, skey: newSecretKey() };
    await db
      .updateTable("applications")
      .set({ secret_key_enc: server.database.secrets.seal(rotated.skey, first.ikey) })
      .where("id", "=", first.ikey)
      .execute();
    expect(await summary(first)).toMatchObject({ stat: "FAIL", code: 40103 });
    expect(await summary(rotated)).toMatchObject({ stat: "OK" });
    await db
      .updateTable("applications")
      .set({ grants: ["adminapi_read_resource"] })
      .where("id", "=", first.ikey)
      .execute();
    expect(await summary(rotated)).toMatchObject({ stat: "FAIL", code: 40301 });
    await db.deleteFrom("applications").where("id", "=", first.ikey).execute();
    expect(await summary(rotated)).toMatchObject({ stat: "FAIL", code: 40102 });
  });

  it("R-TEN-5: the tenant row read with the credentials is the latest: a subaccount made a moment ago is reachable at once, a deleted one is gone", async () => {
    const db = server.database.handle.db;
    const parentId = await insertAccount(db, { name: "Fresh MSP" });
    const keys = await createCredentials(server, parentId, "accountsapi");
    const call = officialClient(server, keys, 5);
    for (let round = 0; round < 2; round++) {
      // Each new subaccount bumps the tenant's authz_version: the next request decides on it.
      const childId = await insertAccount(db, { parentId, name: `Fresh child ${round}` });
      expect(await call("GET", "/admin/v1/users", { account_id: childId })).toMatchObject({
        stat: "OK",
        response: [],
      });
      await db.deleteFrom("accounts").where("id", "=", childId).execute();
      expect(await call("GET", "/admin/v1/users", { account_id: childId })).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });
    }
  });

  it("an unknown path answers Duo's 404 envelope", async () => {
    const response = await server.app.inject(
      signedRequest({ ...admin, method: "GET", url: "/admin/v1/nothing-here" }),
    );
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ stat: "FAIL", code: 40401 });
  });
});
