import type { Updateable } from "kysely";
import type { AdminChange, AdminStatus, Role } from "../../authz/index.js";
import type { AdminsTable } from "../../db/schema.js";
import { parseTags, replaceAdminTags } from "../accounts/tags.js";
import { changedFields } from "../audit.js";
import type { UseCaseContext } from "../context.js";
import { Conflict, Invalid } from "../errors.js";
import { parseName } from "../validate.js";
import {
  parsePhone,
  parseUnitIds,
  refuseDelegationInSubaccount,
  refuseUnknownTags,
} from "./fields.js";
import { replaceAdminUnits } from "./units.js";
import { type AdminView, adminObject, findAdmin, stateOf } from "./view.js";

/** R-ADM-1: the panel sets only these; Expired and Pending Activation are reached otherwise. */
export type SettableAdminStatus = "Active" | "Disabled";

export interface AdminChangeInput {
  name?: string;
  phone?: string | null;
  role?: Role;
  subaccount_role?: Role;
  tags?: string[];
  unit_ids?: string[];
  /** false: "Allow access to all groups and applications" (out of every unit, R-UNIT-5). */
  restricted?: boolean;
  status?: SettableAdminStatus;
}

/**
 * Edit Administrator. The proposed change goes to the engine as facts (R-ROLE-5, R-ROLE-6,
 * R-ROLE-8, R-ROLE-9, R-SUB-2, R-SUB-4, R-UNIT-8h, R-PLAN-1) before anything is written; only
 * fields that actually change count as changes. One log record, with the changed fields before
 * and after.
 */
export async function updateAdmin(
  ctx: UseCaseContext,
  id: string,
  input: AdminChangeInput,
): Promise<AdminView> {
  ctx.authorize("admins:update");
  const before = await findAdmin(ctx, id);
  const isParentLevel = before.subaccount_role !== null;
  refuseDelegationInSubaccount(isParentLevel, input);
  const set: Updateable<AdminsTable> = {};
  const change: AdminChange = {};

  if (input.name !== undefined) {
    const name = parseName("name", input.name);
    if (name !== before.name) set.name = name;
  }
  if (input.phone !== undefined) {
    const phone = parsePhone("phone", input.phone);
    if (phone !== before.phone) set.phone = phone;
  }
  if (input.role !== undefined && input.role !== before.role) change.role = input.role;
  const subaccountRole = nextSubaccountRole(before, input, change.role);
  if (subaccountRole !== undefined) change.subaccountRole = subaccountRole;
  if (input.tags !== undefined) {
    const tags = parseTags("tags", input.tags);
    if (!same(tags, before.tags)) change.tags = tags;
  }
  const units = nextUnits(ctx, before, input);
  if (!same(units.unitIds, before.unit_ids)) change.unitIds = units.unitIds;
  if (units.restricted !== before.restricted_by_units) change.restricted = units.restricted;
  if (input.status !== undefined && input.status !== before.status)
    change.status = await nextStatus(ctx, before, input.status);

  const target = { object: { kind: "admin" as const, id }, adminChange: change };
  ctx.authorize("admins:update", target);
  if (change.subaccountRole !== undefined) ctx.authorize("subaccount_roles:edit", target);
  if (change.tags !== undefined) {
    ctx.authorize("tags:manage");
    await refuseUnknownTags(ctx, change.tags, before.tags);
  }

  if (change.role !== undefined) {
    set.role = change.role;
    // R-ROLE-8: upgrading a directory-synced admin to Owner ends sync's management of them.
    if (change.role === "Owner" && before.directory_synced) set.directory_synced = false;
  }
  if (change.subaccountRole !== undefined) set.subaccount_role = change.subaccountRole;
  if (change.restricted !== undefined) set.restricted_by_units = change.restricted;
  if (change.status !== undefined) {
    set.status = change.status;
    if (before.status === "Expired") set.status_before_expiry = null;
  }
  const writeAdmin = async () => {
    if (Object.keys(set).length === 0) return;
    await ctx.tx
      .updateTable("admins")
      .set({ ...set, updated_at: new Date() })
      .where("id", "=", id)
      .where("account_id", "=", ctx.accountId)
      .execute();
  };
  if (change.unitIds !== undefined || change.restricted !== undefined)
    await replaceAdminUnits(ctx, id, units.unitIds, writeAdmin);
  else await writeAdmin();
  if (change.tags !== undefined) await replaceAdminTags(ctx.tx, id, change.tags);

  const after = await findAdmin(ctx, id);
  // One record per successful edit, even one that changed nothing (empty before and after).
  await ctx.audit({
    action: "admin_update",
    object: adminObject(after),
    before: changedFields(stateOf(before), stateOf(after)),
    after: changedFields(stateOf(after), stateOf(before)),
  });
  return after;
}

/**
 * The subaccount role after the edit, when it changes (parent-level admins only, R-SUB-1). Given, it
 * is proposed as is (the engine refuses a non-Owner one for an Owner, R-SUB-2). Not given, it
 * follows the role where the role decided it: Owner for a new Owner (R-SUB-2), and the new role for
 * a former Owner, whose subaccount role was R-SUB-2's and not a choice (R-SUB-3's default).
 */
function nextSubaccountRole(
  before: AdminView,
  input: AdminChangeInput,
  role: Role | undefined,
): Role | undefined {
  if (before.subaccount_role === null) return undefined;
  if (input.subaccount_role !== undefined)
    return input.subaccount_role !== before.subaccount_role || role !== undefined
      ? input.subaccount_role
      : undefined;
  if (role === "Owner" && before.subaccount_role !== "Owner") return "Owner";
  if (role !== undefined && before.role === "Owner") return role;
  return undefined;
}

/**
 * R-UNIT-4, R-UNIT-5: `restricted: false` takes the admin out of every unit; units given make the
 * admin restricted; an admin whose units are all removed stays restricted, with nothing to manage.
 */
function nextUnits(
  ctx: UseCaseContext,
  before: AdminView,
  input: AdminChangeInput,
): { restricted: boolean; unitIds: string[] } {
  if (input.restricted === false) {
    if (input.unit_ids !== undefined && input.unit_ids.length > 0)
      throw new Invalid(
        "unit_ids",
        "an administrator with access to all groups and applications is in no unit",
      );
    return { restricted: false, unitIds: [] };
  }
  const unitIds =
    input.unit_ids === undefined ? before.unit_ids : parseUnitIds(ctx, input.unit_ids);
  const restricted = input.restricted === true || unitIds.length > 0 || before.restricted_by_units;
  return { restricted, unitIds };
}

/**
 * R-ADM-1: the panel disables and re-enables. An Expired admin comes back through Clear Inactivity
 * and a pending one through activation (R-ADM-2); re-enabling an admin who never activated makes
 * them Pending Activation again, since they have nothing to sign in with.
 */
async function nextStatus(
  ctx: UseCaseContext,
  before: AdminView,
  status: SettableAdminStatus,
): Promise<AdminStatus> {
  if (status === "Disabled") return status;
  if (before.status === "Expired")
    throw new Conflict(
      `${before.email} is Expired; clear their inactivity to let them sign in again`,
      "R-ADM-1",
      "status",
    );
  if (before.status === "Pending Activation")
    throw new Conflict(
      `${before.email} has not activated yet; they become Active by activating (R-ADM-2)`,
      "R-ADM-1",
      "status",
    );
  const row = await ctx.tx
    .selectFrom("admins")
    .select("password_hash")
    .where("id", "=", before.id)
    .executeTakeFirstOrThrow();
  return row.password_hash === null ? "Pending Activation" : "Active";
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
