import { type Mailer, type MailMessage, MailNotDelivered } from "../mail/mailer.js";
import { Invalid, Unavailable } from "./errors.js";

/**
 * How a use case sends an email: inside its transaction, as its last step before the audit record
 * and the commit. A message the mail server does not take throws, so the transaction rolls back and
 * the request changes nothing: no link left that nobody received, no user or phone made for it.
 * (The cost: the tenant's writers wait while the server answers, within src/mail/smtp.ts's limits.)
 */

/** The mailer, or a refusal naming the field that asked for an email when the server has none. */
export function requireMailer(mailer: Mailer | undefined, field: string): Mailer {
  if (mailer === undefined)
    throw new Invalid(
      field,
      "email delivery is not configured on this server: its operator sets GATEHOUSE_SMTP_HOST and GATEHOUSE_SMTP_FROM",
    );
  return mailer;
}

/** Sends one message; the mail server's failure becomes a 503 that says so, changing nothing. */
export async function deliver(mailer: Mailer, message: MailMessage): Promise<void> {
  try {
    await mailer.send(message);
  } catch (error) {
    if (!(error instanceof MailNotDelivered)) throw error;
    throw new Unavailable(
      `The mail server could not deliver the email to ${message.to} (${error.why}). Nothing was changed; try again later.`,
    );
  }
}
