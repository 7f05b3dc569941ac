import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/executor.js";
import { prepared } from "../../db/prepared.js";
import type { AuthOutcome } from "./outcome.js";
import type { MatchedPasscode } from "./passcodes.js";
import { type Attempt, attemptRecords, oneStatement } from "./record.js";
import type { SubjectUser } from "./subject.js";
import { sweepTransactions } from "./transactions.js";

/**
 * How a passcode attempt commits (R-AUTH-2, R-AUTH-3, R-AUTH-4): optimistically, in one statement.
 * The attempt was decided on the user's standing as it was read (status, failures, lockout); the
 * statement first locks the user's row only if it still stands so (`standing`), and every change
 * it makes depends on that row: the passcode spent, the failure count moved, the log entry and
 * the async outcome written. If the standing changed meanwhile (an admin disabled the user, a
 * concurrent failure counted), nothing is written and the attempt is decided again on the row as
 * it now is. One round trip and one implicit transaction for the whole attempt.
 */

export type CommitResult =
  /** Written. */
  | "committed"
  /** The user's standing changed since it was read: nothing written; decide again. */
  | "stale"
  /** The passcode was spent by a concurrent attempt: nothing written; it is a failure. */
  | "replayed";

/** The user's row, locked, only while it stands as it was read. */
function standing(user: SubjectUser): RawBuilder<unknown> {
  return sql`select id from users
    where id = ${user.id} and status = ${user.status}
      and failed_auth_attempts = ${user.failed_auth_attempts}
      and locked_until is not distinct from ${user.locked_until}::timestamptz
    for update`;
}

/**
 * What a success resets, and only what it changes: most logins only note the time, so the row's
 * update touches no indexed column and fires no trigger (PostgreSQL can then update it in place).
 */
function clearedStanding(user: SubjectUser): RawBuilder<unknown> {
  if (user.status === "locked out")
    return sql`status = 'active', failed_auth_attempts = 0, locked_until = null,`;
  return user.failed_auth_attempts === 0 ? sql`` : sql`failed_auth_attempts = 0,`;
}

const COUNTS = sql`select (select count(*) from standing)::int as standing,
  (select count(*) from spent)::int as spent`;

/** A valid passcode: spend it, clear the failures, note the login, log the success. */
export async function commitSuccess(
  executor: Executor,
  attempt: Attempt,
  user: SubjectUser,
  match: MatchedPasscode,
  outcome: AuthOutcome,
  now: Date,
): Promise<CommitResult> {
  const { rows } = await prepared(
    "auth_success",
    oneStatement(
      [
        ["standing", standing(user)],
        ["spent", match.spend(sql`select 1 from standing`, now)],
        [
          "done",
          sql`update users set ${clearedStanding(user)} last_login_at = ${now}::timestamptz
            where id in (select id from standing) and exists (select 1 from spent) returning id`,
        ],
      ],
      attemptRecords(attempt, outcome, user, match.factor, match.device, "done"),
      COUNTS,
    ),
  ).execute(executor);
  const counts = rows[0] as { standing: number; spent: number };
  if (counts.standing === 0) return "stale";
  if (counts.spent === 0) return "replayed";
  if (attempt.async) await sweepTransactions(executor, now);
  return "committed";
}

/** A wrong (or replayed) passcode: count the failure, lock the user out at the threshold, log it. */
export async function commitFailure(
  executor: Executor,
  attempt: Attempt,
  user: SubjectUser,
  next: { failed: number; lockout: { until: Date | null } | null },
  outcome: AuthOutcome,
  factor: string,
  device: MatchedPasscode["device"],
): Promise<CommitResult> {
  const status = next.lockout === null ? "active" : "locked out";
  const until = next.lockout?.until ?? null;
  const { rows } = await prepared(
    "auth_failure",
    oneStatement(
      [
        ["standing", standing(user)],
        ["spent", sql`select 1 where false`],
        [
          "done",
          sql`update users set status = ${status}, failed_auth_attempts = ${next.failed},
              locked_until = ${until}::timestamptz
            where id in (select id from standing) returning id`,
        ],
      ],
      attemptRecords(attempt, outcome, user, factor, device, "done"),
      COUNTS,
    ),
  ).execute(executor);
  const counts = rows[0] as { standing: number };
  if (counts.standing === 0) return "stale";
  if (attempt.async) await sweepTransactions(executor);
  return "committed";
}
