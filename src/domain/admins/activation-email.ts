import { composeEmail, describeTime } from "../../mail/compose.js";
import type { Mailer } from "../../mail/mailer.js";
import type { UseCaseContext } from "../context.js";
import { deliver } from "../email.js";

/**
 * R-ADM-2: the activation link emailed to the new administrator, as the last step of the use case
 * that made it (src/domain/email.ts: a message the mail server does not take undoes the whole
 * request). The link is in this email and in the caller's answer, never in a log.
 */
export async function emailActivationLink(
  ctx: UseCaseContext,
  mailer: Mailer,
  admin: { email: string; name: string },
  link: { url: string; expiresAt: Date },
): Promise<void> {
  const accountName = ctx.snapshot.accounts.get(ctx.accountId)?.name ?? "Gatehouse";
  await deliver(
    mailer,
    composeEmail({
      to: admin.email,
      subject: `Activate your administrator account for ${accountName}`,
      greeting: `Hello ${admin.name},`,
      before: [
        `You have been made an administrator of ${accountName} in Gatehouse, which adds a second step to sign-ins.`,
        "To start, open this link. You will choose a password, and set up an authenticator app for your own sign-ins.",
      ],
      link: link.url,
      after: [
        `The link works once, until ${describeTime(link.expiresAt)}. After that, ask an Owner of ${accountName} for a new one.`,
        "If you did not expect this email, do not open the link.",
      ],
    }),
  );
}
