import { Invalid } from "../errors.js";

/** What both logs' filters and cursors accept, checked before anything reaches SQL. */

export const USER_ID = /^DU[0-9A-Z]{18}$/;
export const GROUP_ID = /^DG[0-9A-Z]{18}$/;
export const APPLICATION_ID = /^DI[0-9A-Z]{18}$/;
/** Duo's reason and factor names, as the log's check constraints take them. */
export const CODE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
/** A txid is a uuid column: anything else would be a cast error in PostgreSQL, not a 400. */
export const TXID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The most ids or names one filter may list: an IN list, not a bulk export. */
export const MAX_FILTER_ITEMS = 100;

/** An ISO 8601 time from a filter, or a 400 naming the field. */
export function parseTime(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new Invalid(field, "must be an ISO 8601 time such as 2025-01-31T00:00:00Z");
  return time;
}

/** A list filter whose every item has the expected shape; undefined or empty means "any". */
export function checkedList(
  field: string,
  items: readonly string[] | undefined,
  shape: RegExp,
  what: string,
): string[] | undefined {
  if (items === undefined || items.length === 0) return undefined;
  if (items.length > MAX_FILTER_ITEMS)
    throw new Invalid(field, `may list at most ${MAX_FILTER_ITEMS} values`);
  for (const item of items)
    if (!shape.test(item)) throw new Invalid(field, `"${item.slice(0, 40)}" is not ${what}`);
  return [...new Set(items)];
}
