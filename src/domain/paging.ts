import { type SelectQueryBuilder, sql } from "kysely";
import { Invalid } from "./errors.js";
import { findBadText } from "./text-guard.js";

/** A page of a keyset-paginated list: `next` is the cursor of the following page, null on the last. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** A page of an offset-paged list, with the number of matching items in all. */
export type CountedPage<T> = Page<T> & { total: number };

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** The position after an item: its sort key and its id (ids break ties, so no row is skipped or repeated). */
export interface Cursor {
  key: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id])).toString("base64url");
}

export function decodeCursor(field: string, value: string | undefined): Cursor | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === "string" &&
      typeof parsed[1] === "string" &&
      // A cursor is compared with stored text: a NUL there fails in PostgreSQL, not here.
      findBadText(parsed, field) === undefined
    )
      return { key: parsed[0], id: parsed[1] };
  } catch {}
  throw new Invalid(field, "is not a cursor this server gave out; start again from the first page");
}

/** Cuts a result fetched with limit + 1 rows into a page and the next cursor. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    next: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

/** SQL LIKE pattern for "contains", with the user's % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * How many rows a filtered list would hold, for the Admin API's `total_objects`: the same query,
 * its selection replaced by a count.
 */
export async function countRows<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
): Promise<number> {
  const row = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    // Kysely cannot resolve the selection's type through these generics; it is this one column.
    .$castTo<{ n: number | string }>()
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The same total in the page's own query: `count(*) over ()` is computed before LIMIT and OFFSET,
 * so every row carries the number of rows the filters match, and a counted page is one round trip.
 */
export function totalColumn() {
  return sql<number | string>`count(*) over ()`.as("total");
}

/**
 * The total of a counted page read with totalColumn() (unless a keyset position `after` narrowed
 * the page's query). Counted apart, with `filtered`'s countRows, only when the rows cannot carry
 * it: a keyset position, or a page past the end.
 */
export async function totalOf<DB, TB extends keyof DB, O>(
  rows: readonly { total?: number | string }[],
  position: { offset: number; after?: Cursor },
  filtered: SelectQueryBuilder<DB, TB, O>,
): Promise<number> {
  const total = rows[0]?.total;
  if (total !== undefined) return Number(total);
  const nothing = rows.length === 0 && position.offset === 0 && position.after === undefined;
  return nothing ? 0 : countRows(filtered);
}
