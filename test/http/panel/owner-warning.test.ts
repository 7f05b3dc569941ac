import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { PanelClient } from "../../helpers/panel-client.js";

/**
 * Issue 13 item 7, R-ROLE-9: "The panel warns while an account has fewer than two Owners", on the
 * Dashboard (GET /api/account's owner_warning), only where the account has admins of its own and
 * only to a viewer who may add an Owner there.
 */
describe(`the "fewer than two Owners" warning (R-ROLE-9) on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let parentId: string;
  let unstaffed: string;
  let oneOwner: string;
  let twoOwners: string;
  let parentOwner: PanelClient;

  beforeAll(async () => {
    t = await buildTestApp();
    parentId = await insertAccount(t.db, { name: "Northwind MSP" });
    unstaffed = await insertAccount(t.db, { parentId, name: "Run From The Parent" });
    oneOwner = await insertAccount(t.db, { parentId, name: "One Owner Co" });
    twoOwners = await insertAccount(t.db, { parentId, name: "Two Owners Co" });
    parentOwner = await signIn(parentId, "Owner");
  });
  afterAll(() => t.close());

  const signIn = async (accountId: string, role: Role, subaccountRole?: Role) => {
    const admin = await seedActiveAdmin(t.database, { accountId, role });
    if (subaccountRole)
      await t.db
        .updateTable("admins")
        .set({ subaccount_role: subaccountRole })
        .where("id", "=", admin.id)
        .execute();
    const client = new PanelClient(t.app);
    await client.signIn(admin);
    return client;
  };
  const dashboard = async (client: PanelClient, accountId?: string) => {
    if (accountId) {
      const switched = await client.post("/api/switcher", { account_id: accountId });
      expect(switched.statusCode, switched.body).toBe(200);
    }
    const response = await client.get("/api/account");
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { active_owners: number; owner_warning: boolean };
  };

  it("issue 13 item 7, R-ROLE-9: an Owner of an account with one active Owner is warned", async () => {
    expect(await dashboard(parentOwner)).toMatchObject({ active_owners: 1, owner_warning: true });
  });

  it("issue 13 item 7, R-ROLE-9, R-ROLE-5: an admin who cannot add an Owner is not warned, though the count is the same", async () => {
    for (const role of ["Administrator", "Help Desk", "Read-only"] as const) {
      const client = await signIn(parentId, role);
      expect(await dashboard(client), role).toMatchObject({
        active_owners: 1,
        owner_warning: false,
      });
    }
  });

  it("issue 13 item 7, R-ROLE-9: a subaccount with no administrators of its own shows no warning (was: 0 active Owners)", async () => {
    expect(await dashboard(parentOwner, unstaffed)).toEqual(
      expect.objectContaining({ active_owners: 0, owner_warning: false }),
    );
  });

  it("issue 13 item 7, R-ROLE-9, R-SUB-1: a subaccount with its own single Owner warns its Owner and the parent's Owners, not its Read-only admin", async () => {
    const ownOwner = await signIn(oneOwner, "Owner");
    const ownReader = await signIn(oneOwner, "Read-only");
    expect(await dashboard(ownOwner)).toMatchObject({ active_owners: 1, owner_warning: true });
    expect(await dashboard(ownReader)).toMatchObject({ active_owners: 1, owner_warning: false });
    expect(await dashboard(parentOwner, oneOwner)).toMatchObject({ owner_warning: true });
    // R-SUB-7: a parent-level Read-only admin whose subaccount role is Owner adds Owners there.
    const delegated = await signIn(parentId, "Read-only", "Owner");
    expect(await dashboard(delegated)).toMatchObject({ owner_warning: false });
    expect(await dashboard(delegated, oneOwner)).toMatchObject({ owner_warning: true });
  });

  it("issue 13 item 7, R-ROLE-9: two active Owners need no warning", async () => {
    const first = await signIn(twoOwners, "Owner");
    await signIn(twoOwners, "Owner");
    expect(await dashboard(first)).toMatchObject({ active_owners: 2, owner_warning: false });
    expect(await dashboard(parentOwner, twoOwners)).toMatchObject({ owner_warning: false });
  });

  it("issue 13 item 7, R-ROLE-9, R-PLAN-1: on Free every admin acts as an Owner, so every admin is warned", async () => {
    const freeParent = await insertAccount(t.db, { name: "Free MSP", edition: "Free" });
    const owner = await signIn(freeParent, "Owner");
    const savedHelpDesk = await signIn(freeParent, "Help Desk");
    expect(await dashboard(owner)).toMatchObject({ active_owners: 1, owner_warning: true });
    expect(await dashboard(savedHelpDesk)).toMatchObject({ active_owners: 1, owner_warning: true });
  });
});
