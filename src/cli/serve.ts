import { readFile } from "node:fs/promises";
import path from "node:path";
import { createSecureContext } from "node:tls";
import closeWithGrace from "close-with-grace";
import pino from "pino";
import type { Config } from "../config.js";
import { findUnsafeCommitSettings } from "../db/commit-durability.js";
import { initialize } from "../domain/initialize.js";
import { buildApp } from "../http/app.js";
import { findWebRoot } from "../http/plugins/web-panel.js";
import { redactingLogOptions } from "../http/redact-url.js";
import { smtpMailer } from "../mail/smtp.js";
import { startMaintenance } from "../maintenance.js";
import { listen } from "../server.js";
import { openStorage } from "../storage.js";
import { countAccounts, firstRunHelp, printInitialized } from "./first-run.js";
import type { CommandEnvironment } from "./host.js";
import type { CommandOutput } from "./output.js";

const WEB_DIST = path.resolve(import.meta.dirname, "../../web/dist");

export interface ServeOptions {
  initName?: string;
  initOwnerEmail?: string;
}

/** Runs a CLI command line in the server's process, for the control socket (src/cli/hosts.ts). */
export type InServerCommand = (
  argv: string[],
  env: CommandEnvironment,
  output: CommandOutput,
) => Promise<number>;

export async function serve(
  config: Config,
  options: ServeOptions,
  runCommand?: InServerCommand,
): Promise<void> {
  const startedAt = performance.now();
  const https = config.tls ? await readTlsFiles(config.tls) : undefined;
  const logger = pino({
    level: config.logLevel,
    base: { service: "gatehouse" },
    ...redactingLogOptions,
  });
  const storage = await openStorage(config);
  logger.info({ database: storage.database.location, applied: storage.applied }, "database ready");
  const unsafeCommits = await storage.database.withSession(findUnsafeCommitSettings);
  if (unsafeCommits) logger.warn(unsafeCommits.settings, unsafeCommits.message);

  if ((await countAccounts(storage.database)) === 0 && options.initName && options.initOwnerEmail) {
    const result = await initialize(storage.database, {
      accountName: options.initName,
      ownerEmail: options.initOwnerEmail,
      publicUrl: config.publicUrl,
    });
    await printInitialized(result, process.stderr);
  }

  // `npm start` builds the panel first when it is missing or stale (scripts/web.ts).
  const webRoot = await findWebRoot(WEB_DIST);
  if (!webRoot) logger.warn({ dir: WEB_DIST }, "web panel not built: run `npm run build:web`");

  // No mail server: enrollment emails are refused, activation links only handed to the caller.
  if (config.smtp)
    logger.info(
      { mail_server: `${config.smtp.host}:${config.smtp.port}`, tls: config.smtp.tls },
      "email delivery configured",
    );
  else logger.info("email delivery not configured (GATEHOUSE_SMTP_HOST unset)");
  const app = await buildApp({
    ...storage,
    ...(config.smtp ? { mailer: smtpMailer(config.smtp, { logger }) } : {}),
    ...(webRoot ? { webRoot } : {}),
    logger,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    ...(https ? { https } : {}),
    throttle: { attemptsPerWindow: config.signInAttemptsPerWindow, windowSeconds: 900 },
    authRequestsPerSecond: config.authRequestsPerSecond,
  });
  const maintenance = startMaintenance(storage.database, logger);
  const server = await listen(app, storage.database, {
    port: config.port,
    host: config.host,
    // On PGlite the server holds the data directory: CLI commands run here, over its socket.
    ...(runCommand && !config.databaseUrl
      ? {
          control: {
            dataDir: config.dataDir,
            handle: (argv, output) => runCommand(argv, { config, storage }, output),
          },
        }
      : {}),
  });
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) logger.error({ err }, "stopping after an unexpected error");
    else logger.info({ signal }, "stopping: finishing in-flight requests");
    maintenance.stop();
    await server.stop();
    logger.info("stopped");
  });
  logger.info(
    { url: server.url, startup_ms: Math.round(performance.now() - startedAt) },
    "listening",
  );
  if ((await countAccounts(storage.database)) === 0) process.stderr.write(firstRunHelp());
}

/**
 * The PEM certificate (chain) and key for HTTPS, checked before the database opens: an unreadable
 * file is named with its variable, and a key that does not fit the certificate is refused.
 */
async function readTlsFiles(
  tls: NonNullable<Config["tls"]>,
): Promise<{ cert: Buffer; key: Buffer }> {
  const read = async (variable: string, file: string) => {
    try {
      return await readFile(file);
    } catch (error) {
      throw new Error(
        `${variable}: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  const pair = {
    cert: await read("TLS_CERT", tls.certFile),
    key: await read("TLS_KEY", tls.keyFile),
  };
  try {
    createSecureContext(pair);
  } catch (error) {
    throw new Error(
      `TLS_CERT/TLS_KEY (${tls.certFile}, ${tls.keyFile}) are not a usable PEM certificate and key: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return pair;
}
