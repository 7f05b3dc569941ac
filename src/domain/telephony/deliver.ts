import { SMS_CREDITS } from "../authentication/sms.js";
import type { UseCaseContext, UseCaseMode } from "../context.js";

/**
 * A door's way to run one use case for its caller, in the account it acts in (the panel's asAdmin,
 * the Duo door's asIntegration, bound to the request). A use case that sends an SMS takes one
 * instead of a context: the gateway may take seconds to answer, and no transaction (which holds
 * the tenant's lock, src/domain/context.ts) stays open while it does. It decides and writes in
 * one, sends outside any, and records what was sent in another.
 */
export type UseCaseRunner = <T>(
  mode: UseCaseMode,
  work: (ctx: UseCaseContext) => Promise<T>,
) => Promise<T>;

/** Why a message sent is in the telephony log: the log's own contexts (0008_authentication.sql). */
export type SmsContext = "activation" | "test";

/** One SMS the gateway took, in the telephony log with its credits; never the message's text. */
export async function logSentSms(
  ctx: UseCaseContext,
  entry: { context: SmsContext; phoneNumber: string; userId?: string },
): Promise<void> {
  await ctx.tx
    .insertInto("telephony_log")
    .values({
      account_id: ctx.accountId,
      type: "sms",
      context: entry.context,
      phone_number: entry.phoneNumber,
      credits: SMS_CREDITS,
      user_id: entry.userId ?? null,
    })
    .execute();
}
