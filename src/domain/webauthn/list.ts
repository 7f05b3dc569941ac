import type { UseCaseContext } from "../context.js";
import { scopedGroupIds, scopeOf } from "../groups/unit-scope.js";
import {
  type CountedPage,
  decodeCursor,
  type Page,
  toPage,
  totalColumn,
  totalOf,
} from "../paging.js";
import { mayViewDetails, visibleUser } from "../users/view.js";
import {
  toWebAuthnView,
  userCredentialsOf,
  VIEW_COLUMNS,
  visibleCredential,
  type WebAuthnView,
} from "./view.js";

export interface WebAuthnQuery {
  /** Only this user's credentials (a user the caller may see, else not found). */
  userId?: string;
  limit: number;
  /** Keyset paging (the panel), by webauthnkey. */
  after?: string;
  /** Offset paging, as the Duo door pages (§3); the page then says how many match in all. */
  offset?: number;
}

/**
 * The users' WebAuthn credentials of the account, or of one user, by webauthnkey (keyset, or
 * offset with a total). R-ROLE-2 "View basic ... tokens" (phones:view, not Application Manager's,
 * R-ROLE-3); a restricted admin sees only those of users in their units, filtered in SQL
 * (R-UNIT-8f), and a user outside them is not found (R-UNIT-8a). One statement for the page.
 */
export function listWebAuthnCredentials(
  ctx: UseCaseContext,
  query: WebAuthnQuery & { offset: number },
): Promise<CountedPage<WebAuthnView>>;
export function listWebAuthnCredentials(
  ctx: UseCaseContext,
  query: WebAuthnQuery,
): Promise<Page<WebAuthnView>>;
export async function listWebAuthnCredentials(
  ctx: UseCaseContext,
  query: WebAuthnQuery,
): Promise<Page<WebAuthnView> | CountedPage<WebAuthnView>> {
  const after = decodeCursor("after", query.after);
  const counted = query.offset !== undefined;
  let rows = userCredentialsOf(ctx);
  if (query.userId !== undefined) {
    const { object } = await visibleUser(ctx, query.userId);
    ctx.authorize("phones:view", { object });
    rows = rows.where("w.user_id", "=", query.userId);
  } else {
    ctx.authorize("phones:view");
    const inScope = scopedGroupIds(scopeOf(ctx));
    if (inScope?.length === 0)
      return counted ? { items: [], next: null, total: 0 } : { items: [], next: null };
    if (inScope !== undefined)
      rows = rows.where(({ exists, selectFrom }) =>
        exists(
          selectFrom("group_members as gm")
            .select("gm.user_id")
            .whereRef("gm.user_id", "=", "w.user_id")
            .where("gm.group_id", "in", inScope),
        ),
      );
  }
  const filtered = rows;
  if (after) rows = rows.where("w.id", ">", after.id);
  const offset = query.offset ?? 0;
  const found = await rows
    .select(VIEW_COLUMNS)
    .$if(counted && !after, (q) => q.select(totalColumn()))
    .orderBy("w.id")
    .limit(query.limit + 1)
    .offset(offset)
    .execute();
  const page = toPage(found, query.limit, (row) => ({ key: row.id, id: row.id }));
  const details = mayViewDetails(ctx);
  const items = page.items.map((row) => toWebAuthnView(row, details));
  if (!counted) return { items, next: page.next };
  return { items, next: page.next, total: await totalOf(found, { offset, after }, filtered) };
}

/** One user's credential, with its user; outside the caller's units it is not found. */
export function getWebAuthnCredential(ctx: UseCaseContext, id: string): Promise<WebAuthnView> {
  return visibleCredential(ctx, id);
}
