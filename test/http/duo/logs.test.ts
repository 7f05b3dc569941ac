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

interface Entry {
  action: string;
  description: string;
  isotimestamp: string;
  object: string | null;
  timestamp: number;
  username: string;
  actor: { kind: string; id: string | null; name: string };
  object_id: string | null;
}

describe(`Duo administrator log (research/duo-api.md §4.9) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let auditor: Credentials;
  let noLog: Credentials;

  beforeAll(async () => {
    server = await startHttpsServer();
    const db = server.database.handle.db;
    const accountId = await insertAccount(db, { name: "Litware" });
    const integration = (grants: Parameters<typeof insertApplication>[2]["grants"]) =>
      createCredentials(server, accountId, "adminapi", grants);
    auditor = await integration([
      "adminapi_read_log",
      "adminapi_integrations",
      "adminapi_settings",
    ]);
    noLog = await integration(["adminapi_read_resource"]);
  });
  afterAll(() => server.close());

  it("a change appears after it, in Duo's v1 shape, from mintime on (v2 and v5)", async () => {
    for (const version of [2, 5] as const) {
      const call = officialClient(server, auditor, version);
      const mintime = Math.floor(Date.now() / 1000);
      const name = `Logged v${version}`;
      const created = await call("POST", "/admin/v1/integrations", { name, type: "websdk" });
      expect(created.stat).toBe("OK");
      const key = (created.response as { integration_key: string }).integration_key;
      expect((await call("POST", "/admin/v1/settings", { helpdesk_bypass: "deny" })).stat).toBe(
        "OK",
      );

      const log = await call("GET", "/admin/v1/logs/administrator", { mintime: String(mintime) });
      expect(log.stat).toBe("OK");
      const entries = log.response as Entry[];
      const create = entries.find((e) => e.action === "integration_create" && e.object_id === key);
      expect(create).toMatchObject({
        object: name,
        username: "API",
        actor: { kind: "application", id: auditor.ikey },
      });
      expect(create?.timestamp).toBeGreaterThanOrEqual(mintime);
      expect(create?.isotimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      expect(new Date(create?.isotimestamp ?? "").getTime()).toBe((create?.timestamp ?? 0) * 1000);
      expect(typeof create?.description).toBe("string");
      expect(JSON.parse(create?.description ?? "")).toMatchObject({ name, type: "websdk" });
      const settings = entries
        .filter((e) => e.action === "customer_update")
        .map((e) => JSON.parse(e.description));
      expect(settings).toContainEqual({ helpdesk_bypass: "deny" });
      // Oldest first, as v1 clients poll with the last timestamp + 1.
      const times = entries.map((e) => e.timestamp);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(entries.every((e) => e.timestamp >= mintime)).toBe(true);

      const later = await call("GET", "/admin/v1/logs/administrator", {
        mintime: String(mintime + 3600),
      });
      expect(later).toEqual({ stat: "OK", response: [] });
      // Reset for the next version's round.
      await call("POST", "/admin/v1/settings", { helpdesk_bypass: "allow" });
    }
  });

  it("without mintime, every record; a bad mintime is 400 40002 naming it", async () => {
    const call = officialClient(server, auditor, 2);
    const all = await call("GET", "/admin/v1/logs/administrator");
    expect((all.response as Entry[]).length).toBeGreaterThanOrEqual(6);
    const bad = await call("GET", "/admin/v1/logs/administrator", { mintime: "yesterday" });
    expect(bad).toMatchObject({ stat: "FAIL", code: 40002 });
    expect(bad.message_detail).toContain("mintime");
  });

  it('R-ROLE-2: without "Grant read log" the log is refused, and the refusal is logged', async () => {
    const refused = await officialClient(server, noLog, 5)("GET", "/admin/v1/logs/administrator");
    expect(refused).toMatchObject({ stat: "FAIL", code: 40301 });
    expect(refused.message_detail).toContain("adminapi_read_log");
    const log = await officialClient(server, auditor, 5)("GET", "/admin/v1/logs/administrator");
    const denied = (log.response as Entry[]).filter((e) => e.action === "access_denied");
    expect(denied.at(-1)).toMatchObject({ username: "API", actor: { id: noLog.ikey } });
    expect(JSON.parse(denied.at(-1)?.description ?? "")).toMatchObject({ rule: "R-ROLE-2" });
  });
});
