import { sql } from "kysely";
import type { UseCaseContext } from "../context.js";

export interface AccountInfo {
  admin_count: number;
  integration_count: number;
  /** Gatehouse sends no SMS or calls, so an account holds no telephony credits. */
  telephony_credits_remaining: number;
  user_count: number;
  user_pending_deletion_count: number;
}

/** Duo's info summary of the account the caller acts in (research/duo-api.md §4.9). */
export async function accountInfo(ctx: UseCaseContext): Promise<AccountInfo> {
  ctx.authorize("dashboard:view");
  const { rows } = await sql<Omit<AccountInfo, "telephony_credits_remaining">>`
    select
      (select count(*)::int from admins where account_id = ${ctx.accountId}) as admin_count,
      (select count(*)::int from applications where account_id = ${ctx.accountId}) as integration_count,
      (select count(*)::int from users where account_id = ${ctx.accountId}) as user_count,
      (select count(*)::int from users where account_id = ${ctx.accountId}
          and status = 'pending deletion') as user_pending_deletion_count`.execute(ctx.tx);
  const counts = rows[0] ?? {
    admin_count: 0,
    integration_count: 0,
    user_count: 0,
    user_pending_deletion_count: 0,
  };
  return { ...counts, telephony_credits_remaining: 0 };
}
