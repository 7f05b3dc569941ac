import { randomBytes } from "node:crypto";
import type { Executor } from "../../db/executor.js";
import { hashToken } from "../../db/ids.js";
import type { AuthApplication } from "../authentication/log.js";
import { NotFound } from "../errors.js";

/** How long a person has to finish the prompt once the application sent them. */
export const PROMPT_SESSION_TTL_MS = 10 * 60_000;

/** What the application asked for, read from its verified request object. */
export interface PromptRequest {
  username: string;
  redirectUri: string;
  state: string;
  useDuoCode: boolean;
}

/** The prompt's outcome once decided: the log entry (txid) holds the rest. */
export interface PromptOutcome {
  result: "allow" | "deny";
  status: string;
  statusMsg: string;
  txid: string | null;
}

export interface PromptSession extends PromptRequest {
  id: string;
  application: AuthApplication;
  expiresAt: Date;
  /** The person asked to manage their devices once they have proven a factor. */
  manageDevices: boolean;
  webauthnChallenge: string | null;
  pendingTotpSecretEnc: string | null;
  outcome: PromptOutcome | null;
}

/** The session's name in its URL, and the cookie value that binds it to one browser. */
export interface OpenedPrompt {
  id: string;
  browserSecret: string;
  expiresAt: Date;
}

export const PROMPT_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * A new prompt for a verified authorize request. The browser that opened it gets a secret (its
 * cookie, stored here only hashed), so the prompt's URL alone, if it leaks, completes nothing.
 */
export async function openPromptSession(
  executor: Executor,
  application: AuthApplication,
  request: PromptRequest,
  accessIp: string | null,
  now = new Date(),
): Promise<OpenedPrompt> {
  const id = randomBytes(16).toString("base64url");
  const browserSecret = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + PROMPT_SESSION_TTL_MS);
  await executor
    .insertInto("prompt_sessions")
    .values({
      id,
      account_id: application.accountId,
      application_id: application.id,
      username: request.username,
      redirect_uri: request.redirectUri,
      state: request.state,
      use_duo_code: request.useDuoCode,
      browser_hash: hashToken(browserSecret),
      access_ip: accessIp,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return { id, browserSecret, expiresAt };
}

export const SESSION_GONE =
  "This login has expired or was opened in another browser. Go back to the application and sign in again.";

/**
 * The prompt a browser is in: unknown, expired, or opened by another browser are all the same
 * answer, so the page tells a stranger nothing about a session that is not theirs.
 */
export async function findPromptSession(
  executor: Executor,
  id: string,
  browserSecret: string | undefined,
  now = new Date(),
): Promise<PromptSession> {
  // Made only when thrown: an error's stack costs more than the lookup it reports on.
  const gone = () => new NotFound("prompt", id, SESSION_GONE);
  if (!PROMPT_ID.test(id) || browserSecret === undefined) throw gone();
  const row = await executor
    .selectFrom("prompt_sessions as s")
    .innerJoin("applications as a", "a.id", "s.application_id")
    .select([
      "s.id",
      "s.account_id",
      "s.application_id",
      "a.name as application_name",
      "a.type as application_type",
      "s.username",
      "s.redirect_uri",
      "s.state",
      "s.use_duo_code",
      "s.manage_devices",
      "s.code_used_at",
      "s.browser_hash",
      "s.expires_at",
      "s.webauthn_challenge",
      "s.pending_totp_secret_enc",
      "s.result",
      "s.status",
      "s.status_msg",
      "s.txid",
    ])
    .where("s.id", "=", id)
    .executeTakeFirst();
  if (!row || row.browser_hash !== hashToken(browserSecret)) throw gone();
  if (new Date(row.expires_at) <= now) throw gone();
  return {
    id: row.id,
    application: {
      id: row.application_id,
      name: row.application_name,
      accountId: row.account_id,
      type: "websdk",
    },
    username: row.username,
    redirectUri: row.redirect_uri,
    state: row.state,
    useDuoCode: row.use_duo_code,
    expiresAt: new Date(row.expires_at),
    manageDevices: row.manage_devices && row.code_used_at === null,
    webauthnChallenge: row.webauthn_challenge,
    pendingTotpSecretEnc: row.pending_totp_secret_enc,
    outcome:
      row.result === null
        ? null
        : {
            result: row.result,
            status: row.status ?? row.result,
            statusMsg: row.status_msg ?? "",
            txid: row.txid,
          },
  };
}
