import type { Executor } from "../../db/executor.js";
import { newToken } from "../../db/ids.js";
import type { AuthOutcome } from "../authentication/outcome.js";
import { Conflict } from "../errors.js";
import type { PromptOutcome, PromptSession } from "./sessions.js";

/** How long the application has to exchange the code it was handed. */
export const CODE_TTL_MS = 60_000;

export function promptOutcomeOf(outcome: AuthOutcome): PromptOutcome {
  return {
    result: outcome.result,
    status: outcome.status,
    statusMsg: outcome.status_msg,
    txid: outcome.logged === null ? null : outcome.txid,
  };
}

/**
 * The prompt's outcome, recorded once, with the single-use code the application will exchange for
 * it (only its hash is stored). Set only when the session has none yet: the same browser sending
 * two answers at once gets one outcome, never two codes.
 */
export async function completePrompt(
  executor: Executor,
  session: Pick<PromptSession, "id">,
  outcome: PromptOutcome,
  now = new Date(),
): Promise<string> {
  const { token: code, hash } = newToken();
  const completed = await executor
    .updateTable("prompt_sessions")
    .set({
      result: outcome.result,
      status: outcome.status,
      status_msg: outcome.statusMsg,
      txid: outcome.txid,
      completed_at: now,
      code_hash: hash,
      code_expires_at: new Date(now.getTime() + CODE_TTL_MS),
      webauthn_challenge: null,
      pending_totp_secret_enc: null,
    })
    .where("id", "=", session.id)
    .where("result", "is", null)
    .executeTakeFirst();
  if (completed.numUpdatedRows === 0n)
    throw new Conflict("This login is already finished. Go back to the application.");
  return code;
}

/**
 * A decided prompt whose browser comes back (a reload, the back button): a new code for the same
 * outcome, the old one no longer valid, as long as none was exchanged yet.
 */
export async function reissueCode(
  executor: Executor,
  session: Pick<PromptSession, "id">,
  now = new Date(),
): Promise<string> {
  const { token: code, hash } = newToken();
  const reissued = await executor
    .updateTable("prompt_sessions")
    .set({ code_hash: hash, code_expires_at: new Date(now.getTime() + CODE_TTL_MS) })
    .where("id", "=", session.id)
    .where("result", "is not", null)
    .where("code_used_at", "is", null)
    .executeTakeFirst();
  if (reissued.numUpdatedRows === 0n)
    throw new Conflict("This login is already finished. Go back to the application.");
  return code;
}

/** Where the browser goes with the code: the application's redirect_uri, as Duo's SDKs read it. */
export function redirectWithCode(
  session: Pick<PromptSession, "redirectUri" | "state" | "useDuoCode">,
  code: string,
): string {
  const url = new URL(session.redirectUri);
  url.searchParams.set(session.useDuoCode ? "duo_code" : "code", code);
  url.searchParams.set("state", session.state);
  return url.toString();
}
