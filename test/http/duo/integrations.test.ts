import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  officialClient,
  signedRequest,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, type insertApplication } from "../../helpers/fixtures.js";

describe(`Duo integrations API (research/duo-api.md §4.5) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let accountId: string;
  let manager: Credentials;
  let reader: Credentials;

  beforeAll(async () => {
    server = await startHttpsServer();
    const db = server.database.handle.db;
    accountId = await insertAccount(db, { name: "Contoso" });
    const integration = (grants: Parameters<typeof insertApplication>[2]["grants"]) =>
      createCredentials(server, accountId, "adminapi", grants);
    manager = await integration([
      "adminapi_integrations",
      "adminapi_read_resource",
      "adminapi_info",
    ]);
    reader = await integration(["adminapi_read_resource"]);
  });
  afterAll(() => server.close());

  const auditOf = (objectId: string) =>
    server.database.handle.db
      .selectFrom("audit_log")
      .select(["action", "actor_kind", "actor_id"])
      .where("object_id", "=", objectId)
      .orderBy("id")
      .execute();

  for (const version of [2, 5] as const) {
    it(`v${version}: create, read, update and delete an integration, each change logged once`, async () => {
      const call = officialClient(server, manager, version);
      const created = await call("POST", "/admin/v1/integrations", {
        name: `Web app v${version}`,
        type: "websdk",
        notes: "first",
      });
      expect(created.stat).toBe("OK");
      const integration = created.response as Record<string, unknown>;
      expect(integration).toMatchObject({
        name: `Web app v${version}`,
        type: "websdk",
        notes: "first",
        greeting: "",
        adminapi_admins: 0,
        adminapi_integrations: 0,
      });
      expect(integration.integration_key).toMatch(/^DI[0-9A-Z]{18}$/);
      expect(integration.secret_key).toMatch(/^[0-9A-Za-z]{40}$/);
      const key = integration.integration_key as string;

      const read = await call("GET", `/admin/v1/integrations/${key}`);
      expect(read.stat).toBe("OK");
      expect(read.response).not.toHaveProperty("secret_key");
      expect(read.response).toMatchObject({ integration_key: key, notes: "first" });

      const updated = await call("POST", `/admin/v1/integrations/${key}`, {
        name: `Web app v${version} (renamed)`,
        greeting: "Hello",
      });
      expect(updated).toMatchObject({
        stat: "OK",
        response: {
          integration_key: key,
          name: `Web app v${version} (renamed)`,
          greeting: "Hello",
        },
      });
      expect(updated.response).not.toHaveProperty("secret_key");

      const deleted = await call("DELETE", `/admin/v1/integrations/${key}`);
      expect(deleted).toEqual({ stat: "OK", response: "" });
      expect(await call("GET", `/admin/v1/integrations/${key}`)).toMatchObject({
        stat: "FAIL",
        code: 40401,
      });

      expect(await auditOf(key)).toEqual(
        ["integration_create", "integration_update", "integration_delete"].map((action) => ({
          action,
          actor_kind: "application",
          actor_id: manager.ikey,
        })),
      );
    });
  }

  it("an Admin API integration's grants are adminapi_* flags, and none beyond the caller's own", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, manager, version);
      const created = await call("POST", "/admin/v1/integrations", {
        name: `Reporting v${version}`,
        type: "adminapi",
        adminapi_info: version === 2 ? "1" : true,
        adminapi_read_resource: "true",
      });
      expect(created).toMatchObject({
        stat: "OK",
        response: {
          type: "adminapi",
          adminapi_info: 1,
          adminapi_read_resource: 1,
          adminapi_admins: 0,
        },
      });
      const key = (created.response as { integration_key: string }).integration_key;
      const revoked = await call("POST", `/admin/v1/integrations/${key}`, { adminapi_info: "0" });
      expect(revoked).toMatchObject({
        stat: "OK",
        response: { adminapi_info: 0, adminapi_read_resource: 1 },
      });
      const widened = await call("POST", `/admin/v1/integrations/${key}`, { adminapi_admins: "1" });
      expect(widened).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(widened.message_detail).toContain("adminapi_admins");
    }
    const escalate = await officialClient(server, manager, 5)("POST", "/admin/v1/integrations", {
      name: "Too strong",
      type: "adminapi",
      adminapi_write_resource: "1",
    });
    expect(escalate).toMatchObject({ stat: "FAIL", code: 40301 });
    const accountsApi = await officialClient(server, manager, 2)("POST", "/admin/v1/integrations", {
      name: "Accounts",
      type: "accountsapi",
    });
    expect(accountsApi).toMatchObject({ stat: "FAIL", code: 40301 });
    const notApi = await officialClient(server, manager, 2)("POST", "/admin/v1/integrations", {
      name: "Web",
      type: "websdk",
      adminapi_info: "1",
    });
    expect(notApi).toMatchObject({ stat: "FAIL", code: 40002 });
    expect(notApi.message_detail).toContain("adminapi_info");
  });

  it("§3: the list pages by offset, next_offset only while more remain; v2 and v3 answer the same", async () => {
    const call = officialClient(server, manager, 5);
    for (let i = 0; i < 5; i++)
      expect(
        (await call("POST", "/admin/v1/integrations", { name: `Paged ${i}`, type: "websdk" })).stat,
      ).toBe("OK");
    const total = (
      await server.database.handle.db
        .selectFrom("applications")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("account_id", "=", accountId)
        .executeTakeFirstOrThrow()
    ).n;
    for (const version of [2, 5] as const) {
      const list = officialClient(server, manager, version);
      const seen: string[] = [];
      let offset: number | undefined = 0;
      let pages = 0;
      while (offset !== undefined) {
        const page = await list("GET", "/admin/v1/integrations", {
          limit: "3",
          offset: String(offset),
        });
        expect(page.stat).toBe("OK");
        expect(page.metadata?.total_objects).toBe(Number(total));
        seen.push(
          ...(page.response as { integration_key: string }[]).map((i) => i.integration_key),
        );
        offset = page.metadata?.next_offset as number | undefined;
        pages++;
      }
      expect(pages).toBeGreaterThan(1);
      expect(seen).toHaveLength(Number(total));
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toContain(manager.ikey);
      for (const path of ["/admin/v2/integrations", "/admin/v3/integrations"]) {
        const all = await list("GET", path, { limit: "500" });
        expect(
          (all.response as { integration_key: string }[]).map((i) => i.integration_key),
        ).toEqual(seen);
        expect(all.metadata).not.toHaveProperty("next_offset");
      }
    }
  });

  it('R-ROLE-2: without "Grant applications" an integration neither reads nor writes integrations', async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, reader, version);
      const reading = await call("GET", "/admin/v1/integrations");
      expect(reading).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(reading.message_detail).toContain("adminapi_integrations");
      const refused = await call("POST", "/admin/v1/integrations", { name: "No", type: "websdk" });
      expect(refused).toMatchObject({ stat: "FAIL", code: 40301 });
      expect(refused.message_detail).toContain("adminapi_integrations");
      const deleting = await call("DELETE", `/admin/v1/integrations/${manager.ikey}`);
      expect(deleting).toMatchObject({ stat: "FAIL", code: 40301 });
    }
  });

  it("a bad or unsupported parameter is 400 40002 naming it", async () => {
    const call = officialClient(server, manager, 2);
    const noName = await call("POST", "/admin/v1/integrations", { type: "websdk" });
    expect(noName).toMatchObject({ stat: "FAIL", code: 40002 });
    expect(noName.message_detail).toContain("name");
    const allowList = await call("POST", "/admin/v1/integrations", {
      name: "Restricted",
      type: "websdk",
      ip_whitelist: "10.0.0.0/8",
    });
    expect(allowList).toMatchObject({ stat: "FAIL", code: 40002 });
    expect(allowList.message_detail).toContain("ip_whitelist");
    const badFlag = await call("POST", "/admin/v1/integrations", {
      name: "Flag",
      type: "adminapi",
      adminapi_info: "maybe",
    });
    expect(badFlag).toMatchObject({ stat: "FAIL", code: 40002 });
    expect(badFlag.message_detail).toContain("adminapi_info");
  });

  it("R-AUTH-1: Auth API and UNIX integrations are created with keys the Auth API accepts, and listed by type", async () => {
    const call = officialClient(server, manager, 5);
    const created: Record<string, { integration_key: string; secret_key: string }> = {};
    for (const type of ["authapi", "unix"]) {
      const answer = await call("POST", "/admin/v1/integrations", { name: `Login ${type}`, type });
      expect(answer).toMatchObject({ stat: "OK", response: { type, name: `Login ${type}` } });
      const integration = answer.response as Record<string, unknown>;
      expect(integration.secret_key).toMatch(/^[0-9A-Za-z]{40}$/);
      // A Gatehouse extension: only a UNIX integration carries it.
      if (type === "unix") expect(integration.legacy_unix_clients).toBe(false);
      else expect(integration).not.toHaveProperty("legacy_unix_clients");
      created[type] = integration as { integration_key: string; secret_key: string };
      const check = await server.app.inject(
        signedRequest({
          ikey: integration.integration_key as string,
          skey: integration.secret_key as string,
          method: "GET",
          url: "/auth/v2/check",
        }),
      );
      expect(check.statusCode, check.body).toBe(200);
      expect(check.json().stat).toBe("OK");
    }
    const listed = await call("GET", "/admin/v1/integrations", { limit: "500" });
    const byKey = new Map(
      (listed.response as { integration_key: string; type: string }[]).map((i) => [
        i.integration_key,
        i,
      ]),
    );
    expect(byKey.get(created.authapi?.integration_key ?? "")).toMatchObject({ type: "authapi" });
    expect(byKey.get(created.unix?.integration_key ?? "")).toMatchObject({
      type: "unix",
      legacy_unix_clients: false,
    });
    for (const integration of byKey.values()) expect(integration).not.toHaveProperty("secret_key");
  });

  it("R-AUD-1: legacy_unix_clients is a UNIX integration's setting on create and update, refused by name for any other type", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, manager, version);
      const created = await call("POST", "/admin/v1/integrations", {
        name: `Debian hosts v${version}`,
        type: "unix",
        legacy_unix_clients: version === 2 ? "1" : true,
      });
      expect(created).toMatchObject({ stat: "OK", response: { legacy_unix_clients: true } });
      const key = (created.response as { integration_key: string }).integration_key;
      const off = await call("POST", `/admin/v1/integrations/${key}`, {
        legacy_unix_clients: version === 2 ? "0" : false,
      });
      expect(off).toMatchObject({ stat: "OK", response: { legacy_unix_clients: false } });
      expect((await call("GET", `/admin/v1/integrations/${key}`)).response).toMatchObject({
        legacy_unix_clients: false,
      });
      const records = await server.database.handle.db
        .selectFrom("audit_log")
        .select(["action", "before", "after"])
        .where("object_id", "=", key)
        .orderBy("id")
        .execute();
      expect(records.map((r) => r.action)).toEqual(["integration_create", "integration_update"]);
      expect(records[1]).toMatchObject({
        before: { legacy_unix_clients: true },
        after: { legacy_unix_clients: false },
      });
    }
    const call = officialClient(server, manager, 2);
    const auth = await call("POST", "/admin/v1/integrations", {
      name: "Auth only",
      type: "authapi",
    });
    const authKey = (auth.response as { integration_key: string }).integration_key;
    for (const [path, params] of [
      ["/admin/v1/integrations", { name: "Web legacy", type: "websdk", legacy_unix_clients: "1" }],
      [
        "/admin/v1/integrations",
        { name: "Auth legacy", type: "authapi", legacy_unix_clients: "0" },
      ],
      [`/admin/v1/integrations/${authKey}`, { legacy_unix_clients: "1", name: "Renamed" }],
      [
        "/admin/v1/integrations",
        { name: "Unix maybe", type: "unix", legacy_unix_clients: "maybe" },
      ],
    ] as const) {
      const refused = await call("POST", path, params);
      expect(refused, JSON.stringify(params)).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(refused.message_detail).toContain("legacy_unix_clients");
    }
    expect((await call("GET", `/admin/v1/integrations/${authKey}`)).response).toMatchObject({
      name: "Auth only",
    });
    const names = (
      (await call("GET", "/admin/v1/integrations", { limit: "500" })).response as { name: string }[]
    ).map((i) => i.name);
    expect(names.filter((name) => / legacy$|maybe$/.test(name))).toEqual([]);
  });
});
