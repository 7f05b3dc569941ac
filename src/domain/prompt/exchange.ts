import type { Executor } from "../../db/executor.js";
import { hashToken } from "../../db/ids.js";

/** The authentication log's entry behind a prompt's outcome (R-AUTH-4), as the token reports it. */
export interface LoggedAttempt {
  txid: string;
  createdAt: Date;
  result: string;
  reason: string;
  factor: string;
  userId: string | null;
  username: string;
  groups: string[];
  applicationName: string | null;
  accessIp: string | null;
  accessHostname: string | null;
  authDeviceName: string | null;
}

/** A prompt's result, handed once to the application that started it. */
export interface ExchangedPrompt {
  username: string;
  applicationId: string;
  applicationName: string;
  result: "allow" | "deny";
  status: string;
  statusMsg: string;
  completedAt: Date;
  logged: LoggedAttempt | null;
}

export type Exchange = { ok: true; prompt: ExchangedPrompt } | { ok: false; why: string };

/**
 * The code's one exchange: it must be this application's, for the same redirect_uri, unexpired
 * and unused. Marking it used is the same statement that reads it, so two exchanges of one code
 * (a replay racing the application) give one result.
 */
export async function exchangeCode(
  executor: Executor,
  input: { applicationId: string; code: string; redirectUri: string },
  now = new Date(),
): Promise<Exchange> {
  const used = await executor
    .updateTable("prompt_sessions as s")
    .set({ code_used_at: now })
    .from("applications as a")
    .whereRef("a.id", "=", "s.application_id")
    .where("s.code_hash", "=", hashToken(input.code))
    .where("s.application_id", "=", input.applicationId)
    .where("s.code_used_at", "is", null)
    .where("s.code_expires_at", ">", now)
    .returning([
      "s.username",
      "s.redirect_uri",
      "s.result",
      "s.status",
      "s.status_msg",
      "s.completed_at",
      "s.txid",
      "s.account_id",
      "a.name as application_name",
    ])
    .executeTakeFirst();
  if (!used || used.result === null || used.completed_at === null)
    return { ok: false, why: "the code is unknown, expired or already used" };
  if (used.redirect_uri !== input.redirectUri)
    return { ok: false, why: "redirect_uri is not the one the login started with" };
  const logged =
    used.txid === null
      ? undefined
      : await executor
          .selectFrom("authentication_log")
          .selectAll()
          .where("txid", "=", used.txid)
          .where("account_id", "=", used.account_id)
          .orderBy("id", "desc")
          .executeTakeFirst();
  return {
    ok: true,
    prompt: {
      username: used.username,
      applicationId: input.applicationId,
      applicationName: used.application_name,
      result: used.result,
      status: used.status ?? used.result,
      statusMsg: used.status_msg ?? "",
      completedAt: new Date(used.completed_at),
      logged: logged
        ? {
            txid: logged.txid,
            createdAt: new Date(logged.created_at),
            result: logged.result,
            reason: logged.reason,
            factor: logged.factor,
            userId: logged.user_id,
            username: logged.username,
            groups: logged.user_groups,
            applicationName: logged.application_name,
            accessIp: logged.access_ip,
            accessHostname: logged.access_hostname,
            authDeviceName: logged.auth_device_name,
          }
        : null,
    },
  };
}
