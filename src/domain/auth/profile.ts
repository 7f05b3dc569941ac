import type { Executor } from "../../db/executor.js";
import type { DatabaseHandle } from "../../db/open.js";
import { findAccountSettings } from "../../db/queries/settings.js";
import type { Admin } from "../../db/schema.js";
import type { SecretBox } from "../../db/secrets.js";
import { recordAction } from "../audit.js";
import { Invalid } from "../errors.js";
import { parseName } from "../validate.js";
import type { ClientInfo } from "./client.js";
import { actorOf, objectOf } from "./failures.js";
import {
  checkPasswordPolicy,
  describePasswordPolicy,
  hashPassword,
  verifyPassword,
} from "./password.js";
import { type LiveSession, revokeAdminSessions } from "./sessions.js";
import { newTotpEnrollment, type TotpEnrollment, verifyTotp } from "./totp.js";

/**
 * R-ROLE-7: every admin reads and edits their own profile (name, phone, password, authenticator),
 * whatever their role; never their role, status, tags or units, which are not fields here at all.
 */
export interface ProfileContext {
  handle: DatabaseHandle;
  secrets: SecretBox;
  session: LiveSession;
  client: ClientInfo;
}

export interface Profile {
  admin_id: string;
  email: string;
  name: string;
  phone: string | null;
  role: string;
  subaccount_role: string | null;
  status: string;
  account_id: string;
  is_temporary: boolean;
  last_sign_in_at: string | null;
}

export function toProfile(admin: Admin): Profile {
  return {
    admin_id: admin.id,
    email: admin.email,
    name: admin.name,
    phone: admin.phone,
    role: admin.role,
    subaccount_role: admin.subaccount_role,
    status: admin.status,
    account_id: admin.account_id,
    is_temporary: admin.is_temporary,
    last_sign_in_at: admin.last_sign_in_at ? new Date(admin.last_sign_in_at).toISOString() : null,
  };
}

/** What Edit Profile shows: the profile, and the password rules a new password must follow (R-ADM-3). */
export interface OwnProfile extends Profile {
  /** The admin's own account's policy in words, as the activation page gives it. */
  password_rules: string[];
}

async function ownProfile(executor: Executor, admin: Admin): Promise<OwnProfile> {
  const settings = await findAccountSettings(executor, admin.account_id);
  return { ...toProfile(admin), password_rules: describePasswordPolicy(settings) };
}

/** R-ROLE-7: one's own profile, with the password rules (R-ADM-3). */
export function readProfile(ctx: ProfileContext): Promise<OwnProfile> {
  return ownProfile(ctx.handle.db, ctx.session.admin);
}

const E164 = /^\+[1-9][0-9]{6,14}$/;

export async function updateProfile(
  ctx: ProfileContext,
  input: { name?: string; phone?: string | null },
): Promise<OwnProfile> {
  const changes: { name?: string; phone?: string | null } = {};
  if (input.name !== undefined) changes.name = parseName("name", input.name);
  if (input.phone !== undefined) {
    const phone = input.phone?.replace(/[\s().-]/g, "") || null;
    if (phone !== null && !E164.test(phone))
      throw new Invalid("phone", "must be in international format, such as +14155550100");
    changes.phone = phone;
  }
  const admin = ctx.session.admin;
  return ctx.handle.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable("admins")
      .set({ ...changes, updated_at: new Date() })
      .where("id", "=", admin.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAction(tx, {
      ...auditBase(ctx),
      action: "admin_update",
      before: { name: admin.name, phone: admin.phone },
      after: { name: updated.name, phone: updated.phone },
    });
    return ownProfile(tx, updated);
  });
}

/** Sensitive changes to one's own sign-in ask for the current password again. */
export async function confirmCurrentPassword(admin: Admin, password: string): Promise<void> {
  if (!(await verifyPassword(admin.password_hash, password))) {
    throw new Invalid("current_password", "is not your current password");
  }
}

/** A password change proves the current password, follows the policy, and ends every other session. */
export async function changePassword(
  ctx: ProfileContext,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const admin = ctx.session.admin;
  await confirmCurrentPassword(admin, input.currentPassword);
  checkPasswordPolicy(
    await findAccountSettings(ctx.handle.db, admin.account_id),
    input.newPassword,
    admin.email,
    "new_password",
  );
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.handle.db.transaction().execute(async (tx) => {
    const now = new Date();
    await tx
      .updateTable("admins")
      .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
      .where("id", "=", admin.id)
      .execute();
    await revokeAdminSessions(tx, admin.id, ctx.session.idHash);
    await recordAction(tx, { ...auditBase(ctx), action: "admin_password_change" });
  });
}

/** Re-enrolment, step 1: after the current password, a new secret waits for a confirming code. */
export async function startFactorChange(
  ctx: ProfileContext,
  input: { currentPassword: string },
): Promise<TotpEnrollment> {
  const admin = ctx.session.admin;
  await confirmCurrentPassword(admin, input.currentPassword);
  const enrollment = await newTotpEnrollment(admin.email);
  await ctx.handle.db
    .updateTable("admins")
    .set({ totp_pending_secret_enc: ctx.secrets.seal(enrollment.secret, `${admin.id}:pending`) })
    .where("id", "=", admin.id)
    .execute();
  return enrollment;
}

/** Re-enrolment, step 2: a code from the new authenticator replaces the old one and ends other sessions. */
export async function confirmFactorChange(
  ctx: ProfileContext,
  input: { code: string },
): Promise<void> {
  await ctx.handle.db.transaction().execute(async (tx) => {
    const admin = await tx
      .selectFrom("admins")
      .selectAll()
      .where("id", "=", ctx.session.admin.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!admin.totp_pending_secret_enc)
      throw new Invalid("code", "start the authenticator change first");
    const secret = ctx.secrets.open(admin.totp_pending_secret_enc, `${admin.id}:pending`);
    const step = verifyTotp(secret, input.code.trim(), null);
    if (step === null) throw new Invalid("code", "the code does not match the new authenticator");
    await tx
      .updateTable("admins")
      .set({
        totp_secret_enc: ctx.secrets.seal(secret, admin.id),
        totp_pending_secret_enc: null,
        totp_last_step: step,
        updated_at: new Date(),
      })
      .where("id", "=", admin.id)
      .execute();
    await revokeAdminSessions(tx, admin.id, ctx.session.idHash);
    await recordAction(tx, {
      ...auditBase(ctx),
      action: "admin_factor_change",
      after: { factor: "totp" },
    });
  });
}

function auditBase(ctx: ProfileContext) {
  const admin = ctx.session.admin;
  return {
    accountId: admin.account_id,
    actor: actorOf(admin),
    object: objectOf(admin),
    ip: ctx.client.ip,
    userAgent: ctx.client.userAgent,
  };
}
