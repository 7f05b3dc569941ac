import type { UseCaseContext } from "../context.js";
import { adminObject, findAdmin } from "./view.js";

/**
 * R-ADM-4: forgets an admin's failed sign-ins and ends a lockout now, rather than when it would
 * have ended (Duo's POST /admin/v1/admins/{id}/reset). The engine decides who may (R-ROLE-5).
 */
export async function resetAdmin(ctx: UseCaseContext, id: string): Promise<void> {
  ctx.authorize("admins:update");
  const admin = await findAdmin(ctx, id);
  ctx.authorize("admins:update", { object: { kind: "admin", id } });
  const before = await ctx.tx
    .selectFrom("admins")
    .select(["failed_sign_ins", "locked_until"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  await ctx.tx
    .updateTable("admins")
    .set({ failed_sign_ins: 0, locked_until: null, updated_at: new Date() })
    .where("id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .execute();
  await ctx.audit({
    action: "admin_reset",
    object: adminObject(admin),
    before: {
      failed_sign_ins: before.failed_sign_ins,
      locked_until: before.locked_until ? new Date(before.locked_until).toISOString() : null,
    },
    after: { failed_sign_ins: 0, locked_until: null },
  });
}
