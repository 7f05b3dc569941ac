import type { Role } from "../../src/authz/index.js";
import type { Executor } from "../../src/db/executor.js";
import { newId } from "../../src/db/ids.js";
import { seedActiveAdmin } from "./admins.js";
import type { TestApp } from "./app.js";
import { PanelClient } from "./panel-client.js";

export interface AdminSetup {
  role: Role;
  /** R-TAG-1: the admin's access tags (parent-level admins). */
  tags?: string[];
  /** R-SUB-1: the subaccount role, when it differs from the role. */
  subaccountRole?: Role;
  /** R-UNIT-4: restricted to these units (an empty list: restricted, in no unit, R-UNIT-5). */
  unitIds?: string[];
}

/** An Active admin set up as described, signed in to the panel. */
export async function signInAdmin(
  t: TestApp,
  accountId: string,
  setup: AdminSetup,
): Promise<{ client: PanelClient; id: string }> {
  const admin = await seedActiveAdmin(t.database, { accountId, role: setup.role });
  if (setup.subaccountRole)
    await t.db
      .updateTable("admins")
      .set({ subaccount_role: setup.subaccountRole })
      .where("id", "=", admin.id)
      .execute();
  if (setup.tags?.length)
    await t.db
      .insertInto("admin_tags")
      .values(setup.tags.map((tag) => ({ admin_id: admin.id, tag })))
      .execute();
  if (setup.unitIds) {
    await t.db
      .updateTable("admins")
      .set({ restricted_by_units: true })
      .where("id", "=", admin.id)
      .execute();
    for (const unitId of setup.unitIds)
      await t.db
        .insertInto("admin_unit_admins")
        .values({ unit_id: unitId, admin_id: admin.id, account_id: accountId })
        .execute();
  }
  const client = new PanelClient(t.app);
  await client.signIn(admin);
  return { client, id: admin.id };
}

/** A unit managing exactly the given groups and applications ("specific", R-UNIT-2). */
export async function insertScopedUnit(
  db: Executor,
  accountId: string,
  scope: { name: string; groupIds?: string[]; applicationIds?: string[] },
): Promise<string> {
  const id = newId("unit");
  await db
    .insertInto("admin_units")
    .values({
      id,
      account_id: accountId,
      name: scope.name,
      all_groups: false,
      all_applications: false,
    })
    .execute();
  for (const groupId of scope.groupIds ?? [])
    await db
      .insertInto("admin_unit_groups")
      .values({ unit_id: id, group_id: groupId, account_id: accountId })
      .execute();
  for (const applicationId of scope.applicationIds ?? [])
    await db
      .insertInto("admin_unit_applications")
      .values({ unit_id: id, application_id: applicationId, account_id: accountId })
      .execute();
  return id;
}
