import type { Executor } from "../../db/executor.js";
import { hashToken } from "../../db/ids.js";
import type { DatabaseHandle } from "../../db/open.js";
import { findAccountSettings } from "../../db/queries/settings.js";
import type { SecretBox } from "../../db/secrets.js";
import { recordAction } from "../audit.js";
import { Invalid, NotFound } from "../errors.js";
import type { ClientInfo } from "./client.js";
import { actorOf, objectOf } from "./failures.js";
import { checkPasswordPolicy, describePasswordPolicy, hashPassword } from "./password.js";
import { revokeAdminSessions } from "./sessions.js";
import { newTotpEnrollment, type TotpEnrollment, verifyTotp } from "./totp.js";

/** One answer for an unknown, used or expired link: the link is the only secret, so say nothing more. */
const LINK_INVALID =
  "This activation link is invalid, has been used or has expired. Ask an Owner for a new one.";

async function findUsableActivation(executor: Executor, token: string, now: Date) {
  const row = await executor
    .selectFrom("admin_activations as v")
    .innerJoin("admins as a", "a.id", "v.admin_id")
    .select([
      "v.id as activation_id",
      "v.expires_at",
      "v.used_at",
      "v.pending_password_hash",
      "v.pending_totp_secret_enc",
    ])
    .selectAll("a")
    .where("v.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (
    !row ||
    row.used_at !== null ||
    new Date(row.expires_at) <= now ||
    row.status !== "Pending Activation"
  ) {
    throw new NotFound("activation link", "", LINK_INVALID);
  }
  return row;
}

/** What the activation page shows before anything is set: who is activating, and the password rules. */
export async function inspectActivation(handle: DatabaseHandle, token: string, now = new Date()) {
  const row = await findUsableActivation(handle.db, token, now);
  const settings = await findAccountSettings(handle.db, row.account_id);
  return {
    email: row.email,
    name: row.name,
    expiresAt: new Date(row.expires_at),
    passwordRules: describePasswordPolicy(settings),
  };
}

/**
 * R-ADM-2 step 1: the new password, checked against the policy (R-ADM-3), and a new authenticator
 * secret. Both wait on the link until step 2 confirms a code, so nothing about the admin changes yet.
 * Repeating this step replaces both.
 */
export async function setActivationPassword(
  handle: DatabaseHandle,
  secrets: SecretBox,
  input: { token: string; password: string; now?: Date },
): Promise<TotpEnrollment> {
  const now = input.now ?? new Date();
  const row = await findUsableActivation(handle.db, input.token, now);
  checkPasswordPolicy(
    await findAccountSettings(handle.db, row.account_id),
    input.password,
    row.email,
  );
  const enrollment = await newTotpEnrollment(row.email);
  await handle.db
    .updateTable("admin_activations")
    .set({
      pending_password_hash: await hashPassword(input.password),
      pending_totp_secret_enc: secrets.seal(enrollment.secret, row.activation_id),
    })
    .where("id", "=", row.activation_id)
    .execute();
  return enrollment;
}

/**
 * R-ADM-2 step 2: a code from the new authenticator proves it is enrolled; the admin becomes Active
 * with the password and secret of step 1, and the link is spent, in one transaction.
 */
export async function completeActivation(
  handle: DatabaseHandle,
  secrets: SecretBox,
  input: { token: string; code: string; client: ClientInfo; now?: Date },
): Promise<{ adminId: string; email: string }> {
  const now = input.now ?? new Date();
  return handle.db.transaction().execute(async (tx) => {
    const row = await findUsableActivation(tx, input.token, now);
    if (!row.pending_password_hash || !row.pending_totp_secret_enc) {
      throw new Invalid("password", "set a password before confirming the authenticator");
    }
    const secret = secrets.open(row.pending_totp_secret_enc, row.activation_id);
    const step = verifyTotp(secret, input.code.trim(), null, now.getTime());
    if (step === null)
      throw new Invalid(
        "code",
        "the code does not match the authenticator; check the device's clock and try again",
      );
    const spent = await tx
      .updateTable("admin_activations")
      .set({ used_at: now, pending_password_hash: null, pending_totp_secret_enc: null })
      .where("id", "=", row.activation_id)
      .where("used_at", "is", null)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) throw new NotFound("activation link", "", LINK_INVALID);
    await tx
      .deleteFrom("admin_activations")
      .where("admin_id", "=", row.id)
      .where("id", "<>", row.activation_id)
      .execute();
    await tx
      .updateTable("admins")
      .set({
        status: "Active",
        password_hash: row.pending_password_hash,
        password_changed_at: now,
        totp_secret_enc: secrets.seal(secret, row.id),
        totp_last_step: step,
        failed_sign_ins: 0,
        locked_until: null,
        updated_at: now,
      })
      .where("id", "=", row.id)
      .execute();
    await revokeAdminSessions(tx, row.id);
    await recordAction(tx, {
      accountId: row.account_id,
      actor: actorOf(row),
      action: "admin_activate",
      object: objectOf(row),
      before: { status: "Pending Activation" },
      after: { status: "Active", factor: "totp" },
      ip: input.client.ip,
      userAgent: input.client.userAgent,
    });
    return { adminId: row.id, email: row.email };
  });
}
