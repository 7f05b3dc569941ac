import { isIP } from "node:net";
import addressparser from "nodemailer/lib/addressparser";

/** How the connection to the mail server is protected (GATEHOUSE_SMTP_TLS). */
export const SMTP_TLS_MODES = ["starttls", "tls", "none"] as const;
export type SmtpTls = (typeof SMTP_TLS_MODES)[number];

/** The mail server Gatehouse sends its emails through (the README's configuration table). */
export interface SmtpConfig {
  host: string;
  port: number;
  /** `starttls`: plain connection upgraded before anything is sent, refused if the server cannot;
   * `tls`: TLS from the first byte (port 465); `none`: no encryption, only to this machine. */
  tls: SmtpTls;
  auth?: { user: string; password: string };
  /** The sender: an address, with a display name if given ("Gatehouse <mfa@example.com>"). */
  from: { name: string; address: string };
}

const SMTP_VARIABLES = [
  "GATEHOUSE_SMTP_PORT",
  "GATEHOUSE_SMTP_TLS",
  "GATEHOUSE_SMTP_USER",
  "GATEHOUSE_SMTP_PASSWORD",
  "GATEHOUSE_SMTP_FROM",
] as const;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Clear text (`none`) carries the links and the mail server's password as they are: only to a
 * mail server on this machine, where they never cross a network.
 */
function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return bare === "localhost" || bare === "::1" || (isIP(bare) === 4 && bare.startsWith("127."));
}

function parsePort(raw: string | undefined, tls: SmtpTls): number {
  if (raw === undefined) return tls === "tls" ? 465 : 587;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`GATEHOUSE_SMTP_PORT must be an integer from 1 to 65535, got "${raw}"`);
  return port;
}

function parseFrom(raw: string | undefined): SmtpConfig["from"] {
  if (raw === undefined)
    throw new Error(
      'GATEHOUSE_SMTP_FROM is not set: with GATEHOUSE_SMTP_HOST, emails need a sender, such as "Gatehouse <mfa@example.com>"',
    );
  const parsed = addressparser(raw);
  const [only] = parsed;
  if (parsed.length !== 1 || !only?.address || !EMAIL.test(only.address))
    throw new Error(
      `GATEHOUSE_SMTP_FROM must be one email address, optionally with a name, such as "Gatehouse <mfa@example.com>", got "${raw}"`,
    );
  return { name: only.name, address: only.address };
}

/**
 * The GATEHOUSE_SMTP_* variables, or undefined when no mail server is configured (then nothing is
 * emailed, and what would be is refused or handed to the caller). Incomplete or invalid settings
 * stop the start-up with a sentence naming the variable, rather than fail at the first email.
 */
export function parseSmtpConfig(env: NodeJS.ProcessEnv): SmtpConfig | undefined {
  const host = nonEmpty(env.GATEHOUSE_SMTP_HOST);
  if (host === undefined) {
    const stray = SMTP_VARIABLES.find((name) => nonEmpty(env[name]) !== undefined);
    if (stray)
      throw new Error(
        `GATEHOUSE_SMTP_HOST is not set, but ${stray} is: set the mail server's host name too, or unset the GATEHOUSE_SMTP_* variables`,
      );
    return undefined;
  }
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  if (!HOST_NAME.test(bare) && isIP(bare) === 0)
    throw new Error(
      `GATEHOUSE_SMTP_HOST must be a host name or IP address, without a scheme or port (those are GATEHOUSE_SMTP_TLS and GATEHOUSE_SMTP_PORT), got "${host}"`,
    );
  const tlsText = nonEmpty(env.GATEHOUSE_SMTP_TLS)?.toLowerCase() ?? "starttls";
  if (!(SMTP_TLS_MODES as readonly string[]).includes(tlsText))
    throw new Error(
      `GATEHOUSE_SMTP_TLS must be one of ${SMTP_TLS_MODES.join(", ")}, got "${env.GATEHOUSE_SMTP_TLS}"`,
    );
  const tls = tlsText as SmtpTls;
  if (tls === "none" && !isLoopback(bare))
    throw new Error(
      `GATEHOUSE_SMTP_TLS=none sends links and the password unencrypted, so it is allowed only for a mail server on this machine (localhost, 127.0.0.1, ::1), not ${host}: use starttls or tls`,
    );
  const port = parsePort(nonEmpty(env.GATEHOUSE_SMTP_PORT), tls);
  const user = nonEmpty(env.GATEHOUSE_SMTP_USER);
  // A password is taken as written: spaces may be part of it.
  const password = env.GATEHOUSE_SMTP_PASSWORD || undefined;
  if (user !== undefined && password === undefined)
    throw new Error("GATEHOUSE_SMTP_PASSWORD is not set: GATEHOUSE_SMTP_USER needs its password");
  if (password !== undefined && user === undefined)
    throw new Error("GATEHOUSE_SMTP_USER is not set: GATEHOUSE_SMTP_PASSWORD needs its user name");
  return {
    host: bare,
    port,
    tls,
    ...(user !== undefined && password !== undefined ? { auth: { user, password } } : {}),
    from: parseFrom(nonEmpty(env.GATEHOUSE_SMTP_FROM)),
  };
}
