import type { TenantModel } from "../../authz/model.js";
import type { Executor } from "../executor.js";

function groupBy<T>(
  rows: T[],
  key: (row: T) => string,
  value: (row: T) => string,
): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), value(row)]);
  return map;
}

/** The authorization engine's view of one parent account and everything under it, in eight queries. */
export async function loadTenantModel(executor: Executor, parentId: string): Promise<TenantModel> {
  const [accounts, subTags, admins, adminTags, units, unitAdmins, unitGroups, unitApps] =
    await Promise.all([
      executor
        .selectFrom("accounts as a")
        .innerJoin("account_settings as s", "s.account_id", "a.id")
        .select([
          "a.id",
          "a.name",
          "a.edition",
          "a.nfr",
          "a.parent_id",
          "s.helpdesk_bypass",
          "s.helpdesk_bypass_expiration",
          "s.helpdesk_can_send_enroll_email",
          "s.user_managers_can_put_users_in_bypass",
        ])
        .where("a.tenant_id", "=", parentId)
        .orderBy("a.name")
        .orderBy("a.id")
        .execute(),
      executor
        .selectFrom("subaccount_tags as t")
        .innerJoin("accounts as a", "a.id", "t.account_id")
        .select(["t.account_id", "t.tag"])
        .where("a.tenant_id", "=", parentId)
        .execute(),
      executor
        .selectFrom("admins")
        .selectAll()
        .where("tenant_id", "=", parentId)
        .orderBy("email")
        .execute(),
      executor
        .selectFrom("admin_tags as t")
        .innerJoin("admins as a", "a.id", "t.admin_id")
        .select(["t.admin_id", "t.tag"])
        .where("a.tenant_id", "=", parentId)
        .execute(),
      executor
        .selectFrom("admin_units as u")
        .innerJoin("accounts as a", "a.id", "u.account_id")
        .selectAll("u")
        .where("a.tenant_id", "=", parentId)
        .execute(),
      executor
        .selectFrom("admin_unit_admins as x")
        .innerJoin("accounts as a", "a.id", "x.account_id")
        .select(["x.unit_id", "x.admin_id"])
        .where("a.tenant_id", "=", parentId)
        .execute(),
      executor
        .selectFrom("admin_unit_groups as x")
        .innerJoin("accounts as a", "a.id", "x.account_id")
        .select(["x.unit_id", "x.group_id"])
        .where("a.tenant_id", "=", parentId)
        .execute(),
      executor
        .selectFrom("admin_unit_applications as x")
        .innerJoin("accounts as a", "a.id", "x.account_id")
        .select(["x.unit_id", "x.application_id"])
        .where("a.tenant_id", "=", parentId)
        .execute(),
    ]);
  const tagsByAccount = groupBy(
    subTags,
    (r) => r.account_id,
    (r) => r.tag,
  );
  const tagsByAdmin = groupBy(
    adminTags,
    (r) => r.admin_id,
    (r) => r.tag,
  );
  const adminsByUnit = groupBy(
    unitAdmins,
    (r) => r.unit_id,
    (r) => r.admin_id,
  );
  const groupsByUnit = groupBy(
    unitGroups,
    (r) => r.unit_id,
    (r) => r.group_id,
  );
  const appsByUnit = groupBy(
    unitApps,
    (r) => r.unit_id,
    (r) => r.application_id,
  );
  const facts = (row: (typeof accounts)[number]) => ({
    id: row.id,
    name: row.name,
    edition: row.edition,
    nfr: row.nfr,
    settings: {
      helpdesk_bypass: row.helpdesk_bypass,
      helpdesk_bypass_expiration: row.helpdesk_bypass_expiration,
      helpdesk_can_send_enroll_email: row.helpdesk_can_send_enroll_email,
      user_managers_can_put_users_in_bypass: row.user_managers_can_put_users_in_bypass,
    },
  });
  const parent = accounts.find((row) => row.id === parentId && row.parent_id === null);
  if (!parent) throw new Error(`${parentId} is not a parent account`);
  return {
    parent: facts(parent),
    subaccounts: accounts
      .filter((row) => row.parent_id !== null)
      .map((row) => ({ ...facts(row), tags: (tagsByAccount.get(row.id) ?? []).sort() })),
    admins: admins.map((row) => ({
      id: row.id,
      email: row.email,
      name: row.name,
      accountId: row.account_id,
      role: row.role,
      subaccountRole: row.subaccount_role,
      status: row.status,
      tags: (tagsByAdmin.get(row.id) ?? []).sort(),
      restricted: row.restricted_by_units,
      directorySynced: row.directory_synced,
    })),
    units: units.map((row) => ({
      id: row.id,
      accountId: row.account_id,
      name: row.name,
      allApplications: row.all_applications,
      allGroups: row.all_groups,
      adminIds: adminsByUnit.get(row.id) ?? [],
      groupIds: groupsByUnit.get(row.id) ?? [],
      applicationIds: appsByUnit.get(row.id) ?? [],
    })),
  };
}
