import type { UseCaseContext } from "../context.js";
import { visibleUser } from "./view.js";

/**
 * Delete User: Help Desk may not (R-ROLE-3); a restricted admin only a user of their units
 * (R-UNIT-6, R-UNIT-8a). Memberships go with the user.
 */
export async function deleteUser(ctx: UseCaseContext, id: string): Promise<void> {
  const { row, object } = await visibleUser(ctx, id);
  ctx.authorize("users:delete", { object });
  await ctx.tx
    .deleteFrom("users")
    .where("id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .execute();
  await ctx.audit({
    action: "user_delete",
    object: { kind: "user", id, name: row.username },
    before: {
      username: row.username,
      aliases: row.aliases,
      real_name: row.real_name,
      email: row.email,
      status: row.status,
      group_ids: object.groupIds,
    },
  });
}
