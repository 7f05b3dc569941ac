import type { AdminStatus } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { Conflict } from "../errors.js";
import { adminObject, findAdmin } from "./view.js";

/**
 * R-ADM-1: an Owner returns an Expired admin of the account the session acts in to the status it had
 * before it expired, and restarts the inactivity clock. The engine decides (R-ROLE-5: Owners only;
 * R-TEN-2: an admin of another account is not found here).
 */
export async function clearInactivity(
  ctx: UseCaseContext,
  id: string,
): Promise<{ status: AdminStatus }> {
  ctx.authorize("admins:update");
  const admin = await findAdmin(ctx, id);
  const row = await ctx.tx
    .selectFrom("admins")
    .select("status_before_expiry")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  const status = row.status_before_expiry ?? "Active";
  ctx.authorize("admins:update", {
    object: { kind: "admin", id },
    adminChange: { status },
  });
  if (admin.status !== "Expired")
    throw new Conflict(`${admin.email} is ${admin.status}, not Expired`, "R-ADM-1", "status");
  await ctx.tx
    .updateTable("admins")
    .set({
      status,
      status_before_expiry: null,
      inactivity_cleared_at: new Date(),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .execute();
  await ctx.audit({
    action: "admin_clear_inactivity",
    object: adminObject(admin),
    before: { status: "Expired" },
    after: { status },
  });
  return { status };
}
