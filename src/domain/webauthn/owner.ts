import type { Executor } from "../../db/executor.js";
import type { Actor } from "../audit.js";
import type { ClientInfo } from "../auth/client.js";

/**
 * Whose a credential is (0010_webauthn.sql: exactly one of a user or an administrator) and in
 * which account it is kept: a user's own account, an administrator's home account.
 */
export type CredentialOwner =
  | { kind: "user"; userId: string; accountId: string }
  | { kind: "admin"; adminId: string; accountId: string };

/** Who makes a change to a credential, for its audit record (R-AUD-1). */
export interface ChangedBy {
  actor: Actor;
  client?: ClientInfo;
}

/** The owner's column and id, for a query to narrow by: `.where(column, "=", id)`. */
export function ownerKey(owner: CredentialOwner): { column: "user_id" | "admin_id"; id: string } {
  return owner.kind === "user"
    ? { column: "user_id", id: owner.userId }
    : { column: "admin_id", id: owner.adminId };
}

/** The owner as the audit record's before and after name them. */
export function ownerFields(owner: CredentialOwner) {
  return owner.kind === "user" ? { user_id: owner.userId } : { admin_id: owner.adminId };
}

/**
 * The audit record's object for a change to one of the owner's credentials: the user or the
 * administrator, as bypass codes and authenticator changes are logged. So a user's key records
 * stay with the user after the key is gone, and a restricted admin sees them exactly when the user
 * is in their units (R-UNIT-8g); the credential's webauthnkey is in the record's before and after.
 */
export async function auditObjectOf(
  executor: Executor,
  owner: CredentialOwner,
): Promise<{ kind: "user" | "admin"; id: string; name?: string }> {
  if (owner.kind === "user") {
    const user = await executor
      .selectFrom("users")
      .select("username")
      .where("id", "=", owner.userId)
      .executeTakeFirst();
    return { kind: "user", id: owner.userId, name: user?.username };
  }
  const admin = await executor
    .selectFrom("admins")
    .select("email")
    .where("id", "=", owner.adminId)
    .executeTakeFirst();
  return { kind: "admin", id: owner.adminId, name: admin?.email };
}
