import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  officialClient,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, type insertApplication } from "../../helpers/fixtures.js";

interface Child {
  account_id: string;
  name: string;
  api_hostname: string;
  edition: string;
  nfr: boolean;
  access_tags: string[];
}

describe(`Duo Accounts API (research/duo-api.md §6, §4.11) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let parentId: string;
  let accounts: Credentials;
  let admin: Credentials;

  beforeAll(async () => {
    server = await startHttpsServer();
    const db = server.database.handle.db;
    parentId = await insertAccount(db, { name: "Adatum MSP" });
    const integration = (
      type: string,
      grants: Parameters<typeof insertApplication>[2]["grants"] = [],
    ) => createCredentials(server, parentId, type, grants);
    accounts = await integration("accountsapi");
    admin = await integration("adminapi", [
      "adminapi_admins",
      "adminapi_info",
      "adminapi_integrations",
      "adminapi_read_log",
      "adminapi_read_resource",
      "adminapi_settings",
      "adminapi_write_resource",
    ]);
  });
  afterAll(() => server.close());

  const auditOf = (objectId: string) =>
    server.database.handle.db
      .selectFrom("audit_log")
      .select(["account_id", "action", "actor_kind", "actor_id", "after"])
      .where("object_id", "=", objectId)
      .orderBy("id")
      .execute();

  for (const version of [2, 5] as const) {
    it(`v${version}: create a child, list it, act in it with account_id, set its edition, delete it`, async () => {
      const call = officialClient(server, accounts, version);
      const created = await call("POST", "/accounts/v1/account/create", {
        name: `Client v${version}`,
      });
      expect(created.stat).toBe("OK");
      const child = created.response as Child;
      expect(Object.keys(child).slice(0, 3)).toEqual(["account_id", "name", "api_hostname"]);
      expect(child).toMatchObject({
        name: `Client v${version}`,
        // §6: reachable and without a port (Python's AccountAdmin switches to it keeping its port).
        api_hostname: "127.0.0.1",
        edition: "BEYOND",
        nfr: false,
        access_tags: [],
      });
      expect(child.account_id).toMatch(/^DA[0-9A-Z]{18}$/);

      const listed = await call("POST", "/accounts/v1/account/list");
      expect(listed.stat).toBe("OK");
      const found = (listed.response as Child[]).find((c) => c.account_id === child.account_id);
      expect(found).toEqual(child);
      for (const item of listed.response as Child[]) expect(item.api_hostname).not.toContain(":");

      const summary = await call("GET", "/admin/v1/info/summary", { account_id: child.account_id });
      expect(summary).toMatchObject({
        stat: "OK",
        response: { admin_count: 0, integration_count: 0, user_count: 0 },
      });

      const edition = () =>
        call("GET", "/admin/v1/billing/edition", { account_id: child.account_id });
      expect(await edition()).toEqual({ stat: "OK", response: { edition: "BEYOND" } });
      const set = await call("POST", "/admin/v1/billing/edition", {
        account_id: child.account_id,
        edition: "PLATFORM",
      });
      expect(set).toEqual({ stat: "OK", response: "" });
      expect(await edition()).toEqual({ stat: "OK", response: { edition: "PLATFORM" } });
      const bad = await call("POST", "/admin/v1/billing/edition", {
        account_id: child.account_id,
        edition: "GOLD",
      });
      expect(bad).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(bad.message_detail).toContain("edition");
      // The edition change is logged in the child, by the integration (before the child goes).
      expect(await auditOf(child.account_id)).toEqual([
        expect.objectContaining({ account_id: parentId, action: "account_create" }),
        expect.objectContaining({
          account_id: child.account_id,
          action: "account_update",
          actor_kind: "application",
          actor_id: accounts.ikey,
          after: { edition: "Advantage" },
        }),
      ]);

      const deleted = await call("POST", "/accounts/v1/account/delete", {
        account_id: child.account_id,
      });
      expect(deleted).toEqual({ stat: "OK", response: "" });
      const after = await call("POST", "/accounts/v1/account/list");
      expect((after.response as Child[]).map((c) => c.account_id)).not.toContain(child.account_id);
      expect(
        await call("GET", "/admin/v1/info/summary", { account_id: child.account_id }),
      ).toMatchObject({ stat: "FAIL", code: 40401 });
      // Logged at the parent (the child's own log went with it): one record per change.
      expect(await auditOf(child.account_id)).toEqual([
        {
          account_id: parentId,
          action: "account_create",
          actor_kind: "application",
          actor_id: accounts.ikey,
          after: expect.anything(),
        },
        {
          account_id: parentId,
          action: "account_delete",
          actor_kind: "application",
          actor_id: accounts.ikey,
          after: { forced: true },
        },
      ]);
    });
  }

  it("Gatehouse extras on create: nfr and a Duo edition; a bad one is 400 naming it", async () => {
    const call = officialClient(server, accounts, 5);
    const created = await call("POST", "/accounts/v1/account/create", {
      name: "Demo tenant",
      nfr: true,
      edition: "PERSONAL",
    });
    expect(created).toMatchObject({
      stat: "OK",
      response: { name: "Demo tenant", nfr: true, edition: "PERSONAL", access_tags: [] },
    });
    const badEdition = await call("POST", "/accounts/v1/account/create", {
      name: "Bad",
      edition: "DIAMOND",
    });
    expect(badEdition).toMatchObject({ stat: "FAIL", code: 40002 });
    expect(badEdition.message_detail).toContain("edition");
    const noName = await officialClient(server, accounts, 2)("POST", "/accounts/v1/account/create");
    expect(noName).toMatchObject({ stat: "FAIL", code: 40002 });
    expect(noName.message_detail).toContain("name");
    // R-TAG-3: access tags ride on account/create (the engine gives the Accounts API "tags:manage").
    const tagged = await call("POST", "/accounts/v1/account/create", {
      name: "Tagged",
      access_tags: ["Gov", "gov"],
    });
    expect(tagged).toMatchObject({
      stat: "OK",
      response: { name: "Tagged", access_tags: ["Gov", "gov"] },
    });
    const listed = await call("POST", "/accounts/v1/account/list");
    expect((listed.response as Child[]).find((c) => c.name === "Tagged")?.access_tags).toEqual([
      "Gov",
      "gov",
    ]);
    const duplicate = await call("POST", "/accounts/v1/account/create", { name: "demo TENANT" });
    expect(duplicate).toMatchObject({ stat: "FAIL", code: 40003 });
  });

  it('§1.8 step 6: an Admin API integration calling /accounts is 403 40301 "Wrong integration type"', async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, admin, version);
      for (const path of ["/accounts/v1/account/list", "/accounts/v1/account/create"]) {
        const refused = await call("POST", path, { name: "Nope" });
        expect(refused).toMatchObject({
          stat: "FAIL",
          code: 40301,
          message: "Access forbidden",
          message_detail: "Wrong integration type for this API.",
        });
      }
    }
  });

  it("R-TEN-5: the Accounts API acts in a child only, never in its own account or another tenant", async () => {
    const call = officialClient(server, accounts, 2);
    const own = await call("GET", "/admin/v1/billing/edition");
    expect(own).toMatchObject({ stat: "FAIL", code: 40301 });
    const otherParent = await insertAccount(server.database.handle.db, { name: "Elsewhere" });
    const otherChild = await insertAccount(server.database.handle.db, {
      name: "Not ours",
      parentId: otherParent,
    });
    for (const accountId of [otherParent, otherChild]) {
      const answer = await call("GET", "/admin/v1/info/summary", { account_id: accountId });
      expect(answer).toMatchObject({ stat: "FAIL", code: 40301 });
      const deleting = await call("POST", "/accounts/v1/account/delete", { account_id: accountId });
      expect(deleting.stat).toBe("FAIL");
    }
    const missing = await call("POST", "/accounts/v1/account/delete", {
      account_id: "DAAAAAAAAAAAAAAAAAAA",
    });
    expect(missing).toMatchObject({ stat: "FAIL", code: 40401 });
  });
});
