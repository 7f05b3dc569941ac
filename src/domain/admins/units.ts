import type { UseCaseContext } from "../context.js";

/**
 * R-UNIT-4, R-UNIT-5: replaces an admin's units. Memberships hold only restricted admins (their
 * foreign key says so), so the admin's flag is written between the two halves: old memberships go
 * first, `writeAdmin` then writes the admin row, and the new memberships follow.
 */
export async function replaceAdminUnits(
  ctx: UseCaseContext,
  adminId: string,
  unitIds: readonly string[],
  writeAdmin: () => Promise<void>,
): Promise<void> {
  await ctx.tx.deleteFrom("admin_unit_admins").where("admin_id", "=", adminId).execute();
  await writeAdmin();
  if (unitIds.length > 0)
    await ctx.tx
      .insertInto("admin_unit_admins")
      .values(
        unitIds.map((unitId) => ({
          unit_id: unitId,
          admin_id: adminId,
          account_id: ctx.accountId,
        })),
      )
      .execute();
}
