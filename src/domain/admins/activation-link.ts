import type { Mailer } from "../../mail/mailer.js";
import { type ActivationLink, createActivationLink } from "../activation.js";
import type { UseCaseContext } from "../context.js";
import { Conflict } from "../errors.js";
import { emailActivationLink } from "./activation-email.js";
import { activationDays } from "./fields.js";
import { adminObject, findAdmin } from "./view.js";

/** What the caller is shown once: the link is a secret, so it is never stored or logged (R-ADM-2). */
export interface ActivationLinkView {
  url: string;
  expires_at: string;
  /** Where the link was emailed, when it was (R-ADM-2). */
  emailed_to?: string;
}

/**
 * R-ADM-2: a new single-use activation link for the admin; every older link not yet used stops
 * working, so only the newest one sent can activate the admin.
 */
export async function issueActivationLink(
  ctx: UseCaseContext,
  input: { adminId: string; validDays: number; publicUrl: string },
): Promise<ActivationLink> {
  await ctx.tx
    .deleteFrom("admin_activations")
    .where("admin_id", "=", input.adminId)
    .where("used_at", "is", null)
    .execute();
  return createActivationLink(ctx.tx, input);
}

/**
 * Sends again: an Owner gives a Pending Activation admin a new activation link (the old one was
 * lost or expired), emailed to them when `emailWith` is given. An admin who has activated already
 * has nothing to activate (R-ADM-2).
 */
export async function renewActivationLink(
  ctx: UseCaseContext,
  id: string,
  input: { valid_days?: number; publicUrl: string; emailWith?: Mailer },
): Promise<ActivationLinkView> {
  ctx.authorize("admins:update");
  const admin = await findAdmin(ctx, id);
  ctx.authorize("admins:update", { object: { kind: "admin", id } });
  if (admin.status !== "Pending Activation")
    throw new Conflict(
      `${admin.email} is ${admin.status}; only an administrator pending activation gets an activation link`,
      "R-ADM-2",
      "status",
    );
  const validDays = await activationDays(ctx, ctx.accountId, input.valid_days);
  const link = await issueActivationLink(ctx, {
    adminId: id,
    validDays,
    publicUrl: input.publicUrl,
  });
  await ctx.audit({
    action: "admin_activation_link",
    object: adminObject(admin),
    after: {
      valid_days: validDays,
      expires_at: link.expiresAt.toISOString(),
      ...(input.emailWith ? { emailed_to: admin.email } : {}),
    },
  });
  if (input.emailWith) await emailActivationLink(ctx, input.emailWith, admin, link);
  const view = { url: link.url, expires_at: link.expiresAt.toISOString() };
  return input.emailWith ? { ...view, emailed_to: admin.email } : view;
}
