import { readFile } from "node:fs/promises";
import path from "node:path";
import { createSecureContext } from "node:tls";
import closeWithGrace from "close-with-grace";
import pino from "pino";
import type { Config } from "../config.js";
import { initialize } from "../domain/initialize.js";
import { buildApp } from "../http/app.js";
import { findWebRoot } from "../http/plugins/web-panel.js";
import { startMaintenance } from "../maintenance.js";
import { listen } from "../server.js";
import { openStorage } from "../storage.js";
import { countAccounts, firstRunHelp, printInitialized } from "./first-run.js";

const WEB_DIST = path.resolve(import.meta.dirname, "../../web/dist");

export interface ServeOptions {
  initName?: string;
  initOwnerEmail?: string;
}

export async function serve(config: Config, options: ServeOptions): Promise<void> {
  const startedAt = performance.now();
  const https = config.tls ? await readTlsFiles(config.tls) : undefined;
  const logger = pino({ level: config.logLevel, base: { service: "gatehouse" } });
  const storage = await openStorage(config);
  logger.info({ database: storage.database.location, applied: storage.applied }, "database ready");

  if ((await countAccounts(storage.database)) === 0 && options.initName && options.initOwnerEmail) {
    const result = await initialize(storage.database, {
      accountName: options.initName,
      ownerEmail: options.initOwnerEmail,
      publicUrl: config.publicUrl,
    });
    printInitialized(result);
  }

  // `npm start` builds the panel first when it is missing or stale (scripts/web.ts).
  const webRoot = await findWebRoot(WEB_DIST);
  if (!webRoot) logger.warn({ dir: WEB_DIST }, "web panel not built: run `npm run build:web`");

  const app = await buildApp({
    ...storage,
    ...(webRoot ? { webRoot } : {}),
    logger,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    ...(https ? { https } : {}),
    throttle: { attemptsPerWindow: config.signInAttemptsPerWindow, windowSeconds: 900 },
  });
  const maintenance = startMaintenance(storage.database, logger);
  const server = await listen(app, storage.database, config);
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
  if ((await countAccounts(storage.database)) === 0) process.stderr.write(firstRunHelp(config));
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
