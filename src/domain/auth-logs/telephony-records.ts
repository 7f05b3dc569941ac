import type { Executor } from "../../db/executor.js";
import { Invalid } from "../errors.js";
import { afterCursor, cursorTime, type LogOrder } from "../log-keyset.js";
import { type Cursor, containsPattern, countRows } from "../paging.js";
import { userInScope } from "./scope.js";
import type { TelephonyContext, TelephonyQuery } from "./telephony-query.js";

/** One message of the telephony log, with its user's username as it is now (null: none, or gone). */
export interface TelephonyRow {
  id: number;
  cursor_time: string;
  created_at: Date;
  type: "sms";
  context: TelephonyContext;
  phone_number: string;
  credits: number;
  user_id: string | null;
  username: string | null;
  txid: string | null;
}

/**
 * Every message the query matches; R-UNIT-8g in SQL: a restricted admin sees the messages to users
 * in their units only (a message to no user, such as a test of the gateway, is a global admin's).
 */
function matching(executor: Executor, query: TelephonyQuery) {
  let rows = executor
    .selectFrom("telephony_log as t")
    .leftJoin("users as u", (join) =>
      join.onRef("u.id", "=", "t.user_id").onRef("u.account_id", "=", "t.account_id"),
    )
    .where("t.account_id", "=", query.accountId);
  if (query.from !== undefined) rows = rows.where("t.created_at", ">=", query.from);
  if (query.to !== undefined) rows = rows.where("t.created_at", "<", query.to);
  if (query.userId !== undefined) rows = rows.where("t.user_id", "=", query.userId);
  if (query.username !== undefined)
    rows = rows.where("u.username", "ilike", containsPattern(query.username));
  if (query.context !== undefined) rows = rows.where("t.context", "=", query.context);
  const scope = query.scope;
  if (scope !== null) rows = rows.where(userInScope("t.user_id", scope));
  return rows;
}

/** One page by (created_at, id), newest or oldest first (index telephony_log_by_account_time). */
export async function fetchTelephonyRecords(
  executor: Executor,
  query: TelephonyQuery,
  limit: number,
  after?: Cursor,
  order: LogOrder = "newest",
): Promise<TelephonyRow[]> {
  let rows = matching(executor, query)
    .selectAll("t")
    .select(["u.username", cursorTime("t").as("cursor_time")]);
  if (after) rows = rows.where(afterCursor("t", after, order));
  const direction = order === "newest" ? "desc" : "asc";
  return (await rows
    .orderBy("t.created_at", direction)
    .orderBy("t.id", direction)
    .limit(limit)
    .execute()) as TelephonyRow[];
}

export function countTelephonyRecords(executor: Executor, query: TelephonyQuery): Promise<number> {
  return countRows(matching(executor, query).select("t.id"));
}

/**
 * Duo's v2 telephony cursor, "<ms>,<telephony_id>", back to the keyset position of the message it
 * names (the id is the row's, so the time only has to agree with it).
 */
export async function positionOfMessage(
  executor: Executor,
  accountId: string,
  milliseconds: number,
  id: string,
): Promise<Cursor> {
  const refused = new Invalid(
    "next_offset",
    "is not a position this server gave out; start again without next_offset",
  );
  if (!/^\d{1,15}$/.test(id)) throw refused;
  const found = await executor
    .selectFrom("telephony_log as t")
    .select(["t.id", cursorTime("t").as("cursor_time")])
    .where("t.account_id", "=", accountId)
    .where("t.id", "=", Number(id))
    .where("t.created_at", ">=", new Date(milliseconds))
    .where("t.created_at", "<", new Date(milliseconds + 1))
    .executeTakeFirst();
  if (!found) throw refused;
  return { key: found.cursor_time, id: String(found.id) };
}
