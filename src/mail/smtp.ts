import nodemailer from "nodemailer";
import type { SmtpConfig } from "./config.js";
import { type Mailer, MailNotDelivered } from "./mailer.js";

/** What the mailer logs: a failure's kind and where it happened, never a message's content. */
export interface MailLogger {
  warn(facts: object, message: string): void;
}

export interface SmtpMailerOptions {
  /** Certificates to trust besides the system's (a private CA's, or a test's self-signed one). */
  ca?: string | Buffer;
  logger?: MailLogger;
}

/**
 * A use case sends its email before its transaction commits, so that a message the server does not
 * take changes nothing (src/domain/email.ts); these limits bound how long a silent server can hold
 * that transaction. A mail relay answers within a second or two when it answers at all.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** The server's reply, trimmed to one short line, where it refused the message. */
function serverReply(response: unknown): string {
  if (typeof response !== "string" || response.trim() === "") return "";
  const line = response.replace(/\s+/g, " ").trim();
  return `: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`;
}

/** Node's certificate checks fail with codes such as DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED. */
const CERTIFICATE_FAILURE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/;

/** Why nodemailer failed, in the words an administrator acts on. */
function why(error: unknown): string {
  const { code, originalCode, response, message } = error as {
    code?: unknown;
    originalCode?: unknown;
    response?: unknown;
    message?: unknown;
  };
  if (typeof originalCode === "string" && CERTIFICATE_FAILURE.test(originalCode))
    return `the mail server's certificate is not trusted (${String(message)})`;
  switch (code) {
    case "EAUTH":
    case "ENOAUTH":
      return "the mail server did not accept Gatehouse's user name and password";
    case "ETLS":
      return "no secure connection could be made to the mail server";
    case "EENVELOPE":
    case "EMESSAGE":
      return `the mail server refused the message${serverReply(response)}`;
    default:
      return "the mail server could not be reached";
  }
}

/**
 * The mailer over SMTP (nodemailer): one connection per message, STARTTLS required unless the
 * configuration says implicit TLS, or, to this machine only, none (src/mail/config.ts).
 * Nodemailer's own logging stays off: its debug output would hold the message, links included.
 */
export function smtpMailer(config: SmtpConfig, options: SmtpMailerOptions = {}): Mailer {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.tls === "tls",
    requireTLS: config.tls === "starttls",
    ignoreTLS: config.tls === "none",
    ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.password } } : {}),
    ...(options.ca ? { tls: { ca: options.ca } } : {}),
    ...TIMEOUTS,
    logger: false,
    debug: false,
  });
  const server = `${config.host}:${config.port}`;
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from: config.from,
          // An address object, so that nothing in it is read as a second recipient.
          to: { name: "", address: message.to },
          subject: message.subject,
          text: message.text,
          html: message.html,
          disableFileAccess: true,
          disableUrlAccess: true,
        });
      } catch (error) {
        const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
        options.logger?.warn(
          { mail_server: server, code, response_code: responseCode },
          "email not delivered",
        );
        throw new MailNotDelivered(why(error), { cause: error });
      }
    },
  };
}
