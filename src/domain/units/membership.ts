import type { UseCaseContext } from "../context.js";

/** The units an admin is in now, as the snapshot of this transaction sees them. */
function currentUnits(ctx: UseCaseContext, adminId: string): string[] {
  return ctx.snapshot.admins.get(adminId)?.units.map((unit) => unit.facts.id) ?? [];
}

/**
 * Changing a unit's admins changes each of those admins' units, so the engine decides it as an
 * admin change, admin by admin: R-UNIT-8h (Owners cannot be restricted), R-ROLE-6 (no one changes
 * their own units), R-TEN-2 (only the account's own admins). An admin added becomes restricted
 * (R-UNIT-4); one removed keeps the rest of their units and stays restricted (R-UNIT-5).
 */
export function authorizeMembership(
  ctx: UseCaseContext,
  unitId: string,
  change: { added: readonly string[]; removed: readonly string[] },
): void {
  for (const adminId of change.added) {
    const others = currentUnits(ctx, adminId).filter((id) => id !== unitId);
    ctx.authorize("admins:update", {
      object: { kind: "admin", id: adminId },
      adminChange: { restricted: true, unitIds: [...others, unitId] },
    });
  }
  for (const adminId of change.removed) {
    ctx.authorize("admins:update", {
      object: { kind: "admin", id: adminId },
      adminChange: { unitIds: currentUnits(ctx, adminId).filter((id) => id !== unitId) },
    });
  }
}

/** The two sides of a replaced set. */
export function difference(before: readonly string[], after: readonly string[]) {
  return {
    added: after.filter((id) => !before.includes(id)),
    removed: before.filter((id) => !after.includes(id)),
  };
}

/**
 * R-UNIT-4: writes the unit's admins. Admins added who were global become restricted first (the
 * membership's foreign key holds only restricted admins). Returns the ids of those newly restricted.
 */
export async function writeAdmins(
  ctx: UseCaseContext,
  unitId: string,
  change: { added: readonly string[]; removed: readonly string[] },
): Promise<string[]> {
  let restricted: string[] = [];
  if (change.added.length > 0) {
    const rows = await ctx.tx
      .updateTable("admins")
      .set({ restricted_by_units: true })
      .where("account_id", "=", ctx.accountId)
      .where("id", "in", [...change.added])
      .where("restricted_by_units", "=", false)
      .returning("id")
      .execute();
    restricted = rows.map((row) => row.id).sort();
    await ctx.tx
      .insertInto("admin_unit_admins")
      .values(
        change.added.map((adminId) => ({
          unit_id: unitId,
          admin_id: adminId,
          account_id: ctx.accountId,
        })),
      )
      .execute();
  }
  if (change.removed.length > 0)
    await ctx.tx
      .deleteFrom("admin_unit_admins")
      .where("unit_id", "=", unitId)
      .where("admin_id", "in", [...change.removed])
      .execute();
  return restricted;
}

/** Replaces the unit's groups (R-UNIT-3: a group may be in many units). */
export async function writeGroups(
  ctx: UseCaseContext,
  unitId: string,
  change: { added: readonly string[]; removed: readonly string[] },
): Promise<void> {
  if (change.removed.length > 0)
    await ctx.tx
      .deleteFrom("admin_unit_groups")
      .where("unit_id", "=", unitId)
      .where("group_id", "in", [...change.removed])
      .execute();
  if (change.added.length > 0)
    await ctx.tx
      .insertInto("admin_unit_groups")
      .values(
        change.added.map((groupId) => ({
          unit_id: unitId,
          group_id: groupId,
          account_id: ctx.accountId,
        })),
      )
      .execute();
}

/** Replaces the unit's applications; the caller has checked R-UNIT-3 (the unique index backs it). */
export async function writeApplications(
  ctx: UseCaseContext,
  unitId: string,
  change: { added: readonly string[]; removed: readonly string[] },
): Promise<void> {
  if (change.removed.length > 0)
    await ctx.tx
      .deleteFrom("admin_unit_applications")
      .where("unit_id", "=", unitId)
      .where("application_id", "in", [...change.removed])
      .execute();
  if (change.added.length > 0)
    await ctx.tx
      .insertInto("admin_unit_applications")
      .values(
        change.added.map((applicationId) => ({
          unit_id: unitId,
          application_id: applicationId,
          account_id: ctx.accountId,
        })),
      )
      .execute();
}
