import { type RawBuilder, type SqlBool, sql } from "kysely";
import { Invalid } from "./errors.js";
import { type Cursor, decodeCursor, encodeCursor } from "./paging.js";

/**
 * Keyset paging over a log by (created_at, id) (the Administrator Actions, Authentication and
 * Telephony logs): a cursor
 * holds the row's time to the microsecond (a JavaScript Date would round it to the millisecond and
 * skip or repeat rows written in the same millisecond) and its id.
 */

export type LogOrder = "newest" | "oldest";

/** A row's keyset position, as the queries select it. */
export interface LogPosition {
  cursor_time: string;
  id: number;
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** `alias`.created_at as UTC text to the microsecond: the cursor's key. */
export function cursorTime(alias: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(`${alias}.created_at`)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The rows after `cursor` in the page's order. */
export function afterCursor(alias: string, cursor: Cursor, order: LogOrder): RawBuilder<SqlBool> {
  const position = sql`(${sql.ref(`${alias}.created_at`)}, ${sql.ref(`${alias}.id`)})`;
  const key = sql`(cast(${cursor.key} as timestamptz), cast(${Number(cursor.id)} as bigint))`;
  return order === "newest"
    ? sql<SqlBool>`${position} < ${key}`
    : sql<SqlBool>`${position} > ${key}`;
}

export function cursorOf(row: LogPosition): Cursor {
  return { key: row.cursor_time, id: String(row.id) };
}

/** Cuts rows fetched with limit + 1 into a page and the panel's cursor of the next one. */
export function pageOf<T extends LogPosition>(
  rows: T[],
  limit: number,
): { rows: T[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}

/**
 * A time PostgreSQL takes: the shape alone lets "2024-02-30" or year 0 through, which JavaScript
 * reads as another day and the cast refuses (a 500, not a 400).
 */
function isRealTime(key: string): boolean {
  if (!CURSOR_TIME.test(key) || key.startsWith("0000")) return false;
  const milliseconds = `${key.slice(0, 23)}Z`;
  const time = Date.parse(milliseconds);
  return !Number.isNaN(time) && new Date(time).toISOString() === milliseconds;
}

/** The panel's `after`: only a cursor this server gave out, else a 400 naming it. */
export function parseAfter(value: string | undefined): Cursor | undefined {
  const cursor = decodeCursor("after", value);
  if (cursor && (!isRealTime(cursor.key) || !/^\d{1,15}$/.test(cursor.id)))
    throw new Invalid(
      "after",
      "is not a cursor this server gave out; start again from the first page",
    );
  return cursor;
}
