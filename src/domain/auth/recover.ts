import type { DatabaseHandle } from "../../db/open.js";
import { insertAdmin } from "../../db/queries/admins.js";
import { findAccountSettings } from "../../db/queries/settings.js";
import { type ActivationLink, createActivationLink } from "../activation.js";
import { recordAction } from "../audit.js";
import { Conflict, NotFound } from "../errors.js";
import { parseEmail, parseName } from "../validate.js";

/**
 * R-ADM-5: an operator with shell access creates a temporary Owner in an account, pending
 * activation. The admin stays flagged `is_temporary` (panel, API, log) until an Owner removes it.
 */
export async function createRecoveryOwner(
  handle: DatabaseHandle,
  input: { accountId: string; email: string; name?: string; publicUrl: string },
): Promise<{ adminId: string; email: string; activation: ActivationLink }> {
  const email = parseEmail("email", input.email);
  const name = parseName("name", input.name ?? `Recovery owner (${email})`);
  return handle.db.transaction().execute(async (tx) => {
    const account = await tx
      .selectFrom("accounts")
      .select(["id", "name", "tenant_id"])
      .where("id", "=", input.accountId)
      .executeTakeFirst();
    if (!account) throw new NotFound("account", input.accountId);
    const holder = await tx
      .selectFrom("admins as a")
      .innerJoin("accounts as c", "c.id", "a.account_id")
      .select(["c.name", "c.id"])
      .where("a.tenant_id", "=", account.tenant_id)
      .where((eb) => eb(eb.fn("lower", ["a.email"]), "=", email.toLowerCase()))
      .executeTakeFirst();
    if (holder) {
      throw new Conflict(
        `R-TEN-6: ${email} already belongs to an administrator of ${holder.name} (${holder.id})`,
        "R-TEN-6",
        "email",
      );
    }
    // A racing insert of the same email still meets the unique index (R-TEN-6) and fails the transaction.
    const adminId = await insertAdmin(tx, {
      account_id: account.id,
      email,
      name,
      phone: null,
      role: "Owner",
      is_temporary: true,
      password_hash: null,
      totp_secret_enc: null,
    });
    const settings = await findAccountSettings(tx, account.id);
    const activation = await createActivationLink(tx, {
      adminId,
      validDays: settings.admin_activation_valid_days,
      publicUrl: input.publicUrl,
    });
    await recordAction(tx, {
      accountId: account.id,
      actor: { kind: "system", name: "Recovery (CLI)" },
      action: "admin_create",
      object: { kind: "admin", id: adminId, name: email },
      after: {
        email,
        role: "Owner",
        status: "Pending Activation",
        temporary: true,
        rule: "R-ADM-5",
      },
    });
    return { adminId, email, activation };
  });
}
