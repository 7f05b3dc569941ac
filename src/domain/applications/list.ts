import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";
import { authorizeVisible, scopedApplicationIds, scopeOf } from "../groups/unit-scope.js";
import { containsPattern, decodeCursor, type Page, toPage } from "../paging.js";

/** An application (Duo "integration"; its id is the integration key). Never its secret key. */
export interface ApplicationView {
  id: string;
  type: string;
  name: string;
  notes: string;
  greeting: string;
  created_at: string;
}

export interface ApplicationQuery {
  /** Part of the name, case-insensitive. */
  search?: string;
  type?: string;
  limit: number;
  after?: string;
}

// The secret key column is never selected here: what leaves this module cannot carry it.
const COLUMNS = ["a.id", "a.type", "a.name", "a.notes", "a.greeting", "a.created_at"] as const;

function toView(row: {
  id: string;
  type: string;
  name: string;
  notes: string;
  greeting: string;
  created_at: Date;
}): ApplicationView {
  return { ...row, created_at: row.created_at.toISOString() };
}

/**
 * The Applications page, by name, page by page (keyset on name, id). A restricted admin sees only
 * the applications of their units, filtered in SQL (R-UNIT-8c); nothing of another account (R-TEN-2).
 */
export async function listApplications(
  ctx: UseCaseContext,
  query: ApplicationQuery,
): Promise<Page<ApplicationView>> {
  ctx.authorize("applications:view");
  const after = decodeCursor("after", query.after);
  const inScope = scopedApplicationIds(scopeOf(ctx));
  if (inScope?.length === 0) return { items: [], next: null };
  let rows = ctx.tx
    .selectFrom("applications as a")
    .select(COLUMNS)
    .where("a.account_id", "=", ctx.accountId);
  if (inScope !== undefined) rows = rows.where("a.id", "in", inScope);
  if (query.search) rows = rows.where("a.name", "ilike", containsPattern(query.search));
  if (query.type !== undefined) rows = rows.where("a.type", "=", query.type);
  if (after)
    rows = rows.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("a.name", "a.id"), ">", tuple(after.key, after.id)),
    );
  const found = await rows
    .orderBy("a.name")
    .orderBy("a.id")
    .limit(query.limit + 1)
    .execute();
  const page = toPage(found, query.limit, (row) => ({ key: row.name, id: row.id }));
  return { items: page.items.map(toView), next: page.next };
}

/** One application; one outside the caller's units or in another account is "not found" (R-UNIT-8c, R-TEN-2). */
export async function getApplication(ctx: UseCaseContext, id: string): Promise<ApplicationView> {
  const row = await ctx.tx
    .selectFrom("applications as a")
    .select(COLUMNS)
    .where("a.id", "=", id)
    .where("a.account_id", "=", ctx.accountId)
    .executeTakeFirst();
  if (!row) throw new NotFound("application", id);
  authorizeVisible(
    ctx,
    "applications:view",
    { object: { kind: "application", id, type: row.type } },
    { kind: "application", id },
  );
  return toView(row);
}
