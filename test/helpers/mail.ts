import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { SMTPServer } from "smtp-server";
import { readMigrations } from "../../src/db/migrate.js";
import { buildApp } from "../../src/http/app.js";
import type { SmtpConfig, SmtpTls } from "../../src/mail/config.js";
import type { Mailer, MailMessage } from "../../src/mail/mailer.js";
import { type SmtpMailerOptions, smtpMailer } from "../../src/mail/smtp.js";
import { openTestDatabase } from "./database.js";
import { type HttpsTestServer, makeCertificate } from "./duo.js";

/** One message as the test's mail server received it, its raw RFC 5322 text read by hand. */
export interface ReceivedMail {
  /** The envelope: MAIL FROM and RCPT TO. */
  from: string;
  to: string[];
  /** The user the client authenticated as, if any. */
  user: string | undefined;
  /** Whether the message travelled over TLS (implicit or after STARTTLS). */
  secure: boolean;
  raw: string;
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
}

export interface TestMailServer {
  port: number;
  /** The self-signed certificate it presents (to give the mailer as its CA). */
  cert: Buffer;
  received: ReceivedMail[];
  /** From now on, answer every message's DATA with this SMTP reply (code and text); undefined accepts. */
  refuseWith(reply: { code: number; text: string } | undefined): void;
  /** The next message received (already received ones first), within the test's own time limit. */
  next(): Promise<ReceivedMail>;
  /** The configuration Gatehouse would read to use this server. */
  config(overrides?: Partial<SmtpConfig>): SmtpConfig;
  close(): Promise<void>;
}

export const TEST_SENDER = { name: "Gatehouse", address: "mfa@gatehouse.test" };
export const TEST_SMTP_USER = { user: "gatehouse", password: "smtp pass word" };

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1: STARTTLS with a self-signed
 * certificate and a required login (the default), implicit TLS, or, for `none`, neither TLS nor
 * login (what GATEHOUSE_SMTP_TLS=none allows, on this machine only). It keeps what it receives.
 */
