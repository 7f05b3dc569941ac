import { type SqlBool, sql } from "kysely";
import type { Executor } from "../../db/executor.js";
import type { AuthResult } from "../../db/schema.js";
import { Invalid } from "../errors.js";
import { afterCursor, cursorTime, type LogOrder } from "../log-keyset.js";
import { type Cursor, containsPattern, countRows } from "../paging.js";
import type { AuthLogQuery, EventType } from "./authentication-query.js";
import { authEventInScope } from "./scope.js";
import { TXID } from "./values.js";

/** One authentication log record as the queries read it (R-AUTH-4), with the user's email now. */
export interface AuthLogRow {
  id: number;
  /** created_at to the microsecond, UTC, for keyset cursors. */
  cursor_time: string;
  created_at: Date;
  txid: string;
  event_type: EventType;
  result: AuthResult;
  reason: string;
  factor: string;
  user_id: string | null;
  username: string;
  user_groups: string[];
  application_id: string | null;
  application_name: string | null;
  access_ip: string | null;
  access_hostname: string | null;
  auth_device_id: string | null;
  auth_device_name: string | null;
  /** R-AUTH-4: the policy, and its section, that decided; null where the user's standing did. */
  policy_key: string | null;
  policy_name: string | null;
  policy_section: string | null;
  /** The user's email as it is now; "" when the user has none or no longer exists. */
  email: string;
}

/**
 * Every record the query matches, R-UNIT-8g included, in SQL: a restricted admin's query tests
 * each record's user against their units' groups and its application against their units'
 * applications, so an out-of-scope record never leaves the database.
 */
export function matchingAuthRecords(executor: Executor, query: AuthLogQuery) {
  let rows = executor
    .selectFrom("authentication_log as l")
    .where("l.account_id", "=", query.accountId);
  if (query.from !== undefined) rows = rows.where("l.created_at", ">=", query.from);
  if (query.to !== undefined) rows = rows.where("l.created_at", "<", query.to);
  if (query.userIds !== undefined) rows = rows.where("l.user_id", "in", query.userIds);
  if (query.username !== undefined)
    rows = rows.where("l.username", "ilike", containsPattern(query.username));
  const groupIds = query.groupIds;
  if (groupIds !== undefined)
    rows = rows.where(
      sql<SqlBool>`exists (select 1 from group_members fg
        where fg.user_id = l.user_id and fg.group_id in (${sql.join(groupIds)}))`,
    );
  if (query.applicationIds !== undefined)
    rows = rows.where("l.application_id", "in", query.applicationIds);
  if (query.results !== undefined) rows = rows.where("l.result", "in", query.results);
  if (query.reasons !== undefined) rows = rows.where("l.reason", "in", query.reasons);
  if (query.factors !== undefined) rows = rows.where("l.factor", "in", query.factors);
  if (query.eventTypes !== undefined) rows = rows.where("l.event_type", "in", query.eventTypes);
  const scope = query.scope;
  if (scope !== null) rows = rows.where(authEventInScope("l", scope));
  return rows;
}

/**
 * One page by (created_at, id), newest first (the panel, Duo's ts:desc) or oldest first (Duo's
 * v1 log and ts:asc): both read the index authentication_log_by_account_time.
 */
export async function fetchAuthRecords(
  executor: Executor,
  query: AuthLogQuery,
  limit: number,
  after?: Cursor,
  order: LogOrder = "newest",
): Promise<AuthLogRow[]> {
  let rows = matchingAuthRecords(executor, query)
    .leftJoin("users as u", (join) =>
      join.onRef("u.id", "=", "l.user_id").onRef("u.account_id", "=", "l.account_id"),
    )
    .selectAll("l")
    .select([sql<string>`coalesce(u.email, '')`.as("email"), cursorTime("l").as("cursor_time")]);
  if (after) rows = rows.where(afterCursor("l", after, order));
  const direction = order === "newest" ? "desc" : "asc";
  return (await rows
    .orderBy("l.created_at", direction)
    .orderBy("l.id", direction)
    .limit(limit)
    .execute()) as AuthLogRow[];
}

/** How many records the query matches in all (Duo's total_objects). */
export function countAuthRecords(executor: Executor, query: AuthLogQuery): Promise<number> {
  return countRows(matchingAuthRecords(executor, query).select("l.id"));
}

/**
 * Duo's v2 cursor, ["<ms>", "<txid>"], back to the keyset position of the record it names: the
 * record of that txid in that millisecond of the account (the index on account and time finds
 * it). A txid this account never logged there is a cursor the server never gave out.
 */
export async function positionOfTxid(
  executor: Executor,
  accountId: string,
  milliseconds: number,
  txid: string,
): Promise<Cursor> {
  const refused = new Invalid(
    "next_offset",
    "is not a position this server gave out; start again without next_offset",
  );
  if (!TXID.test(txid)) throw refused;
  const found = await executor
    .selectFrom("authentication_log as l")
    .select(["l.id", cursorTime("l").as("cursor_time")])
    .where("l.account_id", "=", accountId)
    .where("l.created_at", ">=", new Date(milliseconds))
    .where("l.created_at", "<", new Date(milliseconds + 1))
    .where("l.txid", "=", txid.toLowerCase())
    // One attempt logs one record under its txid; the limit only keeps the answer to one row.
    .orderBy("l.id")
    .limit(1)
    .executeTakeFirst();
  if (!found) throw refused;
  return { key: found.cursor_time, id: String(found.id) };
}
