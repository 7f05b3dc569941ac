import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../db/executor.js";
import type { AuthApplication } from "./log.js";
import type { AuthOutcome } from "./outcome.js";

/** How long auth_status answers for a transaction after it starts. */
export const TRANSACTION_TTL_MS = 10 * 60_000;

/** What auth_status answers (research/duo-api.md §7). */
export interface TransactionState {
  result: "allow" | "deny" | "waiting";
  status: string;
  status_msg: string;
}

/** Every this many transactions stored, the expired ones go (they are also removed when polled). */
const SWEEP_EVERY = 500;
let storedSinceSweep = 0;

/**
 * The statement that keeps an async attempt's outcome in the database, so that any instance
 * answers auth_status for it (issue 14: state in the database, not in memory); with `onlyWith`,
 * only if that common table expression of the same statement has a row (see log.ts logInsert).
 */
export function transactionInsert(
  application: AuthApplication,
  outcome: AuthOutcome,
  onlyWith?: string,
  now = new Date(),
): RawBuilder<unknown> {
  const row = sql.join([
    sql`${outcome.txid}::uuid`,
    application.accountId,
    application.id,
    outcome.result,
    outcome.status,
    outcome.status_msg,
    sql`${new Date(now.getTime() + TRANSACTION_TTL_MS)}::timestamptz`,
  ]);
  const columns = sql.raw(
    "txid, account_id, application_id, result, status, status_msg, expires_at",
  );
  return onlyWith === undefined
    ? sql`insert into auth_transactions (${columns}) values (${row})`
    : sql`insert into auth_transactions (${columns}) select ${row} from ${sql.table(onlyWith)}`;
}

/** Removes the expired transactions now and then (they are also removed when polled). */
export async function sweepTransactions(executor: Executor, now = new Date()): Promise<void> {
  if (++storedSinceSweep < SWEEP_EVERY) return;
  storedSinceSweep = 0;
  await executor.deleteFrom("auth_transactions").where("expires_at", "<=", now).execute();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A transaction the application started and that has not expired; undefined otherwise (another
 * application's transaction is as unknown as one that never was). Expired rows are removed as
 * they are met, so the table holds only the last few minutes.
 */
export async function readTransaction(
  executor: Executor,
  application: AuthApplication,
  txid: string,
): Promise<TransactionState | undefined> {
  if (!UUID.test(txid)) return undefined;
  const row = await executor
    .selectFrom("auth_transactions")
    .select(["result", "status", "status_msg", "expires_at", "application_id"])
    .where("txid", "=", txid.toLowerCase())
    .executeTakeFirst();
  if (row === undefined || row.application_id !== application.id) return undefined;
  if (row.expires_at.getTime() <= Date.now()) {
    await executor.deleteFrom("auth_transactions").where("expires_at", "<=", new Date()).execute();
    return undefined;
  }
  return { result: row.result, status: row.status, status_msg: row.status_msg };
}
