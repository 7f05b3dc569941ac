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
import { PHONE_COLUMNS } from "./summary.js";
import { type PhoneView, phonesOf, toPhoneViews, visiblePhone } from "./view.js";

export interface PhoneQuery {
  /** research/duo-api.md §4.3: exact number (E.164) and extension ("" when not given): 0 or 1 phone. */
  number?: string;
  extension?: string;
  /** Part of the number or the name, case-insensitive. */
  search?: string;
  /** Only this user's phones (the user must be one the caller may see). */
  userId?: string;
  limit: number;
  after?: string;
  /** Offset paging, as the Duo door pages (§3); the page then says how many match in all. */
  offset?: number;
}

/**
 * The account's phones by number, page by page (keyset on number, id; or by offset with a total).
 * Seeing phones is R-ROLE-2's "View basic ... phones" (not Application Manager's: R-ROLE-3, no
 * phone numbers); a restricted admin sees only the phones of users in their units, filtered in
 * SQL (R-UNIT-8f); a user outside them is not found (R-UNIT-8a); nothing of another account.
 */
export function listPhones(
  ctx: UseCaseContext,
  query: PhoneQuery & { offset: number },
): Promise<CountedPage<PhoneView>>;
export function listPhones(ctx: UseCaseContext, query: PhoneQuery): Promise<Page<PhoneView>>;
export async function listPhones(
  ctx: UseCaseContext,
  query: PhoneQuery,
): Promise<Page<PhoneView> | CountedPage<PhoneView>> {
  ctx.authorize("phones:view");
  const after = decodeCursor("after", query.after);
  let rows = phonesOf(ctx);
  const visible = await listedDevices(ctx, "phone", query.userId);
  if (visible !== undefined) rows = rows.where(visible);
  if (query.number !== undefined)
    rows = rows
      .where("d.number", "=", query.number)
      .where("d.extension", "=", query.extension ?? "");
  if (query.search) {
    const pattern = containsPattern(query.search);
    rows = rows.where((eb) =>
      eb.or([eb("d.number", "like", pattern), eb("d.name", "ilike", pattern)]),
    );
  }
  const filtered = rows;
  if (after)
    rows = rows.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("d.number", "d.id"), ">", tuple(after.key, after.id)),
    );
  const counted = query.offset !== undefined;
  const offset = query.offset ?? 0;
  const found = await rows
    .select(PHONE_COLUMNS)
    .$if(counted && !after, (q) => q.select(totalColumn()))
    .orderBy("d.number")
    .orderBy("d.id")
    .limit(query.limit + 1)
    .offset(offset)
    .execute();
  const page = toPage(found, query.limit, (row) => ({ key: row.number, id: row.id }));
  const items = await toPhoneViews(ctx, page.items);
  if (!counted) return { items, next: page.next };
  return { items, next: page.next, total: await totalOf(found, { offset, after }, filtered) };
}

/** One phone, with the users the caller may see; outside the caller's units it is not found. */
export async function getPhone(ctx: UseCaseContext, id: string): Promise<PhoneView> {
  const { row } = await visiblePhone(ctx, id);
  const [view] = await toPhoneViews(ctx, [row]);
  if (!view) throw new Error("one phone in, one view out");
  return view;
}
