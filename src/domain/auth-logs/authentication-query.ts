import { AUTH_RESULTS, type AuthResult } from "../../db/schema.js";
import type { UseCaseContext } from "../context.js";
import { Invalid } from "../errors.js";
import { type LogScope, logScopeOf } from "./scope.js";
import { APPLICATION_ID, CODE_NAME, checkedList, GROUP_ID, parseTime, USER_ID } from "./values.js";

export const EVENT_TYPES = ["authentication", "enrollment"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What a caller may ask of the authentication log; each door reads its own parameters into this. */
export interface AuthLogFilter {
  /** ISO 8601 times: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  /** Exact user ids (DU...). */
  userIds?: readonly string[];
  /** Part of the username the client gave, case-insensitive. */
  username?: string;
  /** Users now in any of these groups (DG...). */
  groupIds?: readonly string[];
  /** Exact application ids (DI...). */
  applicationIds?: readonly string[];
  results?: readonly string[];
  reasons?: readonly string[];
  factors?: readonly string[];
  eventTypes?: readonly string[];
}

/**
 * A filter, authorized and resolved: what one query (or a CSV's or an API page's run of queries)
 * reads. `scope` is R-UNIT-8g's limit for a restricted admin (null: every event of the account).
 */
export interface AuthLogQuery {
  accountId: string;
  from?: Date;
  to?: Date;
  userIds?: string[];
  username?: string;
  groupIds?: string[];
  applicationIds?: string[];
  results?: AuthResult[];
  reasons?: string[];
  factors?: string[];
  eventTypes?: EventType[];
  scope: LogScope | null;
}

function oneOf<T extends string>(
  field: string,
  items: readonly string[] | undefined,
  allowed: readonly T[],
): T[] | undefined {
  const list = checkedList(field, items, /^[a-z]+$/, `one of ${allowed.join(", ")}`);
  if (list === undefined) return undefined;
  for (const item of list)
    if (!(allowed as readonly string[]).includes(item))
      throw new Invalid(field, `"${item}" is not one of ${allowed.join(", ")}`);
  return list as T[];
}

/**
 * R-AUTH-4, R-ROLE-3 (the Authentication Log is among the four reports Help Desk and User Managers
 * keep; Billing has none), R-UNIT-8g: authorizes reading the authentication log of the account the
 * use case acts in, checks the filter and resolves the caller's scope for the SQL.
 */
export function prepareAuthLogQuery(ctx: UseCaseContext, filter: AuthLogFilter): AuthLogQuery {
  const accountId = ctx.accountId;
  ctx.authorize("reports:view_authentication_log", { accountId });
  const from = parseTime("from", filter.from);
  const to = parseTime("to", filter.to);
  if (from && to && from > to) throw new Invalid("to", "must not be before from");
  const username = filter.username?.trim();
  if (username !== undefined && username.length > 300)
    throw new Invalid("user", "must be at most 300 characters");
  const query: AuthLogQuery = { accountId, scope: logScopeOf(ctx, accountId) };
  if (from) query.from = from;
  if (to) query.to = to;
  if (username) query.username = username;
  const userIds = checkedList("users", filter.userIds, USER_ID, "a user id (DU…)");
  if (userIds) query.userIds = userIds;
  const groupIds = checkedList("groups", filter.groupIds, GROUP_ID, "a group id (DG…)");
  if (groupIds) query.groupIds = groupIds;
  const applicationIds = checkedList(
    "applications",
    filter.applicationIds,
    APPLICATION_ID,
    "an application's integration key (DI…)",
  );
  if (applicationIds) query.applicationIds = applicationIds;
  const results = oneOf("results", filter.results, AUTH_RESULTS);
  if (results) query.results = results;
  const reasons = checkedList(
    "reasons",
    filter.reasons,
    CODE_NAME,
    "a reason such as invalid_passcode",
  );
  if (reasons) query.reasons = reasons;
  const factors = checkedList("factors", filter.factors, CODE_NAME, "a factor such as bypass_code");
  if (factors) query.factors = factors;
  const eventTypes = oneOf("event_types", filter.eventTypes, EVENT_TYPES);
  if (eventTypes) query.eventTypes = eventTypes;
  return query;
}
