import { createHmac, randomBytes } from "node:crypto";
import type { Executor } from "../../db/executor.js";
import { hashToken } from "../../db/ids.js";
import { findAccountSettings } from "../../db/queries/settings.js";
import type { Admin } from "../../db/schema.js";
import type { ClientInfo } from "./client.js";

export const SESSION_COOKIE = "gatehouse_session";
/** Between the password and the code: long enough to open an authenticator app, no longer. */
const SECOND_FACTOR_WINDOW_MS = 5 * 60_000;
/** last_seen_at is written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

export type SessionStage = "second_factor" | "active";

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  token: string;
  /** Derived from the cookie value (csrfTokenFor), never stored. */
  csrfToken: string;
  expiresAt: Date;
}

export interface LiveSession {
  idHash: string;
  stage: SessionStage;
  accountId: string;
  csrfToken: string;
  expiresAt: Date;
  admin: Admin;
}

/** A new session with a fresh random id (rotation: callers revoke the one it replaces). */
export async function createSession(
  executor: Executor,
  input: {
    admin: Pick<Admin, "id" | "account_id">;
    stage: SessionStage;
    client: ClientInfo;
    now: Date;
  },
): Promise<NewSession> {
  const token = randomBytes(32).toString("base64url");
  const lifetimeMs =
    input.stage === "second_factor"
      ? SECOND_FACTOR_WINDOW_MS
      : (await findAccountSettings(executor, input.admin.account_id)).admin_session_max_hours *
        3_600_000;
  const expiresAt = new Date(input.now.getTime() + lifetimeMs);
  await executor
    .insertInto("admin_sessions")
    .values({
      id_hash: hashToken(token),
      admin_id: input.admin.id,
      stage: input.stage,
      account_id: input.admin.account_id,
      ip: input.client.ip,
      user_agent: input.client.userAgent?.slice(0, 512) ?? null,
      created_at: input.now,
      last_seen_at: input.now,
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken: csrfTokenFor(token), expiresAt };
}

/**
 * The session's CSRF token: an HMAC keyed by the session's secret cookie value. Only the holder of
 * the cookie can compute it, the page's script can read it without reading the HttpOnly cookie,
 * and the database, holding only a hash of the cookie value, holds nothing that would pass.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac("sha256", sessionToken).update("gatehouse csrf token").digest("base64url");
}

/**
 * The live session behind a cookie, or undefined. A session past its absolute lifetime or its idle
 * timeout, or whose admin is no longer Active (R-ADM-1), is deleted and yields nothing: a disabled
 * admin's open session stops at its next request.
 */
export async function findLiveSession(
  executor: Executor,
  token: string,
  now: Date,
): Promise<LiveSession | undefined> {
  const idHash = hashToken(token);
  const row = await executor
    .selectFrom("admin_sessions as s")
    .innerJoin("admins as a", "a.id", "s.admin_id")
    .innerJoin("account_settings as st", "st.account_id", "a.account_id")
    .select([
      "s.id_hash",
      "s.stage",
      "s.account_id as session_account_id",
      "s.last_seen_at",
      "s.expires_at",
      "st.admin_session_idle_minutes",
    ])
    .selectAll("a")
    .where("s.id_hash", "=", idHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const idleDeadline =
    new Date(row.last_seen_at).getTime() + row.admin_session_idle_minutes * 60_000;
  if (new Date(row.expires_at) <= now || idleDeadline <= now.getTime() || row.status !== "Active") {
    await revokeSession(executor, idHash);
    return undefined;
  }
  if (now.getTime() - new Date(row.last_seen_at).getTime() >= TOUCH_INTERVAL_MS) {
    await executor
      .updateTable("admin_sessions")
      .set({ last_seen_at: now })
      .where("id_hash", "=", idHash)
      .execute();
  }
  const {
    id_hash,
    stage,
    session_account_id,
    last_seen_at,
    expires_at,
    admin_session_idle_minutes,
    ...admin
  } = row;
  return {
    idHash: id_hash,
    stage,
    accountId: session_account_id,
    csrfToken: csrfTokenFor(token),
    expiresAt: new Date(expires_at),
    admin,
  };
}

export async function revokeSession(executor: Executor, idHash: string): Promise<void> {
  await executor.deleteFrom("admin_sessions").where("id_hash", "=", idHash).execute();
}

/** Signs an admin out everywhere, or everywhere but one session (after a password or factor change). */
export async function revokeAdminSessions(
  executor: Executor,
  adminId: string,
  exceptIdHash?: string,
): Promise<number> {
  let query = executor.deleteFrom("admin_sessions").where("admin_id", "=", adminId);
  if (exceptIdHash) query = query.where("id_hash", "<>", exceptIdHash);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
