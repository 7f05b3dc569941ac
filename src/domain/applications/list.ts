import type { ApiGrant } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { Invalid, NotFound } from "../errors.js";
import { authorizeVisible, scopedApplicationIds, scopeOf } from "../groups/unit-scope.js";
import { containsPattern, countRows, decodeCursor, type Page, toPage } from "../paging.js";

/** An application (Duo "integration"; its id is the integration key). Never its secret key. */
export interface ApplicationView {
  id: string;
  type: string;
  name: string;
  notes: string;
  greeting: string;
  /** Duo's "Grant ..." permissions; only an Admin API application holds any. */
  grants: ApiGrant[];
  /** A Unix application answering duo_unix before 2.2 (unsigned dates); false for every other type. */
  legacy_unix_clients: boolean;
  created_at: string;
}

export interface ApplicationQuery {
  /** Part of the name, case-insensitive. */
  search?: string;
  type?: string;
  limit: number;
  /** Keyset paging (the panel): the cursor of the previous page. */
  after?: string;
  /** Offset paging (the Duo door, research/duo-api.md §3): skip this many; the page then carries `total`. */
  offset?: number;
}

/** A page; `total` (every match, all pages) comes with offset paging only. */
export type ApplicationPage = Page<ApplicationView> & { total?: number };

// The secret key column is never selected here: what leaves this module cannot carry it.
const COLUMNS = [
  "a.id",
  "a.type",
  "a.name",
  "a.notes",
  "a.greeting",
  "a.grants",
  "a.legacy_unix_clients",
  "a.created_at",
] as const;

function toView(row: {
  id: string;
  type: string;
  name: string;
  notes: string;
  greeting: string;
  grants: ApiGrant[];
  legacy_unix_clients: boolean;
  created_at: Date;
}): ApplicationView {
  return { ...row, grants: [...row.grants], created_at: row.created_at.toISOString() };
}

/**
 * The Applications page, by name, page by page (keyset on name, id; or an offset, with the total).
 * A restricted admin sees only the applications of their units, filtered in SQL (R-UNIT-8c);
 * nothing of another account (R-TEN-2).
 */
export async function listApplications(
  ctx: UseCaseContext,
  query: ApplicationQuery,
): Promise<ApplicationPage> {
  ctx.authorize("applications:view");
  if (query.offset !== undefined && query.after !== undefined)
    throw new Invalid("offset", "cannot be combined with after; page by one or the other");
  const after = decodeCursor("after", query.after);
  const inScope = scopedApplicationIds(scopeOf(ctx));
  if (inScope?.length === 0)
    return { items: [], next: null, ...(query.offset === undefined ? {} : { total: 0 }) };
  let matching = ctx.tx.selectFrom("applications as a").where("a.account_id", "=", ctx.accountId);
  if (inScope !== undefined) matching = matching.where("a.id", "in", inScope);
  if (query.search) matching = matching.where("a.name", "ilike", containsPattern(query.search));
  if (query.type !== undefined) matching = matching.where("a.type", "=", query.type);
  let rows = matching.select(COLUMNS);
  if (after)
    rows = rows.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("a.name", "a.id"), ">", tuple(after.key, after.id)),
    );
  rows = rows
    .orderBy("a.name")
    .orderBy("a.id")
    .limit(query.limit + 1);
  if (query.offset !== undefined) rows = rows.offset(query.offset);
  const found = await rows.execute();
  const page = toPage(found, query.limit, (row) => ({ key: row.name, id: row.id }));
  const result: ApplicationPage = { items: page.items.map(toView), next: page.next };
  if (query.offset !== undefined) result.total = await countRows(matching);
  return result;
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
