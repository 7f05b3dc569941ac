import path from "node:path";
import { parseSmtpConfig, type SmtpConfig } from "./mail/config.js";

/** Everything Gatehouse reads from its environment, in one place (the README's configuration table). */
export interface Config {
  /** PostgreSQL connection string; when absent, embedded PGlite in `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Where embedded PGlite keeps its data and the generated secret key. */
  dataDir: string;
  /** 32-byte key (base64 or hex) for secrets at rest; generated into `dataDir` when unset on PGlite. */
  secretKey: string | undefined;
  port: number;
  host: string;
  /** Base URL used in activation links; defaults to http://HOST:PORT (https:// when TLS is on). */
  publicUrl: string;
  /** PEM files to serve HTTPS from (TLS_CERT, TLS_KEY; both or neither); plain HTTP when absent. */
  tls?: { certFile: string; keyFile: string };
  logLevel: string;
  /** Connections in the PostgreSQL pool. */
  poolSize: number;
  /** Take client addresses and protocol from X-Forwarded-* (behind a reverse proxy). */
  trustProxy: boolean;
  /** Sign-in attempts allowed per client address per 15 minutes (R-ADM-4). */
  signInAttemptsPerWindow: number;
  /** Auth API requests each application may make per second (429 with Retry-After beyond). */
  authRequestsPerSecond: number;
  /** The mail server for enrollment and activation emails (GATEHOUSE_SMTP_*); none when unset. */
  smtp?: SmtpConfig;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parseInteger("PORT", env.PORT, 3000, 0, 65535);
  const host = nonEmpty(env.HOST) ?? "127.0.0.1";
  const tls = parseTls(env);
  const smtp = parseSmtpConfig(env);
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    dataDir: path.resolve(nonEmpty(env.GATEHOUSE_DATA_DIR) ?? "data"),
    secretKey: nonEmpty(env.GATEHOUSE_SECRET_KEY),
    port,
    host,
    publicUrl: (
      nonEmpty(env.GATEHOUSE_PUBLIC_URL) ?? `${tls ? "https" : "http"}://${urlHost(host)}:${port}`
    ).replace(/\/+$/, ""),
    ...(tls ? { tls } : {}),
    logLevel: nonEmpty(env.LOG_LEVEL) ?? "info",
    poolSize: parseInteger("GATEHOUSE_POOL_SIZE", env.GATEHOUSE_POOL_SIZE, 10, 1, 1000),
    trustProxy: ["1", "true", "yes"].includes(
      nonEmpty(env.GATEHOUSE_TRUST_PROXY)?.toLowerCase() ?? "",
    ),
    signInAttemptsPerWindow: parseInteger(
      "GATEHOUSE_SIGN_IN_ATTEMPTS",
      env.GATEHOUSE_SIGN_IN_ATTEMPTS,
      30,
      1,
      100_000,
    ),
    authRequestsPerSecond: parseInteger(
      "GATEHOUSE_AUTH_REQUESTS_PER_SECOND",
      env.GATEHOUSE_AUTH_REQUESTS_PER_SECOND,
      2000,
      1,
      1_000_000,
    ),
    ...(smtp ? { smtp } : {}),
  };
}

/** TLS_CERT and TLS_KEY name PEM files; one without the other is a mistake, named. */
function parseTls(env: NodeJS.ProcessEnv): Config["tls"] {
  const certFile = nonEmpty(env.TLS_CERT);
  const keyFile = nonEmpty(env.TLS_KEY);
  if (certFile && !keyFile)
    throw new Error("TLS_KEY is not set: HTTPS needs both TLS_CERT and TLS_KEY (PEM file paths)");
  if (keyFile && !certFile)
    throw new Error("TLS_CERT is not set: HTTPS needs both TLS_CERT and TLS_KEY (PEM file paths)");
  return certFile && keyFile
    ? { certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) }
    : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parseInteger(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = nonEmpty(raw);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}
