import { sql } from "kysely";
import { newId } from "../../db/ids.js";
import type { UseCaseContext } from "../context.js";
import { Conflict, Invalid } from "../errors.js";
import { parseName } from "../validate.js";
import { type GroupStatus, type GroupView, getGroup } from "./list.js";
import { unitsOfRestrictedCaller } from "./unit-scope.js";

export interface NewGroup {
  name: string;
  description?: string;
  status?: GroupStatus;
}

export type GroupChange = Partial<NewGroup>;

function parseDescription(value: string): string {
  const description = value.trim();
  if (description.length > 500) throw new Invalid("description", "must be at most 500 characters");
  return description;
}

/** Group names are unique in an account, case-insensitively (writers of a tenant are serialised). */
async function assertNameFree(ctx: UseCaseContext, name: string, exceptId?: string) {
  let query = ctx.tx
    .selectFrom("groups")
    .select("id")
    .where("account_id", "=", ctx.accountId)
    .where(sql<string>`lower(name)`, "=", name.toLowerCase());
  if (exceptId !== undefined) query = query.where("id", "<>", exceptId);
  if (await query.executeTakeFirst())
    throw new Conflict(`a group named ${name} already exists`, undefined, "name");
}

/**
 * Add Group. R-UNIT-6: a group created by a restricted admin joins all of that admin's units, so it
 * stays in their scope (the unit rows change the tenant's authz version in this transaction).
 */
export async function createGroup(ctx: UseCaseContext, input: NewGroup): Promise<GroupView> {
  ctx.authorize("groups:create", { object: { kind: "group" } });
  const row = {
    id: newId("group"),
    account_id: ctx.accountId,
    name: parseName("name", input.name),
    description: parseDescription(input.description ?? ""),
    status: input.status ?? "active",
  };
  await assertNameFree(ctx, row.name);
  const { created_at } = await ctx.tx
    .insertInto("groups")
    .values(row)
    .returning("created_at")
    .executeTakeFirstOrThrow();
  const units = unitsOfRestrictedCaller(ctx);
  if (units.length > 0)
    await ctx.tx
      .insertInto("admin_unit_groups")
      .values(
        units.map((unit) => ({ unit_id: unit.id, group_id: row.id, account_id: ctx.accountId })),
      )
      .execute();
  await ctx.audit({
    action: "group_create",
    object: { kind: "group", id: row.id, name: row.name },
    after: {
      name: row.name,
      description: row.description,
      status: row.status,
      ...(units.length > 0 ? { unit_ids: units.map((unit) => unit.id) } : {}),
    },
  });
  // Built here, not read back: the snapshot of this transaction predates the new unit rows.
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    member_count: 0,
    created_at: created_at.toISOString(),
  };
}

/** Edit Group: name, description, status; in the caller's units (R-UNIT-8b). */
export async function updateGroup(
  ctx: UseCaseContext,
  id: string,
  change: GroupChange,
): Promise<GroupView> {
  const before = await getGroup(ctx, id);
  ctx.authorize("groups:update", { object: { kind: "group", id } });
  const set: { name?: string; description?: string; status?: GroupStatus } = {};
  if (change.name !== undefined) {
    const name = parseName("name", change.name);
    if (name !== before.name) {
      if (name.toLowerCase() !== before.name.toLowerCase()) await assertNameFree(ctx, name, id);
      set.name = name;
    }
  }
  if (change.description !== undefined) {
    const description = parseDescription(change.description);
    if (description !== before.description) set.description = description;
  }
  if (change.status !== undefined && change.status !== before.status) set.status = change.status;
  const fields = Object.keys(set) as (keyof typeof set)[];
  if (fields.length > 0)
    await ctx.tx
      .updateTable("groups")
      .set(set)
      .where("id", "=", id)
      .where("account_id", "=", ctx.accountId)
      .execute();
  // One record per successful edit, even one that changed nothing (empty before and after).
  await ctx.audit({
    action: "group_update",
    object: { kind: "group", id, name: set.name ?? before.name },
    before: Object.fromEntries(fields.map((field) => [field, before[field]])),
    after: set,
  });
  return { ...before, ...set };
}

/** Delete Group: its memberships and unit assignments go with it; in the caller's units (R-UNIT-6, R-UNIT-8b). */
export async function deleteGroup(ctx: UseCaseContext, id: string): Promise<void> {
  const before = await getGroup(ctx, id);
  ctx.authorize("groups:delete", { object: { kind: "group", id } });
  await ctx.tx
    .deleteFrom("groups")
    .where("id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .execute();
  await ctx.audit({
    action: "group_delete",
    object: { kind: "group", id, name: before.name },
    before: {
      name: before.name,
      description: before.description,
      status: before.status,
      member_count: before.member_count,
    },
  });
}
