import { sql } from "kysely";
import type { UseCaseContext } from "../context.js";
import { scopedGroupIds, scopeOf } from "../groups/unit-scope.js";
import {
  type CountedPage,
  containsPattern,
  decodeCursor,
  type Page,
  toPage,
  totalColumn,
  totalOf,
} from "../paging.js";
import { usernameKey } from "./fields.js";
import { mayViewDetails, toUserViews, USER_COLUMNS, type UserView, visibleUser } from "./view.js";

export interface UserQuery {
  /** Part of the username, full name or email, case-insensitive. */
  search?: string;
  limit: number;
  after?: string;
  /**
   * Offset paging, as the Duo door pages (research/duo-api.md §3): rows skipped after the keyset
   * position (if any). When given, the page also says how many users match in all (`total`).
   */
  offset?: number;
  /** Only users whose username or one of whose aliases is one of these, case-insensitively. */
  usernames?: string[];
  /** Only users with one of these emails, case-insensitively. */
  emails?: string[];
  /** Only these users. */
  ids?: string[];
  /** Only members of this group. */
  groupId?: string;
  /** Each user with their phones and hardware tokens (toUserViews). */
  devices?: boolean;
}

/**
 * The Users page: the account's users by username, page by page (keyset on username, id; or by
 * offset, with a total, for the Admin API). A restricted admin sees only members of their units'
 * groups, filtered in SQL, so out-of-scope users are not listed, counted or found by a search
 * (R-UNIT-8a); nothing of another account (R-TEN-2).
 */
export function listUsers(
  ctx: UseCaseContext,
  query: UserQuery & { offset: number },
): Promise<CountedPage<UserView>>;
export function listUsers(ctx: UseCaseContext, query: UserQuery): Promise<Page<UserView>>;
export async function listUsers(
  ctx: UseCaseContext,
  query: UserQuery,
): Promise<Page<UserView> | CountedPage<UserView>> {
  ctx.authorize("users:view");
  const after = decodeCursor("after", query.after);
  const counted = query.offset !== undefined;
  const inScope = scopedGroupIds(scopeOf(ctx));
  const none = { items: [], next: null, ...(counted ? { total: 0 } : {}) };
  if (inScope?.length === 0) return none;
  for (const list of [query.usernames, query.emails, query.ids])
    if (list?.length === 0) return none;
  let rows = ctx.tx.selectFrom("users as u").where("u.account_id", "=", ctx.accountId);
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
  // R-ROLE-3: whoever may not see emails may not search or filter by them either.
  const byEmail = mayViewDetails(ctx);
  if (query.search) {
    const pattern = containsPattern(query.search);
    rows = rows.where((eb) =>
      eb.or([
        eb("u.username", "ilike", pattern),
        eb("u.real_name", "ilike", pattern),
        ...(byEmail ? [eb("u.email", "ilike", pattern)] : []),
      ]),
    );
  }
  if (query.usernames) {
    // Stored names are NFC (parseUsername): a lookup in either form finds the same user.
    const names = query.usernames.map(usernameKey);
    rows = rows.where((eb) =>
      eb.or([
        eb(sql<string>`lower(u.username)`, "in", names),
        eb.exists(
          sql`(select 1 from unnest(u.aliases) as alias where lower(alias) in (${sql.join(names)}))`,
        ),
      ]),
    );
  }
  if (query.emails) {
    const emails = query.emails.map((email) => email.toLowerCase());
    rows = byEmail
      ? rows.where(sql<string>`lower(u.email)`, "in", emails)
      : rows.where((eb) => eb.lit(false));
  }
  if (query.ids) rows = rows.where("u.id", "in", query.ids);
  if (query.groupId !== undefined) {
    const groupId = query.groupId;
    rows = rows.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("group_members as gm")
          .select("gm.user_id")
          .whereRef("gm.user_id", "=", "u.id")
          .where("gm.group_id", "=", groupId),
      ),
    );
  }
  const filtered = rows;
  if (after)
    rows = rows.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("u.username", "u.id"), ">", tuple(after.key, after.id)),
    );
  const offset = query.offset ?? 0;
  const found = await rows
    .select(USER_COLUMNS)
    // The total rides on the page's own query, unless a keyset position narrows that query.
    .$if(counted && !after, (q) => q.select(totalColumn()))
    .orderBy("u.username")
    .orderBy("u.id")
    .limit(query.limit + 1)
    .offset(offset)
    .execute();
  const page = toPage(found, query.limit, (row) => ({ key: row.username, id: row.id }));
  const items = await toUserViews(ctx, page.items, { devices: query.devices });
  if (!counted) return { items, next: page.next };
  return { items, next: page.next, total: await totalOf(found, { offset, after }, filtered) };
}
/** One user; one outside the caller's units or in another account is "not found" (R-UNIT-8a, R-TEN-2). */
export async function getUser(
  ctx: UseCaseContext,
  id: string,
  options: { devices?: boolean } = {},
): Promise<UserView> {
  const { row } = await visibleUser(ctx, id);
  const [view] = await toUserViews(ctx, [row], options);
  if (!view) throw new Error("a user read in this transaction has a view");
  return view;
}
