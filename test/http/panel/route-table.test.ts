import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertGroup, insertUnit } from "../../helpers/fixtures.js";
import { signInAdmin } from "../../helpers/panel-admins.js";
import type { PanelClient } from "../../helpers/panel-client.js";
import { ALL, type ProbeIds, PUBLIC_ROUTES, ROUTE_TABLE, type RouteRow } from "./route-table.js";

/** One signed-in admin and what the table says about them. */
interface Principal {
  label: string;
  client: PanelClient;
  allowed(row: RouteRow): boolean;
  /** Probes that name a subaccount use the one this principal cannot enter. */
  inaccessible?: boolean;
  /** The edition of the account the principal acts in. */
  edition?: string;
  /** Acting in the paid parent, where the unit's group lives. */
  atPaidParent?: boolean;
}

const keyOf = (method: string, url: string) => `${method} ${url}`;

describe(`every panel route against the route table, on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let ids: ProbeIds;
  const principals: Principal[] = [];

  beforeAll(async () => {
    t = await buildTestApp({ throttle: { attemptsPerWindow: 1000, windowSeconds: 60 } });
    const db = t.db;
    const parentId = await insertAccount(db, { name: "Paid MSP", edition: "Premier" });
    const freeId = await insertAccount(db, { name: "Free MSP", edition: "Free" });
    const acme = await insertAccount(db, { parentId, name: "Acme EU" });
    const gov = await insertAccount(db, { parentId, name: "Gov" });
    await db
      .insertInto("subaccount_tags")
      .values([
        { account_id: acme, tag: "EU" },
        { account_id: gov, tag: "Government Restricted" },
      ])
      .execute();
    const unit = await insertUnit(db, parentId);
    const group = await insertGroup(db, parentId);
    await db
      .insertInto("admin_unit_groups")
      .values({ unit_id: unit, group_id: group, account_id: parentId })
      .execute();
    ids = {
      accessibleSubaccountId: acme,
      inaccessibleSubaccountId: gov,
      missingAccountId: `DA${"9".repeat(18)}`,
      missingAdminId: `DE${"9".repeat(18)}`,
      currentEdition: "Premier",
      newUserGroupIds: [group],
    };

    const signIn = async (
      accountId: string,
      role: Role,
      setup: { subaccountRole?: Role; restrictedIn?: string[]; sessionIn?: string } = {},
    ) => {
      const { client, id } = await signInAdmin(t, accountId, {
        role,
        tags: ["EU"],
        subaccountRole: setup.subaccountRole,
        unitIds: setup.restrictedIn,
      });
      if (setup.sessionIn)
        await db
          .updateTable("admin_sessions")
          .set({ account_id: setup.sessionIn })
          .where("admin_id", "=", id)
          .execute();
      return client;
    };

    for (const role of ALL) {
      principals.push({
        label: `${role} at the paid parent`,
        atPaidParent: true,
        client: await signIn(parentId, role),
        allowed: (row) => row.parent.includes(role),
      });
      principals.push({
        label: `${role} at the paid parent, naming an inaccessible subaccount`,
        atPaidParent: true,
        client: await signIn(parentId, role),
        inaccessible: true,
        allowed: (row) => row.parent.includes(role) && (!row.namesSubaccount || role === "Owner"),
      });
      principals.push({
        label: `subaccount role ${role} in an accessible subaccount`,
        client: await signIn(parentId, role === "Owner" ? "Read-only" : role, {
          subaccountRole: role,
          sessionIn: acme,
        }),
        allowed: (row) => row.subaccount.includes(role),
      });
      principals.push({
        label: `${role} at a Free parent (acts as Owner)`,
        edition: "Free",
        client: await signIn(freeId, role),
        allowed: (row) => row.parent.includes("Owner") && !row.paidOnly,
      });
      if (role === "Owner") continue;
      principals.push({
        label: `${role} restricted to a unit`,
        atPaidParent: true,
        client: await signIn(parentId, role, { restrictedIn: [unit] }),
        allowed: (row) => row.parent.includes(role) && row.restricted,
      });
      principals.push({
        label: `${role} restricted, in no unit (R-UNIT-5)`,
        atPaidParent: true,
        client: await signIn(parentId, role, { restrictedIn: [] }),
        allowed: (row) => row.selfService === true,
      });
    }
  }, 120_000);
  afterAll(() => t.close());

  it("every registered /api route is public or declares an action, and has a row in the table", () => {
    const routes = t.app.routeList.filter((route) => route.url.startsWith("/api/"));
    const missing: string[] = [];
    for (const route of routes) {
      const key = keyOf(route.method, route.url);
      if (route.config.public) {
        if (!PUBLIC_ROUTES.includes(key) && !route.url.startsWith("/api/docs"))
          missing.push(`${key} is public but not listed as public`);
        continue;
      }
      if (route.config.action === undefined) missing.push(`${key} declares no action`);
      if (!ROUTE_TABLE[key]) missing.push(`${key} has no row in the route table`);
    }
    for (const key of Object.keys(ROUTE_TABLE)) {
      const [method, url] = key.split(" ");
      if (!routes.some((route) => route.method === method && route.url === url))
        missing.push(`${key} is in the table but not registered`);
    }
    expect(missing).toEqual([]);
  });

  /** Records of changes (denied attempts are logged apart, R-AUD-1). */
  const changeRecords = async () =>
    Number(
      (
        await t.db
          .selectFrom("audit_log")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("action", "<>", "access_denied")
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("each principal gets through exactly the routes the table gives them; refusals name a rule; a change writes one record, a failure none", async () => {
    const wrong: string[] = [];
    for (const [key, row] of Object.entries(ROUTE_TABLE)) {
      if (typeof row.probe !== "function") continue;
      const [method = "GET"] = key.split(" ");
      for (const principal of principals) {
        const probe = row.probe({
          ...ids,
          ...(principal.inaccessible
            ? { accessibleSubaccountId: ids.inaccessibleSubaccountId }
            : {}),
          currentEdition: principal.edition ?? ids.currentEdition,
          newUserGroupIds: principal.atPaidParent ? ids.newUserGroupIds : [],
        });
        const recordsBefore = await changeRecords();
        const response = await principal.client.request({
          method: method as "GET",
          url: probe.url,
          ...(probe.body === undefined ? {} : { body: probe.body }),
        });
        const refused = response.statusCode === 403;
        const written = (await changeRecords()) - recordsBefore;
        const succeeded = response.statusCode < 300;
        const expectedRecords = succeeded && method !== "GET" && !row.readOnly ? 1 : 0;
        if (written !== expectedRecords)
          wrong.push(
            `${key} as ${principal.label}: ${response.statusCode} wrote ${written} change records, expected ${expectedRecords}`,
          );
        if (
          response.statusCode === 401 ||
          response.statusCode >= 500 ||
          response.statusCode === 400
        )
          wrong.push(`${key} as ${principal.label}: ${response.statusCode} ${response.body}`);
        else if (refused === principal.allowed(row))
          wrong.push(
            `${key} as ${principal.label}: expected ${principal.allowed(row) ? "through" : "403"}, got ${response.statusCode} ${response.body.slice(0, 200)}`,
          );
        else if (refused && typeof response.json().error?.rule !== "string")
          wrong.push(`${key} as ${principal.label}: a 403 without a rule`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});
