import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";
import { adminObject, findAdmin, stateOf } from "./view.js";

/**
 * Delete Administrator: the engine decides (R-ROLE-5: Owners only; R-ROLE-6: not oneself; R-ROLE-9:
 * never the last active Owner). Their sessions, activation links, tags and unit memberships go with
 * them; the log keeps who they were.
 */
export async function deleteAdmin(ctx: UseCaseContext, id: string): Promise<void> {
  ctx.authorize("admins:delete");
  const before = await findAdmin(ctx, id);
  ctx.authorize("admins:delete", { object: { kind: "admin", id } });
  const deleted = await ctx.tx
    .deleteFrom("admins")
    .where("id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .executeTakeFirst();
  if (deleted.numDeletedRows === 0n) throw new NotFound("administrator", id);
  await ctx.audit({
    action: "admin_delete",
    object: adminObject(before),
    before: { email: before.email, ...stateOf(before), is_temporary: before.is_temporary },
  });
}
