import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededAdmin, seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { PanelClient } from "../../helpers/panel-client.js";

type Operation = "demote" | "disable" | "delete";

/**
 * R-ROLE-9 under concurrency: writers of one tenant are serialised by the tenant lock, so each
 * decides on the Owners the previous one left. Only a real server runs requests in parallel
 * (PGlite has a single connection), so this runs on PostgreSQL only.
 */
describe.skipIf(TEST_ENGINE !== "postgres")(
  `R-ROLE-9 under concurrent requests on ${TEST_ENGINE}`,
  () => {
    let t: TestApp;
    let accountId: string;
    const owners: { admin: SeededAdmin; client: PanelClient }[] = [];

    beforeAll(async () => {
      t = await buildTestApp({ throttle: { attemptsPerWindow: 1000, windowSeconds: 60 } });
      accountId = await insertAccount(t.db, { name: "Concurrent MSP" });
      // Sign-in is limited per admin: each Owner signs in once and keeps their client.
      for (let i = 0; i < 3; i++) {
        const admin = await seedActiveAdmin(t.database, { accountId, role: "Owner" });
        const client = new PanelClient(t.app, `198.51.100.${20 + i}`);
        await client.signIn(admin);
        owners.push({ admin, client });
      }
    }, 60_000);
    afterAll(() => t?.close());

    it("R-ROLE-9, R-AUD-1: 50 concurrent demote/disable/delete requests among 3 Owners leave an active Owner, and the log matches what succeeded", async () => {
      const requests = Array.from({ length: 50 }, (_, i) => {
        const operation: Operation = (["demote", "disable", "delete"] as const)[i % 3] ?? "demote";
        // Callers and targets vary independently, so Owners act on each other (and on themselves).
        const caller = owners[(i * 7 + Math.floor(i / 3)) % 3];
        const target = owners[(i * 5 + 1) % 3];
        if (!caller || !target) throw new Error("three owners");
        return { operation, caller, target };
      });
      const responses = await Promise.all(
        requests.map(({ operation, caller, target }) => {
          const url = `/api/admins/${target.admin.id}`;
          if (operation === "delete") return caller.client.request({ method: "DELETE", url });
          const body = operation === "demote" ? { role: "Administrator" } : { status: "Disabled" };
          return caller.client.request({ method: "PATCH", url, body });
        }),
      );

      const statuses = responses.map((response) => response.statusCode);
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      // Refusals name their rule; anything else is an ended session (401) or a deleted target (404).
      for (const response of responses) {
        if (response.statusCode === 403) expect(response.json().error.rule).toMatch(/^R-/);
        else if (response.statusCode !== 200)
          expect([401, 404, 409], response.body).toContain(response.statusCode);
      }
      expect(statuses).toContain(200);
      expect(statuses).toContain(403);

      const remaining = await t.db
        .selectFrom("admins")
        .select("id")
        .where("account_id", "=", accountId)
        .where("role", "=", "Owner")
        .where("status", "=", "Active")
        .execute();
      expect(remaining.length).toBeGreaterThanOrEqual(1);

      const succeeded = requests
        .filter((_, i) => responses[i]?.statusCode === 200)
        .map(({ operation, target }) => ({
          action: operation === "delete" ? "admin_delete" : "admin_update",
          object_id: target.admin.id,
        }));
      const log = await t.db
        .selectFrom("audit_log")
        .select(["action", "object_id"])
        .where("account_id", "=", accountId)
        .where("action", "in", ["admin_update", "admin_delete"])
        .execute();
      const key = (entry: { action: string; object_id: string | null }) =>
        `${entry.action} ${entry.object_id}`;
      expect(log.map(key).sort()).toEqual(succeeded.map(key).sort());
    }, 60_000);
  },
);
