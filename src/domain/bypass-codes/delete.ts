import type { UseCaseContext } from "../context.js";
import { visibleUser } from "../users/view.js";
import { visibleBypassCode } from "./view.js";

/**
 * Delete one bypass code (of `userId`, when given): R-ROLE-2 "Manage 2FA devices and bypass codes",
 * for a user the caller may see (R-UNIT-8a, R-UNIT-8f). One audit record, without the code.
 */
export async function deleteBypassCode(
  ctx: UseCaseContext,
  id: string,
  userId?: string,
): Promise<void> {
  const { row, user } = await visibleBypassCode(ctx, id, userId);
  ctx.authorize("bypass_codes:delete", { object: user.object });
  await ctx.tx
    .deleteFrom("bypass_codes")
    .where("id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .execute();
  await ctx.audit({
    action: "bypass_delete",
    object: { kind: "user", id: row.user_id, name: row.username },
    before: {
      bypass_code_ids: [id],
      expires_at: row.expires_at?.toISOString() ?? null,
      reuse_count: row.reuse_count,
    },
  });
}

/** Delete every bypass code of a user; one audit record naming the codes removed. */
export async function deleteUserBypassCodes(ctx: UseCaseContext, userId: string): Promise<number> {
  const { row, object } = await visibleUser(ctx, userId);
  ctx.authorize("bypass_codes:delete", { object });
  const removed = await ctx.tx
    .deleteFrom("bypass_codes")
    .where("user_id", "=", userId)
    .where("account_id", "=", ctx.accountId)
    .returning("id")
    .execute();
  await ctx.audit({
    action: "bypass_delete",
    object: { kind: "user", id: userId, name: row.username },
    before: { bypass_code_ids: removed.map((code) => code.id) },
  });
  return removed.length;
}
