import type { UseCaseContext } from "../context.js";
import { scopedGroupIds, scopeOf } from "../groups/unit-scope.js";
import { type CountedPage, countRows } from "../paging.js";
import { visibleUser } from "../users/view.js";
import {
  BYPASS_CODE_COLUMNS,
  type BypassCodeView,
  bypassCodesOf,
  toBypassCodeView,
  visibleBypassCode,
} from "./view.js";

export interface BypassCodeQuery {
  /** Only this user's codes. */
  userId?: string;
  limit: number;
  offset: number;
}

/**
 * The bypass codes of one user, or of the account, oldest first, by offset with a total (the Duo
 * door pages so; research/duo-api.md §3). Never the codes themselves. Seeing bypass codes is a
 * detail Application Manager does not get (R-ROLE-3: users:view_details); a restricted admin sees
 * only codes of in-scope users, and a user outside their units is not found (R-UNIT-8a, R-UNIT-8f).
 */
export async function listBypassCodes(
  ctx: UseCaseContext,
  query: BypassCodeQuery,
): Promise<CountedPage<BypassCodeView>> {
  let rows = bypassCodesOf(ctx);
  if (query.userId !== undefined) {
    const { object } = await visibleUser(ctx, query.userId);
    ctx.authorize("users:view_details", { object });
    rows = rows.where("b.user_id", "=", query.userId);
  } else {
    ctx.authorize("users:view_details");
    const inScope = scopedGroupIds(scopeOf(ctx));
    if (inScope?.length === 0) return { items: [], next: null, total: 0 };
    if (inScope !== undefined)
      rows = rows.where(({ exists, selectFrom }) =>
        exists(
          selectFrom("group_members as gm")
            .select("gm.user_id")
            .whereRef("gm.user_id", "=", "b.user_id")
            .where("gm.group_id", "in", inScope),
        ),
      );
  }
  const total = await countRows(rows);
  const found = await rows
    .select(BYPASS_CODE_COLUMNS)
    .orderBy("b.created_at")
    .orderBy("b.id")
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return { items: found.map(toBypassCodeView), next: null, total };
}

/** One bypass code (not the code itself); one of a user outside the caller's units is not found. */
export async function getBypassCode(ctx: UseCaseContext, id: string): Promise<BypassCodeView> {
  const { row, user } = await visibleBypassCode(ctx, id);
  ctx.authorize("users:view_details", { object: user.object });
  return toBypassCodeView(row);
}
