/**
 * Email, as the rest of Gatehouse sees it: one message to one address at a time, sent through the
 * mail server the operator configured (src/mail/smtp.ts), or no mailer at all when none is.
 */

/** One email to one address: a plain-text part and an HTML part that say the same thing. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Resolves once the mail server has taken the message; rejects with MailNotDelivered otherwise. */
  send(message: MailMessage): Promise<void>;
}

/**
 * The mail server could not be reached, or did not take the message. `why` says which in plain
 * words, without the server's address or anything of the message (it may hold a link's secret).
 */
export class MailNotDelivered extends Error {
  constructor(
    readonly why: string,
    options?: { cause?: unknown },
  ) {
    super(`the email was not delivered: ${why}`, options);
    this.name = "MailNotDelivered";
  }
}
