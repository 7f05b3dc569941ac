import type { Executor } from "../executor.js";
import type { AccountSettings } from "../schema.js";

/** An account's settings; a trigger creates the row with every account (0002_admin_sign_in.sql). */
export function findAccountSettings(
  executor: Executor,
  accountId: string,
): Promise<AccountSettings> {
  return executor
    .selectFrom("account_settings")
    .selectAll()
    .where("account_id", "=", accountId)
    .executeTakeFirstOrThrow();
}