export async function startMailServer(tls: SmtpTls = "starttls"): Promise<TestMailServer> {
  const { cert, key } = makeCertificate();
  const received: ReceivedMail[] = [];
  const waiting: ((mail: ReceivedMail) => void)[] = [];
  let taken = 0;
  let refusal: { code: number; text: string } | undefined;
  const server = new SMTPServer({
    secure: tls === "tls",
    key,
    cert,
    logger: false,
    banner: "Gatehouse test mail server",
    ...(tls === "none"
      ? { disabledCommands: ["STARTTLS", "AUTH"], authOptional: true }
      : {
          authOptional: false,
          onAuth(auth, _session, callback) {
            if (auth.username === TEST_SMTP_USER.user && auth.password === TEST_SMTP_USER.password)
              return callback(null, { user: auth.username });
            return callback(new Error("Invalid username or password"));
          },
        }),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (refusal) {
          const error = Object.assign(new Error(refusal.text), { responseCode: refusal.code });
          return callback(error);
        }
        const mail = parseMail(Buffer.concat(chunks).toString("utf8"), {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          user: typeof session.user === "string" ? session.user : undefined,
          secure: session.secure,
        });
        received.push(mail);
        waiting.shift()?.(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    cert,
    received,
    refuseWith(reply) {
      refusal = reply;
    },
    next() {
      const ready = received[taken];
      if (ready) {
        taken += 1;
        return Promise.resolve(ready);
      }
      return new Promise((resolve) => {
        waiting.push((mail) => {
          taken += 1;
          resolve(mail);
        });
      });
    },
    config(overrides = {}) {
      return {
        host: "127.0.0.1",
        port,
        tls,
        ...(tls === "none" ? {} : { auth: TEST_SMTP_USER }),
        from: TEST_SENDER,
        ...overrides,
      };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The mailer Gatehouse builds for this server, trusting its self-signed certificate. */
export function mailerFor(server: TestMailServer, options: SmtpMailerOptions = {}) {
  return smtpMailer(server.config(), { ca: server.cert, ...options });
}

/**
 * The mailer an app is built with, whose mail server a test can change: the real SMTP mailer of a
 * test server, one pointed at a port where nothing listens (a server that is down), and back.
 */
export class SwitchableMailer implements Mailer {
  constructor(private current: Mailer) {}
  use(mailer: Mailer): void {
    this.current = mailer;
  }
  send(message: MailMessage): Promise<void> {
    return this.current.send(message);
  }
}

/** The real app over HTTPS on a free port (as test/helpers/duo.ts's startHttpsServer), with a mailer. */
export async function startHttpsServerWithMail(
  mailer: Mailer | undefined,
): Promise<HttpsTestServer> {
  const database = await openTestDatabase();
  const { cert, key } = makeCertificate();
  const app = await buildApp({
    database: database.handle,
    secrets: database.secrets,
    migrations: await readMigrations(),
    https: { cert, key },
    apiRequestsPerSecond: 1000,
    ...(mailer ? { mailer } : {}),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    app,
    database,
    port,
    cert,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** A port where nothing listens: a mail server that is down. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The first `/enroll/<token>` or `/activate/<token>` link in a text. */
export function linkIn(text: string, kind: "enroll" | "activate"): string {
  const found = new RegExp(`https?://[^\\s<>"]+/${kind}/[A-Za-z0-9_-]{20,}`).exec(text)?.[0];
  if (!found) throw new Error(`no /${kind}/ link in:\n${text}`);
  return found;
}

// --- RFC 5322 / MIME, as much as nodemailer's messages need (mailparser is not installed) ---

function splitHead(raw: string): { head: string; body: string } {
  const at = raw.indexOf("\r\n\r\n");
  return at < 0 ? { head: raw, body: "" } : { head: raw.slice(0, at), body: raw.slice(at + 4) };
}

/** Header fields by lower-cased name, folded lines unfolded. */
function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const joined = text.replace(/=\r\n/g, "");
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i] ?? "", "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch (encoding?.toLowerCase()) {
    case "quoted-printable":
      return decodeQuotedPrintable(body);
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    default:
      return body;
  }
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= and =?UTF-8?B?...?=) in a header. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset, kind: string, text: string) =>
      kind.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}

function parameter(value: string | undefined, name: string): string | undefined {
  return new RegExp(`${name}="?([^";]+)"?`, "i").exec(value ?? "")?.[1];
}

/** The text/plain and text/html parts of a message, however nested in multiparts. */
function partsOf(headers: Map<string, string>, body: string, into: Map<string, string>): void {
  const type = headers.get("content-type") ?? "text/plain";
  const boundary = parameter(type, "boundary");
  if (type.toLowerCase().startsWith("multipart/") && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith("--")) break;
      const part = splitHead(section.replace(/^\r\n/, ""));
      partsOf(parseHeaders(part.head), part.body.replace(/\r\n$/, ""), into);
    }
    return;
  }
  const mime = type.split(";")[0]?.trim().toLowerCase() ?? "text/plain";
  if (!into.has(mime)) into.set(mime, decodeBody(body, headers.get("content-transfer-encoding")));
}

export function parseMail(
  raw: string,
  envelope: Pick<ReceivedMail, "from" | "to" | "user" | "secure">,
): ReceivedMail {
  const { head, body } = splitHead(raw);
  const headers = parseHeaders(head);
  const parts = new Map<string, string>();
  partsOf(headers, body, parts);
  return {
    ...envelope,
    raw,
    headers,
    subject: decodeWords(headers.get("subject") ?? ""),
    text: (parts.get("text/plain") ?? "").replace(/\r\n/g, "\n"),
    html: (parts.get("text/html") ?? "").replace(/\r\n/g, "\n"),
  };
}
