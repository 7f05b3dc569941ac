import { sql } from "kysely";
import type { Executor } from "../../db/executor.js";
import type { DatabaseHandle } from "../../db/open.js";
import { findAccountSettings } from "../../db/queries/settings.js";
import type { Admin } from "../../db/schema.js";
import type { SecretBox } from "../../db/secrets.js";
import { recordAction } from "../audit.js";
import { Unauthorized } from "../errors.js";
import type { ClientInfo } from "./client.js";
import { actorOf, type FailureReason, objectOf, recordSignInFailure } from "./failures.js";
import { expireAdmin, isInactive } from "./inactivity.js";
import { verifyPassword } from "./password.js";
import { createSession, type LiveSession, type NewSession, revokeSession } from "./sessions.js";
import { consumeSignInAttempt, type ThrottlePolicy } from "./throttle.js";
import { verifyTotp } from "./totp.js";

/** One message for every failed first step, so no response tells whether an email exists (R-ADM-4). */
export const SIGN_IN_FAILED =
  "The email or password is incorrect, or this administrator cannot sign in.";
export const SECOND_FACTOR_FAILED = "The code is incorrect or has already been used.";

export interface SignInContext {
  handle: DatabaseHandle;
  secrets: SecretBox;
  throttle: ThrottlePolicy;
  client: ClientInfo;
  now?: Date;
}

/**
 * Step 1 (R-ADM-3): email and password. On success the session waits for the second factor. Every
 * outcome costs one argon2 verification at least, and failures of every kind look alike.
 */
export async function signInWithPassword(
  ctx: SignInContext,
  input: { email: string; password: string },
): Promise<NewSession> {
  const now = ctx.now ?? new Date();
  const email = input.email.trim();
  const outcome = await ctx.handle.db.transaction().execute(async (tx) => {
    await consumeSignInAttempt(tx, ctx.client.ip, ctx.throttle, now);
    // Emails are unique per tenant (R-TEN-6), not across tenants: try each admin holding it.
    const candidates = await tx
      .selectFrom("admins")
      .selectAll()
      .where(sql<boolean>`lower(email) = lower(${email})`)
      .orderBy("created_at")
      .forUpdate()
      .execute();
    if (candidates.length === 0) {
      await verifyPassword(null, input.password);
      await recordAction(tx, {
        accountId: null,
        actor: { kind: "system", name: email.slice(0, 254) },
        action: "admin_login_failed",
        after: { reason: "unknown email" },
        ip: ctx.client.ip,
        userAgent: ctx.client.userAgent,
      });
      return undefined;
    }
    let matched: Admin | undefined;
    for (const admin of candidates) {
      if (!matched && (await verifyPassword(admin.password_hash, input.password))) matched = admin;
    }
    if (!matched) {
      for (const admin of candidates) {
        const reason: FailureReason = isLocked(admin, now) ? "locked out" : "wrong password";
        await recordSignInFailure(tx, { admin, reason, client: ctx.client, now });
      }
      return undefined;
    }
    const refusal = await refusalReason(tx, matched, now);
    if (refusal) {
      await recordSignInFailure(tx, { admin: matched, reason: refusal, client: ctx.client, now });
      return undefined;
    }
    return createSession(tx, { admin: matched, stage: "second_factor", client: ctx.client, now });
  });
  if (!outcome) throw new Unauthorized(SIGN_IN_FAILED);
  return outcome;
}

/**
 * Step 2: the TOTP code. A right code signs the admin in on a new session id (rotation) with the
 * account's absolute lifetime; a wrong one counts towards the lockout like a wrong password.
 */
export async function verifySecondFactor(
  ctx: SignInContext,
  session: LiveSession,
  code: string,
): Promise<NewSession> {
  const now = ctx.now ?? new Date();
  const outcome = await ctx.handle.db.transaction().execute(async (tx) => {
    await consumeSignInAttempt(tx, ctx.client.ip, ctx.throttle, now);
    const admin = await tx
      .selectFrom("admins")
      .selectAll()
      .where("id", "=", session.admin.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const refusal = await refusalReason(tx, admin, now);
    if (refusal) {
      await revokeSession(tx, session.idHash);
      await recordSignInFailure(tx, { admin, reason: refusal, client: ctx.client, now });
      return undefined;
    }
    const secret = admin.totp_secret_enc
      ? ctx.secrets.open(admin.totp_secret_enc, admin.id)
      : undefined;
    const step = secret
      ? verifyTotp(secret, code.trim(), admin.totp_last_step, now.getTime())
      : null;
    if (step === null) {
      await recordSignInFailure(tx, {
        admin,
        reason: "wrong second factor",
        client: ctx.client,
        now,
      });
      return undefined;
    }
    await tx
      .updateTable("admins")
      .set({ totp_last_step: step, failed_sign_ins: 0, locked_until: null, last_sign_in_at: now })
      .where("id", "=", admin.id)
      .execute();
    await revokeSession(tx, session.idHash);
    const signedIn = await createSession(tx, { admin, stage: "active", client: ctx.client, now });
    await recordAction(tx, {
      accountId: admin.account_id,
      actor: actorOf(admin),
      action: "admin_login",
      object: objectOf(admin),
      after: { factor: "totp" },
      ip: ctx.client.ip,
      userAgent: ctx.client.userAgent,
    });
    return signedIn;
  });
  if (!outcome) throw new Unauthorized(SECOND_FACTOR_FAILED);
  return outcome;
}

function isLocked(admin: Admin, now: Date): boolean {
  return admin.locked_until !== null && new Date(admin.locked_until) > now;
}

/** R-ADM-1, R-ADM-4: why an admin whose password was right still may not sign in, if anything. */
export async function refusalReason(
  tx: Executor,
  admin: Admin,
  now: Date,
): Promise<FailureReason | undefined> {
  if (isLocked(admin, now)) return "locked out";
  if (admin.status !== "Active") return `status ${admin.status}`;
  if (isInactive(admin, await findAccountSettings(tx, admin.account_id), now)) {
    await expireAdmin(tx, admin);
    return "expired for inactivity";
  }
  return undefined;
}
