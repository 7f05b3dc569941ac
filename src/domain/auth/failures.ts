import type { Executor } from "../../db/executor.js";
import { findAccountSettings } from "../../db/queries/settings.js";
import type { Admin } from "../../db/schema.js";
import { recordAction } from "../audit.js";
import type { ClientInfo } from "./client.js";
import { revokeAdminSessions } from "./sessions.js";

/** Why a sign-in failed, as the log records it; the client is only ever told that it failed (R-ADM-4). */
export type FailureReason =
  | "wrong password"
  | "wrong second factor"
  | "wrong security key"
  | "locked out"
  | "status Disabled"
  | "status Expired"
  | "status Pending Activation"
  | "expired for inactivity";

/** The failures that count towards a lockout: what the admin got wrong, not what the account refused. */
const COUNTED: ReadonlySet<FailureReason> = new Set([
  "wrong password",
  "wrong second factor",
  "wrong security key",
]);

/**
 * R-ADM-4: counts a failed password, code or security key against the admin; at the account's
 * threshold the admin is locked for the account's lockout duration and every session is ended.
 * Every failure is logged with its true reason.
 */
export async function recordSignInFailure(
  executor: Executor,
  input: {
    admin: Admin;
    reason: FailureReason;
    client: ClientInfo;
    now: Date;
    /** What the log adds to the reason (a security key's refusal: which check failed). */
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  const { admin, reason, client, now } = input;
  const entry = {
    accountId: admin.account_id,
    actor: actorOf(admin),
    ip: client.ip,
    userAgent: client.userAgent,
  };
  await recordAction(executor, {
    ...entry,
    action: "admin_login_failed",
    object: objectOf(admin),
    after: { reason, ...input.detail },
  });
  if (!COUNTED.has(reason)) return;

  const settings = await findAccountSettings(executor, admin.account_id);
  const updated = await executor
    .updateTable("admins")
    .set((eb) => ({ failed_sign_ins: eb("failed_sign_ins", "+", 1) }))
    .where("id", "=", admin.id)
    .returning("failed_sign_ins")
    .executeTakeFirstOrThrow();
  if (updated.failed_sign_ins < settings.admin_lockout_threshold) return;
  const lockedUntil = new Date(now.getTime() + settings.admin_lockout_minutes * 60_000);
  await executor
    .updateTable("admins")
    .set({ failed_sign_ins: 0, locked_until: lockedUntil })
    .where("id", "=", admin.id)
    .execute();
  await revokeAdminSessions(executor, admin.id);
  await recordAction(executor, {
    ...entry,
    action: "admin_lockout",
    object: objectOf(admin),
    after: { failed_attempts: updated.failed_sign_ins, locked_until: lockedUntil.toISOString() },
  });
}

export function actorOf(admin: Pick<Admin, "id" | "email">) {
  return { kind: "admin" as const, id: admin.id, name: admin.email };
}

export function objectOf(admin: Pick<Admin, "id" | "email">) {
  return { kind: "admin", id: admin.id, name: admin.email };
}
