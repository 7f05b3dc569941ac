import { sql } from "kysely";
import type { Edition, Principal, Snapshot } from "../../authz/index.js";
import { sharesAccess } from "../../authz/reach.js";
import type { UseCaseContext } from "../context.js";
import { Invalid, NotFound } from "../errors.js";
import { containsPattern, countRows, decodeCursor, type Page, toPage } from "../paging.js";

export interface SubaccountView {
  id: string;
  name: string;
  edition: Edition;
  nfr: boolean;
  /** R-TAG-1: case-sensitive, sorted. */
  tags: string[];
  /** R-TAG-4: listed even when not accessible; this says which. */
  accessible: boolean;
  created_at: string;
}

export interface SubaccountQuery {
  /** Part of the name, case-insensitive. */
  search?: string;
  /** R-TAG-6: subaccounts carrying this tag (exact, case-sensitive). */
  tag?: string;
  limit: number;
  /** Keyset paging (the panel): the cursor of the previous page. */
  after?: string;
  /** Offset paging (the Duo door): skip this many; the page then carries `total`. */
  offset?: number;
}

/** A page; `total` (every match, all pages) comes with offset paging only. */
export type SubaccountPage = Page<SubaccountView> & { total?: number };

/**
 * R-TAG-4, R-TAG-6: every subaccount with its tags, NFR flag and edition, to every parent-level
 * admin, each marked accessible or not (R-TAG-2); searchable by name and by tag.
 */
export async function listSubaccounts(
  ctx: UseCaseContext,
  query: SubaccountQuery,
): Promise<SubaccountPage> {
  ctx.authorize("subaccounts:list");
  if (query.offset !== undefined && query.after !== undefined)
    throw new Invalid("offset", "cannot be combined with after; page by one or the other");
  const after = decodeCursor("after", query.after);
  let matching = ctx.tx.selectFrom("accounts as a").where("a.parent_id", "=", ctx.accountId);
  if (query.search) matching = matching.where("a.name", "ilike", containsPattern(query.search));
  if (query.tag !== undefined) {
    const tag = query.tag;
    matching = matching.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("subaccount_tags as t")
          .select("t.tag")
          .whereRef("t.account_id", "=", "a.id")
          .where("t.tag", "=", tag),
      ),
    );
  }
  let rows = matching.select([
    "a.id",
    "a.name",
    "a.edition",
    "a.nfr",
    "a.created_at",
    sql<
      string[]
    >`coalesce((select array_agg(t.tag order by t.tag collate "C") from subaccount_tags t where t.account_id = a.id), '{}')`.as(
      "tags",
    ),
  ]);
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
  const result: SubaccountPage = {
    items: page.items.map((row) => toView(ctx, row)),
    next: page.next,
  };
  if (query.offset !== undefined) result.total = await countRows(matching);
  return result;
}

/** R-TAG-4: a subaccount's page; one the caller cannot access answers Forbidden with the reason and nothing of it. */
export async function getSubaccount(ctx: UseCaseContext, id: string): Promise<SubaccountView> {
  ctx.authorize("subaccounts:list");
  const sub = ctx.snapshot.accounts.get(id);
  if (!sub || sub.isParent) throw new NotFound("subaccount", id);
  ctx.authorize("dashboard:view", { accountId: id });
  const row = await ctx.tx
    .selectFrom("accounts")
    .select(["id", "name", "edition", "nfr", "created_at"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return toView(ctx, { ...row, tags: [...sub.tagList] });
}

function toView(
  ctx: UseCaseContext,
  row: {
    id: string;
    name: string;
    edition: Edition;
    nfr: boolean;
    created_at: Date;
    tags: string[];
  },
): SubaccountView {
  return {
    id: row.id,
    name: row.name,
    edition: row.edition,
    nfr: row.nfr,
    tags: row.tags,
    accessible: canEnter(ctx.snapshot, ctx.caller.principal, row.id),
    created_at: row.created_at.toISOString(),
  };
}

/** R-TAG-2 for the caller: an admin principal reaching the subaccount, or an API/system principal of the tenant. */
export function canEnter(snapshot: Snapshot, principal: Principal, accountId: string): boolean {
  const sub = snapshot.accounts.get(accountId);
  if (!sub) return false;
  if (principal.kind !== "admin") return true;
  const admin = snapshot.admins.get(principal.adminId);
  return admin?.home.isParent === true && sharesAccess(admin, sub);
}
