import { composeEmail, describeTime } from "../../mail/compose.js";
import type { MailMessage } from "../../mail/mailer.js";

export interface EnrollmentEmailFacts {
  to: string;
  accountName: string;
  username: string;
  /** The user's full name, "" when none is kept. */
  realName: string;
  /** The activation page (/enroll/<token>): the secret, in this email and nowhere else. */
  link: string;
  expiresAt: Date;
}

/**
 * R-AUTH-5: the enrollment email. Plain words: who asks, what the link does, what to install,
 * until when it works, and what to do with an email one did not expect.
 */
export function enrollmentEmail(facts: EnrollmentEmailFacts): MailMessage {
  return composeEmail({
    to: facts.to,
    subject: `Set up your authenticator app for ${facts.accountName}`,
    greeting: `Hello ${facts.realName || facts.username},`,
    before: [
      `${facts.accountName} asks you to set up an authenticator app. When you sign in as ${facts.username}, you will type a code from it.`,
      "Open this link on your computer or your phone. It shows a QR code to scan with an authenticator app, such as Microsoft Authenticator, Google Authenticator or 1Password, then asks for the code the app shows.",
    ],
    link: facts.link,
    after: [
      `The link works once, until ${describeTime(facts.expiresAt)}. After that, ask your administrator for a new one.`,
      "If you did not expect this email, do not open the link, and tell your administrator.",
    ],
  });
}
