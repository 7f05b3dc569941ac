import type { UseCaseContext } from "../context.js";
import { Invalid } from "../errors.js";
import { containsPattern, countRows, decodeCursor, type Page, toPage } from "../paging.js";
import { findUnit, selectUnits, type UnitView, unitViews } from "./view.js";

export interface UnitQuery {
  /** Part of the name, case-insensitive. */
  search?: string;
  limit: number;
  after?: string;
  /** Only the units this admin, group or application is in (research/duo-api.md §4.8: at most one). */
  admin_id?: string;
  group_id?: string;
  application_id?: string;
  /**
   * Offset paging, for the Duo door (§3: `limit`, `offset`, `total_objects`): given, the page starts
   * after that many units in the same order and carries the total.
   */
  offset?: number;
}

/** A page of units; `total` (every unit the query matches) with offset paging only. */
export interface UnitPage extends Page<UnitView> {
  total?: number;
}

/**
 * R-UNIT-1, R-UNIT-2: the account's administrative units with their scopes and admins. Listing them
 * is part of delegation, so it asks for the same Owner-only, paid-edition action as changing them
 * (R-PLAN-3).
 */
export async function listUnits(ctx: UseCaseContext, query: UnitQuery): Promise<UnitPage> {
  ctx.authorize("units:manage");
  const after = decodeCursor("after", query.after);
  let rows = selectUnits(ctx);
  if (query.search) rows = rows.where("name", "ilike", containsPattern(query.search));
  const filters = (["admin_id", "group_id", "application_id"] as const).filter(
    (field) => query[field] !== undefined,
  );
  if (filters.length > 1)
    throw new Invalid(filters[1] ?? "", `cannot be combined with ${filters[0]}`);
  const { admin_id: adminId, group_id: groupId, application_id: applicationId } = query;
  if (adminId !== undefined)
    rows = rows.where("id", "in", (eb) =>
      eb.selectFrom("admin_unit_admins").select("unit_id").where("admin_id", "=", adminId),
    );
  if (groupId !== undefined)
    rows = rows.where("id", "in", (eb) =>
      eb.selectFrom("admin_unit_groups").select("unit_id").where("group_id", "=", groupId),
    );
  if (applicationId !== undefined)
    rows = rows.where("id", "in", (eb) =>
      eb
        .selectFrom("admin_unit_applications")
        .select("unit_id")
        .where("application_id", "=", applicationId),
    );
  if (query.offset !== undefined) {
    if (after) throw new Invalid("offset", "cannot be combined with after");
    const total = await countRows(rows);
    const found = await rows
      .orderBy("name")
      .orderBy("id")
      .offset(query.offset)
      .limit(query.limit + 1)
      .execute();
    const page = toPage(found, query.limit, (row) => ({ key: row.name, id: row.id }));
    return {
      items: await unitViews(ctx, page.items),
      next: page.next,
      total,
    };
  }
  if (after)
    rows = rows.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("name", "id"), ">", tuple(after.key, after.id)),
    );
  const found = await rows
    .orderBy("name")
    .orderBy("id")
    .limit(query.limit + 1)
    .execute();
  const page = toPage(found, query.limit, (row) => ({ key: row.name, id: row.id }));
  return { items: await unitViews(ctx, page.items), next: page.next };
}

/** One unit of the account; a unit of another account is absent (R-TEN-2, R-SUB-6). */
export async function getUnit(ctx: UseCaseContext, id: string): Promise<UnitView> {
  ctx.authorize("units:manage");
  return findUnit(ctx, id);
}
