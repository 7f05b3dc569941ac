import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";

/** R-UNIT-2: a unit as the panel shows it. Id lists are sorted; "all" flags mean the set is not used. */
export interface UnitView {
  id: string;
  name: string;
  description: string;
  all_groups: boolean;
  all_applications: boolean;
  group_ids: string[];
  application_ids: string[];
  admin_ids: string[];
  /** What the unit manages (every group or application of the account where "all"), and its admins. */
  counts: { groups: number; applications: number; admins: number };
  created_at: string;
}

/** The fields the log records before and after a change. */
export type UnitState = Omit<UnitView, "id" | "counts" | "created_at">;

export interface UnitRow {
  id: string;
  name: string;
  description: string;
  all_groups: boolean;
  all_applications: boolean;
  created_at: Date;
}

const UNIT_COLUMNS = [
  "id",
  "name",
  "description",
  "all_groups",
  "all_applications",
  "created_at",
] as const;

/** The units of the account the use case acts in (R-SUB-6: a unit belongs to one account). */
export function selectUnits(ctx: UseCaseContext) {
  return ctx.tx
    .selectFrom("admin_units")
    .select([...UNIT_COLUMNS])
    .where("account_id", "=", ctx.accountId);
}

/** One unit of ctx.accountId, without authorization (callers have decided already); 404 otherwise. */
export async function findUnit(ctx: UseCaseContext, id: string): Promise<UnitView> {
  const row = await selectUnits(ctx).where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFound("unit", id);
  const [view] = await unitViews(ctx, [row]);
  if (!view) throw new NotFound("unit", id);
  return view;
}

/** Rows to views: the units' sets in three queries, and the account's totals for the "all" flags. */
export async function unitViews(ctx: UseCaseContext, rows: UnitRow[]): Promise<UnitView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [groups, applications, admins, totalGroups, totalApplications] = await Promise.all([
    ctx.tx
      .selectFrom("admin_unit_groups")
      .select(["unit_id", "group_id as id"])
      .where("unit_id", "in", ids)
      .orderBy("group_id")
      .execute(),
    ctx.tx
      .selectFrom("admin_unit_applications")
      .select(["unit_id", "application_id as id"])
      .where("unit_id", "in", ids)
      .orderBy("application_id")
      .execute(),
    ctx.tx
      .selectFrom("admin_unit_admins")
      .select(["unit_id", "admin_id as id"])
      .where("unit_id", "in", ids)
      .orderBy("admin_id")
      .execute(),
    countIn(ctx, "groups"),
    countIn(ctx, "applications"),
  ]);
  const byUnit = (links: { unit_id: string; id: string }[], unitId: string) =>
    links.filter((link) => link.unit_id === unitId).map((link) => link.id);
  return rows.map((row) => {
    const group_ids = row.all_groups ? [] : byUnit(groups, row.id);
    const application_ids = row.all_applications ? [] : byUnit(applications, row.id);
    const admin_ids = byUnit(admins, row.id);
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      all_groups: row.all_groups,
      all_applications: row.all_applications,
      group_ids,
      application_ids,
      admin_ids,
      counts: {
        groups: row.all_groups ? totalGroups : group_ids.length,
        applications: row.all_applications ? totalApplications : application_ids.length,
        admins: admin_ids.length,
      },
      created_at: row.created_at.toISOString(),
    };
  });
}

/** How many groups or applications the account has. */
export async function countIn(
  ctx: UseCaseContext,
  table: "groups" | "applications",
): Promise<number> {
  const row = await ctx.tx
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", ctx.accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function stateOf(view: UnitView): UnitState {
  return {
    name: view.name,
    description: view.description,
    all_groups: view.all_groups,
    all_applications: view.all_applications,
    group_ids: view.group_ids,
    application_ids: view.application_ids,
    admin_ids: view.admin_ids,
  };
}
