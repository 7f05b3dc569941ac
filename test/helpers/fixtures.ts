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
