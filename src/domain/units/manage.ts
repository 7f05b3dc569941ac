import { newId } from "../../db/ids.js";
import { changedFields } from "../audit.js";
import type { UseCaseContext } from "../context.js";
import {
  assertApplicationsFree,
  idsInAccount,
  parseDescription,
  resolveScope,
  unusedUnitName,
} from "./fields.js";
import {
  authorizeMembership,
  difference,
  writeAdmins,
  writeApplications,
  writeGroups,
} from "./membership.js";
import { findUnit, stateOf, type UnitState, type UnitView } from "./view.js";

/** R-UNIT-2: what a unit is made of. On create, absent fields take the defaults; on edit, they stay. */
export interface UnitInput {
  name?: string;
  description?: string;
  /** "All users": every group of the account. */
  all_groups?: boolean;
  /** "All applications". */
  all_applications?: boolean;
  group_ids?: string[];
  application_ids?: string[];
  admin_ids?: string[];
}

const NEW_UNIT: UnitState = {
  name: "",
  description: "",
  all_groups: true,
  all_applications: true,
  group_ids: [],
  application_ids: [],
  admin_ids: [],
};

/**
 * The unit as it will be saved: fields validated, ids checked to be the account's own (R-TEN-2),
 * applications free of other units (R-UNIT-3). Nothing is written here.
 */
async function resolve(
  ctx: UseCaseContext,
  input: UnitInput,
  before: UnitState,
  self?: string,
): Promise<UnitState> {
  const name = input.name === undefined ? before.name : await unusedUnitName(ctx, input.name, self);
  const description =
    input.description === undefined
      ? before.description
      : parseDescription("description", input.description);
  const groups = resolveScope(
    "all_groups",
    "group_ids",
    { all: input.all_groups, ids: input.group_ids },
    { all: before.all_groups, ids: before.group_ids },
  );
  const applications = resolveScope(
    "all_applications",
    "application_ids",
    { all: input.all_applications, ids: input.application_ids },
    { all: before.all_applications, ids: before.application_ids },
  );
  const state: UnitState = {
    name,
    description,
    all_groups: groups.all,
    all_applications: applications.all,
    group_ids: await idsInAccount(ctx, "groups", "group_ids", groups.ids),
    application_ids: await idsInAccount(ctx, "applications", "application_ids", applications.ids),
    admin_ids:
      input.admin_ids === undefined
        ? before.admin_ids
        : await idsInAccount(ctx, "admins", "admin_ids", input.admin_ids),
  };
  await assertApplicationsFree(ctx, state.application_ids, self);
  return state;
}

/** R-UNIT-1, R-UNIT-2, R-UNIT-4: Add Unit; admins put in it become restricted to it. */
export async function createUnit(ctx: UseCaseContext, input: UnitInput): Promise<UnitView> {
  ctx.authorize("units:manage");
  const id = newId("unit");
  const state = await resolve(ctx, { ...input, name: input.name ?? "" }, NEW_UNIT);
  const admins = difference([], state.admin_ids);
  authorizeMembership(ctx, id, admins);

  await ctx.tx
    .insertInto("admin_units")
    .values({
      id,
      account_id: ctx.accountId,
      name: state.name,
      description: state.description,
      all_groups: state.all_groups,
      all_applications: state.all_applications,
    })
    .execute();
  await writeGroups(ctx, id, difference([], state.group_ids));
  await writeApplications(ctx, id, difference([], state.application_ids));
  const restricted = await writeAdmins(ctx, id, admins);
  await ctx.audit({
    action: "admin_unit_create",
    object: { kind: "admin_unit", id, name: state.name },
    after: { ...state, ...(restricted.length > 0 ? { restricted_admin_ids: restricted } : {}) },
  });
  return findUnit(ctx, id);
}

/** R-UNIT-1, R-UNIT-2, R-UNIT-4, R-UNIT-5: Edit Unit; a given set replaces the saved one. */
export async function updateUnit(
  ctx: UseCaseContext,
  id: string,
  input: UnitInput,
): Promise<UnitView> {
  ctx.authorize("units:manage");
  const before = stateOf(await findUnit(ctx, id));
  const after = await resolve(ctx, input, before, id);
  const admins = difference(before.admin_ids, after.admin_ids);
  authorizeMembership(ctx, id, admins);

  const fields = {
    name: after.name,
    description: after.description,
    all_groups: after.all_groups,
    all_applications: after.all_applications,
  };
  await ctx.tx.updateTable("admin_units").set(fields).where("id", "=", id).execute();
  // Against the rows as saved (a set "all" now replaces is removed), so they say what the unit manages.
  await writeGroups(ctx, id, difference(await linked(ctx, "groups", id), after.group_ids));
  await writeApplications(
    ctx,
    id,
    difference(await linked(ctx, "applications", id), after.application_ids),
  );
  const restricted = await writeAdmins(ctx, id, admins);
  await ctx.audit({
    action: "admin_unit_update",
    object: { kind: "admin_unit", id, name: after.name },
    before: changedFields(before, after),
    after: {
      ...changedFields(after, before),
      ...(restricted.length > 0 ? { restricted_admin_ids: restricted } : {}),
    },
  });
  return findUnit(ctx, id);
}

/**
 * R-UNIT-5: deleting a unit removes the rights it gave. Its admins stay restricted and keep what
 * their other units give; one left in no unit can open nothing but their own profile.
 */
export async function deleteUnit(ctx: UseCaseContext, id: string): Promise<void> {
  ctx.authorize("units:manage");
  const current = await findUnit(ctx, id);
  authorizeMembership(ctx, id, { added: [], removed: current.admin_ids });
  await ctx.tx
    .deleteFrom("admin_units")
    .where("id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .execute();
  const left = current.admin_ids.filter(
    (adminId) => (ctx.snapshot.admins.get(adminId)?.units.length ?? 0) <= 1,
  );
  await ctx.audit({
    action: "admin_unit_delete",
    object: { kind: "admin_unit", id, name: current.name },
    before: stateOf(current),
    after: { admin_ids_in_no_unit: left },
  });
}

/** The ids linked to a unit in the database, whatever its flag says. */
async function linked(
  ctx: UseCaseContext,
  kind: "groups" | "applications",
  unitId: string,
): Promise<string[]> {
  const rows =
    kind === "groups"
      ? await ctx.tx
          .selectFrom("admin_unit_groups")
          .select("group_id as id")
          .where("unit_id", "=", unitId)
          .execute()
      : await ctx.tx
          .selectFrom("admin_unit_applications")
          .select("application_id as id")
          .where("unit_id", "=", unitId)
          .execute();
  return rows.map((row) => row.id);
}
