import type { UseCaseContext } from "../context.js";
import { scopedGroupIds, scopeOf } from "../groups/unit-scope.js";
import { containsPattern, decodeCursor, type Page, toPage } from "../paging.js";
import { mayViewDetails, toUserViews, USER_COLUMNS, type UserView, visibleUser } from "./view.js";

export interface UserQuery {
  /** Part of the username, full name or email, case-insensitive. */
  search?: string;
  limit: number;
  after?: string;
}

/**
 * The Users page: the account's users by username, page by page (keyset on username, id). A
 * restricted admin sees only members of their units' groups, filtered in SQL, so out-of-scope
 * users are not listed, counted or found by a search (R-UNIT-8a); nothing of another account
 * (R-TEN-2).
 */
export async function listUsers(ctx: UseCaseContext, query: UserQuery): Promise<Page<UserView>> {
  ctx.authorize("users:view");
  const after = decodeCursor("after", query.after);
  const inScope = scopedGroupIds(scopeOf(ctx));
  if (inScope?.length === 0) return { items: [], next: null };
  let rows = ctx.tx
    .selectFrom("users as u")
    .select(USER_COLUMNS)
    .where("u.account_id", "=", ctx.accountId);
  if (inScope !== undefined) {
    // R-UNIT-8a
    rows = rows.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("group_members as gm")
          .select("gm.user_id")
          .whereRef("gm.user_id", "=", "u.id")
          .where("gm.group_id", "in", inScope),
      ),
    );
  }
  if (query.search) {
    const pattern = containsPattern(query.search);
    // R-ROLE-3: whoever may not see emails may not search by them either.
    const byEmail = mayViewDetails(ctx);
    rows = rows.where((eb) =>
      eb.or([
        eb("u.username", "ilike", pattern),
        eb("u.real_name", "ilike", pattern),
        ...(byEmail ? [eb("u.email", "ilike", pattern)] : []),
      ]),
    );
  }
  if (after)
    rows = rows.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("u.username", "u.id"), ">", tuple(after.key, after.id)),
    );
  const found = await rows
    .orderBy("u.username")
    .orderBy("u.id")
    .limit(query.limit + 1)
    .execute();
  const page = toPage(found, query.limit, (row) => ({ key: row.username, id: row.id }));
  return { items: await toUserViews(ctx, page.items), next: page.next };
}

/** One user; one outside the caller's units or in another account is "not found" (R-UNIT-8a, R-TEN-2). */
export async function getUser(ctx: UseCaseContext, id: string): Promise<UserView> {
  const { row } = await visibleUser(ctx, id);
  const [view] = await toUserViews(ctx, [row]);
  if (!view) throw new Error("a user read in this transaction has a view");
  return view;
}
