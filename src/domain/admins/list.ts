import type { Role } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { Invalid } from "../errors.js";
import { containsPattern, countRows, decodeCursor, type Page, toPage } from "../paging.js";
import { type AdminView, findAdmin, selectAdmins, toAdminView } from "./view.js";

export interface AdminQuery {
  /** Part of the name or email, case-insensitive. */
  search?: string;
  /** R-TAG-6: the Administrators page is searchable by role, subaccount role and tags. */
  role?: Role;
  subaccount_role?: Role;
  /** Exact and case-sensitive (R-TAG-1). */
  tag?: string;
  limit: number;
  after?: string;
  /**
   * Offset paging, for the Duo door (research/duo-api.md §3: `limit`, `offset`, `total_objects`):
   * given, the page starts after that many admins in the same order and carries the total.
   */
  offset?: number;
}

/** A page of admins; `total` (every admin the query matches) with offset paging only. */
export interface AdminPage extends Page<AdminView> {
  total?: number;
}

/**
 * The Administrators page: the admins of the account the session acts in (R-TEN-2; R-SUB-5: a
 * subaccount's own admins there, the parent's at the parent), by email, page by page (keyset on
 * email, id), with their roles, subaccount roles, tags and units (R-ROLE-5: Owners only).
 */
export async function listAdmins(ctx: UseCaseContext, query: AdminQuery): Promise<AdminPage> {
  ctx.authorize("admins:view");
  const after = decodeCursor("after", query.after);
  let rows = selectAdmins(ctx);
  if (query.search) {
    const pattern = containsPattern(query.search);
    rows = rows.where((eb) =>
      eb.or([eb("a.name", "ilike", pattern), eb("a.email", "ilike", pattern)]),
    );
  }
  if (query.role !== undefined) rows = rows.where("a.role", "=", query.role);
  if (query.subaccount_role !== undefined)
    rows = rows.where("a.subaccount_role", "=", query.subaccount_role);
  if (query.tag !== undefined) {
    const tag = query.tag;
    // R-TAG-6
    rows = rows.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("admin_tags as t")
          .select("t.tag")
          .whereRef("t.admin_id", "=", "a.id")
          .where("t.tag", "=", tag),
      ),
    );
  }
  if (query.offset !== undefined) {
    if (after) throw new Invalid("offset", "cannot be combined with after");
    const total = await countRows(rows);
    const found = await rows
      .orderBy("a.email")
      .orderBy("a.id")
      .offset(query.offset)
      .limit(query.limit + 1)
      .execute();
    const page = toPage(found, query.limit, (row) => ({ key: row.email, id: row.id }));
    return { items: page.items.map(toAdminView), next: page.next, total };
  }
  if (after)
    rows = rows.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("a.email", "a.id"), ">", tuple(after.key, after.id)),
    );
  const found = await rows
    .orderBy("a.email")
    .orderBy("a.id")
    .limit(query.limit + 1)
    .execute();
  const page = toPage(found, query.limit, (row) => ({ key: row.email, id: row.id }));
  return { items: page.items.map(toAdminView), next: page.next };
}

/** One admin of the account the session acts in; any other id is not found (R-TEN-2). */
export async function getAdmin(ctx: UseCaseContext, id: string): Promise<AdminView> {
  ctx.authorize("admins:view");
  const admin = await findAdmin(ctx, id);
  ctx.authorize("admins:view", { object: { kind: "admin", id } });
  return admin;
}
