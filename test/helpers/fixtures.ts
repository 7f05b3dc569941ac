import type { PolicySections } from "../../src/authn/policy-sections.js";
import type { ApiGrant } from "../../src/authz/index.js";
import type { Executor } from "../../src/db/executor.js";
import { newId, newSecretKey } from "../../src/db/ids.js";
import type { Edition, Role } from "../../src/db/schema.js";
import type { SecretBox } from "../../src/db/secrets.js";

/** Direct inserts for tests of the schema itself; use cases come through the domain layer instead. */
export async function insertAccount(
  db: Executor,
  values: { parentId?: string | null; name?: string; edition?: Edition; nfr?: boolean } = {},
): Promise<string> {
  const id = newId("account");
  await db
    .insertInto("accounts")
    .values({
      id,
      parent_id: values.parentId ?? null,
      name: values.name ?? `Account ${id.slice(-6)}`,
      edition: values.edition ?? "Premier",
      nfr: values.nfr ?? false,
    })
    .execute();
  return id;
}

/**
 * Sets sections of the account's global policy (R-POL-1) straight in the table, for tests of what
 * the policy decides; the policies API and its checks have tests of their own.
 */
export async function setGlobalPolicy(
  db: Executor,
  accountId: string,
  sections: PolicySections,
): Promise<void> {
  const row = await db
    .selectFrom("policies")
    .select(["id", "sections"])
    .where("account_id", "=", accountId)
    .where("is_global", "=", true)
    .executeTakeFirstOrThrow();
  await db
    .updateTable("policies")
    .set({ sections: JSON.stringify({ ...(row.sections as object), ...sections }) })
    .where("id", "=", row.id)
    .execute();
}

/**
 * A custom policy (R-POL-1) straight in the tables, applied to `applicationIds` and to `groups`
 * within applications (in that order of precedence among a user's groups); its key.
 */
export async function insertPolicy(
  db: Executor,
  accountId: string,
  policy: {
    name: string;
    sections: PolicySections;
    applicationIds?: string[];
    groups?: { applicationId: string; groupId: string }[];
  },
): Promise<string> {
  const id = newId("policy");
  await db
    .insertInto("policies")
    .values({
      id,
      account_id: accountId,
      name: policy.name,
      sections: JSON.stringify(policy.sections),
    })
    .execute();
  for (const applicationId of policy.applicationIds ?? [])
    await db
      .insertInto("application_policies")
      .values({ application_id: applicationId, account_id: accountId, policy_id: id })
      .execute();
  for (const [position, group] of (policy.groups ?? []).entries())
    await db
      .insertInto("group_policies")
      .values({
        application_id: group.applicationId,
        group_id: group.groupId,
        account_id: accountId,
        policy_id: id,
        position,
      })
      .execute();
  return id;
}

/** "Remember me" for `days` on this application only (the global policy's remembered devices); null: off. */
export function rememberDays(days: number | null): PolicySections {
  return {
    remembered_devices: {
      browser_apps: {
        enabled: days !== null,
        user_based: { max_time_value: days ?? 1, max_time_units: "days", confirm_per_app: true },
      },
    },
  };
}

/** A parent-level admin's subaccount role defaults to its role; pass null to try to break R-SUB-1. */
export async function insertAdmin(
  db: Executor,
  values: {
    accountId: string;
    email?: string;
    role?: Role;
    subaccountRole?: Role | null;
    restricted?: boolean;
  },
): Promise<string> {
  const account = await db
    .selectFrom("accounts")
    .select("is_subaccount")
    .where("id", "=", values.accountId)
    .executeTakeFirstOrThrow();
  const role = values.role ?? "Administrator";
  const defaultRole = account.is_subaccount ? null : role;
  const id = newId("admin");
  await db
    .insertInto("admins")
    .values({
      id,
      account_id: values.accountId,
      tenant_id: (
        await db
          .selectFrom("accounts")
          .select("tenant_id")
          .where("id", "=", values.accountId)
          .executeTakeFirstOrThrow()
      ).tenant_id,
      home_is_subaccount: account.is_subaccount,
      email: values.email ?? `${id.toLowerCase()}@example.com`,
      name: `Admin ${id.slice(-6)}`,
      phone: null,
      role,
      subaccount_role: values.subaccountRole === undefined ? defaultRole : values.subaccountRole,
      restricted_by_units: values.restricted ?? false,
      password_hash: null,
      totp_secret_enc: null,
    })
    .execute();
  return id;
}

export async function insertGroup(db: Executor, accountId: string, name?: string): Promise<string> {
  const id = newId("group");
  await db
    .insertInto("groups")
    .values({ id, account_id: accountId, name: name ?? `Group ${id.slice(-6)}` })
    .execute();
  return id;
}

/** A user of the account (email from the username), member of `groupIds`. */
export async function insertUser(
  db: Executor,
  accountId: string,
  user: { username: string; realName: string; groupIds: readonly string[] },
): Promise<string> {
  const id = newId("user");
  await db
    .insertInto("users")
    .values({
      id,
      account_id: accountId,
      username: user.username,
      real_name: user.realName,
      email: `${user.username}@example.com`,
    })
    .execute();
  for (const groupId of user.groupIds)
    await db
      .insertInto("group_members")
      .values({ group_id: groupId, user_id: id, account_id: accountId })
      .execute();
  return id;
}

export async function insertApplication(
  db: Executor,
  secrets: SecretBox,
  values: { accountId: string; type?: string; secretKey?: string; grants?: ApiGrant[] },
): Promise<string> {
  const account = await db
    .selectFrom("accounts")
    .select("is_subaccount")
    .where("id", "=", values.accountId)
    .executeTakeFirstOrThrow();
  const id = newId("integration");
  await db
    .insertInto("applications")
    .values({
      id,
      account_id: values.accountId,
      account_is_subaccount: account.is_subaccount,
      type: values.type ?? "websdk",
      name: `App ${id.slice(-6)}`,
      secret_key_enc: secrets.seal(values.secretKey ?? newSecretKey(), id),
      grants: values.grants ?? [],
    })
    .execute();
  return id;
}

export async function insertUnit(db: Executor, accountId: string): Promise<string> {
  const id = newId("unit");
  await db
    .insertInto("admin_units")
    .values({ id, account_id: accountId, name: `Unit ${id.slice(-6)}` })
    .execute();
  return id;
}
