import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/executor.js";
import { type AccessDevice, type AuthApplication, type AuthDevice, logInsert } from "./log.js";
import type { AuthOutcome } from "./outcome.js";
import type { Subject, SubjectUser } from "./subject.js";
import { sweepTransactions, transactionInsert } from "./transactions.js";

/** One authentication attempt: by which application, for whom, from where. */
export interface Attempt {
  application: AuthApplication;
  subject: Subject;
  access: AccessDevice;
  /** Keep the outcome for auth_status (async=1). */
  async: boolean;
}

/**
 * What every attempt writes: the log entry when the outcome is one (R-AUTH-4), and the outcome
 * for auth_status when the client asked for it (async=1). With `onlyWith`, each is written only
 * if that common table expression of the statement they join has a row.
 */
export function attemptRecords(
  attempt: Attempt,
  outcome: AuthOutcome,
  user: Pick<SubjectUser, "id" | "username" | "groups"> | null,
  factor: string,
  device: AuthDevice | null = null,
  onlyWith?: string,
): RawBuilder<unknown>[] {
  return [
    ...(outcome.logged === null
      ? []
      : [
          logInsert(
            {
              txid: outcome.txid,
              accountId: attempt.application.accountId,
              application: attempt.application,
              result: outcome.logged.result,
              reason: outcome.logged.reason,
              factor,
              user: {
                id: user?.id ?? null,
                username: user?.username ?? attempt.subject.requested,
                groups: user?.groups ?? [],
              },
              access: attempt.access,
              authDevice: device,
              policy: outcome.logged.decidedBy ?? null,
            },
            onlyWith,
          ),
        ]),
    ...(attempt.async ? [transactionInsert(attempt.application, outcome, onlyWith)] : []),
  ];
}

/**
 * Statements as common table expressions of one statement, named `step0`, `step1`, ... after the
 * ones given by name: one round trip, and one implicit transaction, for all of them.
 */
export function oneStatement(
  named: readonly [string, RawBuilder<unknown>][],
  more: readonly RawBuilder<unknown>[],
  select: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const parts = [
    ...named.map(([name, statement]) => sql`${sql.table(name)} as (${statement})`),
    ...more.map((statement, i) => sql`${sql.table(`step${i}`)} as (${statement})`),
  ];
  return parts.length === 0 ? select : sql`with ${sql.join(parts)} ${select}`;
}

/** Writes an attempt's records in one statement (see attemptRecords). */
export async function recordAttempt(
  executor: Executor,
  attempt: Attempt,
  outcome: AuthOutcome,
  user: Pick<SubjectUser, "id" | "username" | "groups"> | null,
  factor: string,
  device: AuthDevice | null = null,
): Promise<void> {
  const records = attemptRecords(attempt, outcome, user, factor, device);
  if (records.length === 0) return;
  await oneStatement([], records, sql`select 1`).execute(executor);
  if (attempt.async) await sweepTransactions(executor);
}
