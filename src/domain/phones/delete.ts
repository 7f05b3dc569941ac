import type { UseCaseContext } from "../context.js";
import { ownersOf } from "../devices/links.js";
import { visiblePhone } from "./view.js";

/**
 * Delete a phone (phones:delete), one the caller may see (R-UNIT-8f); its links to users go with
 * it. One audit record naming what it was and whose.
 */
export async function deletePhone(ctx: UseCaseContext, id: string): Promise<void> {
  const { row } = await visiblePhone(ctx, id, "phones:delete");
  const users = await ownersOf(ctx, "phone", [id]).select("l.user_id").execute();
  await ctx.tx
    .deleteFrom("phones")
    .where("id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .execute();
  await ctx.audit({
    action: "phone_delete",
    object: { kind: "phone", id, name: row.number || row.name || id },
    before: {
      number: row.number,
      extension: row.extension,
      name: row.name,
      type: row.type,
      platform: row.platform,
      user_ids: users.map((user) => user.user_id),
    },
  });
}
