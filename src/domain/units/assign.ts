import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";
import { updateUnit } from "./manage.js";
import { findUnit, type UnitView } from "./view.js";

/** What can be put in a unit one at a time (Duo's POST/DELETE .../{unit}/admin|group|integration/{id}). */
export type UnitMember = "admin" | "group" | "application";

const MEMBER = {
  admin: { table: "admins", field: "admin_ids", kind: "administrator" },
  group: { table: "groups", field: "group_ids", kind: "group" },
  application: { table: "applications", field: "application_ids", kind: "application" },
} as const;

/** The member, when it is the account's own; otherwise absent, like the unit (R-TEN-2, R-SUB-6). */
async function assertMemberExists(ctx: UseCaseContext, member: UnitMember, id: string) {
  const { table, kind } = MEMBER[member];
  const row = await ctx.tx
    .selectFrom(table)
    .select("id")
    .where("account_id", "=", ctx.accountId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw new NotFound(kind, id);
}

/**
 * Puts one admin, group or application in a unit, as Edit Unit would with that one added (the
 * engine decides each admin: R-UNIT-8h, R-ROLE-6; R-UNIT-3 for applications). A group or an
 * application given to a unit that managed all of them makes it manage the ones given (R-UNIT-2).
 * Already there: nothing changes, and the edit is still recorded.
 */
export async function assignToUnit(
  ctx: UseCaseContext,
  unitId: string,
  member: UnitMember,
  id: string,
): Promise<UnitView> {
  ctx.authorize("units:manage");
  const unit = await findUnit(ctx, unitId);
  await assertMemberExists(ctx, member, id);
  const { field } = MEMBER[member];
  const current = unit[field];
  return updateUnit(ctx, unitId, {
    [field]: current.includes(id) ? current : [...current, id],
  });
}

/** Takes one admin, group or application out of a unit (R-UNIT-5); one not in it is not found. */
export async function unassignFromUnit(
  ctx: UseCaseContext,
  unitId: string,
  member: UnitMember,
  id: string,
): Promise<UnitView> {
  ctx.authorize("units:manage");
  const unit = await findUnit(ctx, unitId);
  const { field, kind } = MEMBER[member];
  const current = unit[field];
  if (!current.includes(id))
    throw new NotFound(kind, id, `${kind} ${id} is not in unit ${unit.name}`);
  return updateUnit(ctx, unitId, { [field]: current.filter((item) => item !== id) });
}
