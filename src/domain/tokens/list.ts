import type { UseCaseContext } from "../context.js";
import { listedDevices } from "../devices/links.js";
import {
  type CountedPage,
  containsPattern,
  decodeCursor,
  type Page,
  toPage,
  totalColumn,
  totalOf,
} from "../paging.js";
import type { TokenType } from "./fields.js";
import { TOKEN_COLUMNS } from "./summary.js";
import { type TokenView, tokensOf, toTokenViews, visibleToken } from "./view.js";

export interface TokenQuery {
  /** research/duo-api.md §4.4: exact type and serial: 0 or 1 token. Either narrows on its own too. */
  type?: TokenType;
  serial?: string;
  /** Part of the serial, case-insensitive. */
  search?: string;
  /** Only this user's tokens (the user must be one the caller may see). */
  userId?: string;
  limit: number;
  after?: string;
  /** Offset paging, as the Duo door pages (§3); the page then says how many match in all. */
  offset?: number;
}

/**
 * The account's hardware tokens by serial, page by page (keyset on serial, id; or by offset with a
 * total). R-ROLE-2 "View basic ... tokens" (phones:view; not Application Manager's, R-ROLE-3); a
 * restricted admin sees only tokens of users in their units, filtered in SQL (R-UNIT-8f).
 */
export function listTokens(
  ctx: UseCaseContext,
  query: TokenQuery & { offset: number },
): Promise<CountedPage<TokenView>>;
export function listTokens(ctx: UseCaseContext, query: TokenQuery): Promise<Page<TokenView>>;
export async function listTokens(
  ctx: UseCaseContext,
  query: TokenQuery,
): Promise<Page<TokenView> | CountedPage<TokenView>> {
  ctx.authorize("phones:view");
  const after = decodeCursor("after", query.after);
  let rows = tokensOf(ctx);
  const visible = await listedDevices(ctx, "hardware_token", query.userId);
  if (visible !== undefined) rows = rows.where(visible);
  if (query.type !== undefined) rows = rows.where("d.type", "=", query.type);
  if (query.serial !== undefined) rows = rows.where("d.serial", "=", query.serial);
  if (query.search) rows = rows.where("d.serial", "ilike", containsPattern(query.search));
  const filtered = rows;
  if (after)
    rows = rows.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("d.serial", "d.id"), ">", tuple(after.key, after.id)),
    );
  const counted = query.offset !== undefined;
  const offset = query.offset ?? 0;
  const found = await rows
    .select(TOKEN_COLUMNS)
    .$if(counted && !after, (q) => q.select(totalColumn()))
    .orderBy("d.serial")
    .orderBy("d.id")
    .limit(query.limit + 1)
    .offset(offset)
    .execute();
  const page = toPage(found, query.limit, (row) => ({ key: row.serial, id: row.id }));
  const items = await toTokenViews(ctx, page.items);
  if (!counted) return { items, next: page.next };
  return { items, next: page.next, total: await totalOf(found, { offset, after }, filtered) };
}

/** One token, with its user if the caller may see them; outside the caller's units it is not found. */
export async function getToken(ctx: UseCaseContext, id: string): Promise<TokenView> {
  const { row } = await visibleToken(ctx, id);
  const [view] = await toTokenViews(ctx, [row]);
  if (!view) throw new Error("one token in, one view out");
  return view;
}
