import type { UseCaseContext } from "../context.js";
import { Invalid } from "../errors.js";
import { type LogScope, logScopeOf } from "./scope.js";
import { parseTime, USER_ID } from "./values.js";

export const TELEPHONY_CONTEXTS = ["authentication", "activation", "test"] as const;
export type TelephonyContext = (typeof TELEPHONY_CONTEXTS)[number];

export interface TelephonyFilter {
  /** ISO 8601 times: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  /** A user id (exact), or part of the user's username (case-insensitive). */
  user?: string;
  context?: TelephonyContext;
}

/** A telephony filter, authorized and resolved; `scope` as for the authentication log. */
export interface TelephonyQuery {
  accountId: string;
  from?: Date;
  to?: Date;
  userId?: string;
  username?: string;
  context?: TelephonyContext;
  scope: LogScope | null;
}

/**
 * R-ROLE-3 (the Telephony Log is among Help Desk's and User Managers' four reports), R-UNIT-8g
 * (a restricted admin sees the messages sent to users in their units): authorizes reading the
 * telephony log of the account the use case acts in and resolves the filter.
 */
export function prepareTelephonyQuery(
  ctx: UseCaseContext,
  filter: TelephonyFilter,
): TelephonyQuery {
  const accountId = ctx.accountId;
  ctx.authorize("reports:view_telephony_log", { accountId });
  const from = parseTime("from", filter.from);
  const to = parseTime("to", filter.to);
  if (from && to && from > to) throw new Invalid("to", "must not be before from");
  const user = filter.user?.trim();
  if (user !== undefined && user.length > 300)
    throw new Invalid("user", "must be at most 300 characters");
  return {
    accountId,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(user ? (USER_ID.test(user) ? { userId: user } : { username: user }) : {}),
    ...(filter.context ? { context: filter.context } : {}),
    scope: logScopeOf(ctx, accountId),
  };
}
