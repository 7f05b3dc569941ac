import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";
import {
  type CountedPage,
  containsPattern,
  countRows,
  decodeCursor,
  type Page,
  toPage,
} from "../paging.js";
import { authorizeVisible, scopedGroupIds, scopeOf } from "./unit-scope.js";

export const GROUP_STATUSES = ["active", "bypass", "disabled"] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

export interface GroupView {
  id: string;
  name: string;
  description: string;
  status: GroupStatus;
  /** Members of the group (all in scope when the group is: R-UNIT-8a). */
  member_count: number;
  created_at: string;
}

export interface GroupQuery {
  /** Part of the name, case-insensitive. */
  search?: string;
  limit: number;
  after?: string;
  /**
   * Offset paging, as the Duo door pages (research/duo-api.md §3): rows skipped after the keyset
   * position (if any). When given, the page also says how many groups match in all (`total`).
   */
  offset?: number;
  /** Only these groups. */
  ids?: string[];
  /** Only the groups this user is in. */
  memberId?: string;
}

function groupsOf(ctx: UseCaseContext) {
  return ctx.tx
    .selectFrom("groups as g")
    .select((eb) => [
      "g.id",
      "g.name",
      "g.description",
      "g.status",
      "g.created_at",
      eb
        .selectFrom("group_members as gm")
        .select((sub) => sub.fn.countAll<number>().as("n"))
        .whereRef("gm.group_id", "=", "g.id")
        .as("member_count"),
    ])
    .where("g.account_id", "=", ctx.accountId);
}

type GroupRow = Awaited<ReturnType<ReturnType<typeof groupsOf>["execute"]>>[number];

function toView(row: GroupRow): GroupView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    member_count: Number(row.member_count ?? 0),
    created_at: row.created_at.toISOString(),
  };
}

/**
 * The Groups page, by name, page by page (keyset on name, id; or by offset, with a total, for the
 * Admin API). A restricted admin sees only the groups of their units, filtered in SQL (R-UNIT-8b);
 * nothing of another account (R-TEN-2).
 */
export function listGroups(
  ctx: UseCaseContext,
  query: GroupQuery & { offset: number },
): Promise<CountedPage<GroupView>>;
export function listGroups(ctx: UseCaseContext, query: GroupQuery): Promise<Page<GroupView>>;
export async function listGroups(
  ctx: UseCaseContext,
  query: GroupQuery,
): Promise<Page<GroupView> | CountedPage<GroupView>> {
  ctx.authorize("groups:view");
  const after = decodeCursor("after", query.after);
  const counted = query.offset !== undefined;
  const inScope = scopedGroupIds(scopeOf(ctx));
  if (inScope?.length === 0 || query.ids?.length === 0)
    return { items: [], next: null, ...(counted ? { total: 0 } : {}) };
  let rows = groupsOf(ctx);
  if (inScope !== undefined) rows = rows.where("g.id", "in", inScope);
  if (query.search) rows = rows.where("g.name", "ilike", containsPattern(query.search));
  if (query.ids) rows = rows.where("g.id", "in", query.ids);
  if (query.memberId !== undefined) {
    const userId = query.memberId;
    rows = rows.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("group_members as m")
          .select("m.group_id")
          .whereRef("m.group_id", "=", "g.id")
          .where("m.user_id", "=", userId),
      ),
    );
  }
  const total = counted ? await countRows(rows) : undefined;
  if (after)
    rows = rows.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("g.name", "g.id"), ">", tuple(after.key, after.id)),
    );
  const found = await rows
    .orderBy("g.name")
    .orderBy("g.id")
    .limit(query.limit + 1)
    .offset(query.offset ?? 0)
    .execute();
  const page = toPage(found, query.limit, (row) => ({ key: row.name, id: row.id }));
  const items = page.items.map(toView);
  return total === undefined ? { items, next: page.next } : { items, next: page.next, total };
}

/** One group; one outside the caller's units or in another account is "not found" (R-UNIT-8b, R-TEN-2). */
export async function getGroup(ctx: UseCaseContext, id: string): Promise<GroupView> {
  const row = await groupsOf(ctx).where("g.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFound("group", id);
  authorizeVisible(ctx, "groups:view", { object: { kind: "group", id } }, { kind: "group", id });
  return toView(row);
}
