import type { Executor } from "../executor.js";
import { newId } from "../ids.js";
import type { NewAdmin } from "../schema.js";

export type InsertAdminValues = Omit<
  NewAdmin,
  "id" | "tenant_id" | "home_is_subaccount" | "subaccount_role"
> & {
  /** For a parent-level admin; defaults to the account role (R-SUB-3). Ignored in a subaccount (R-SUB-5). */
  subaccount_role?: NewAdmin["subaccount_role"];
};

/**
 * Inserts an admin, filling in what follows from its account: the tenant (R-TEN-6) and whether it
 * is a parent-level admin with a subaccount role (R-SUB-1, R-SUB-3, R-SUB-5). Returns the new id.
 */
export async function insertAdmin(executor: Executor, values: InsertAdminValues): Promise<string> {
  const account = await executor
    .selectFrom("accounts")
    .select(["tenant_id", "is_subaccount"])
    .where("id", "=", values.account_id)
    .executeTakeFirstOrThrow();
  const id = newId("admin");
  await executor
    .insertInto("admins")
    .values({
      ...values,
      id,
      tenant_id: account.tenant_id,
      home_is_subaccount: account.is_subaccount,
      subaccount_role: account.is_subaccount
        ? null
        : values.subaccount_role === undefined
          ? values.role
          : values.subaccount_role,
    })
    .execute();
  return id;
}
