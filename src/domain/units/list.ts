import type { UseCaseContext } from "../context.js";
import { containsPattern, decodeCursor, type Page, toPage } from "../paging.js";
import { findUnit, selectUnits, type UnitView, unitViews } from "./view.js";

export interface UnitQuery {
  /** Part of the name, case-insensitive. */
  search?: string;
  limit: number;
  after?: string;
}

/**
 * R-UNIT-1, R-UNIT-2: the account's administrative units with their scopes and admins. Listing them
 * is part of delegation, so it asks for the same Owner-only, paid-edition action as changing them
 * (R-PLAN-3).
 */
export async function listUnits(ctx: UseCaseContext, query: UnitQuery): Promise<Page<UnitView>> {
  ctx.authorize("units:manage");
  const after = decodeCursor("after", query.after);
  let rows = selectUnits(ctx);
  if (query.search) rows = rows.where("name", "ilike", containsPattern(query.search));
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
