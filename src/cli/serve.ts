import closeWithGrace from "close-with-grace";
import pino from "pino";
import type { Config } from "../config.js";
import { initialize } from "../domain/initialize.js";
import { buildApp } from "../http/app.js";
import { startMaintenance } from "../maintenance.js";
import { listen } from "../server.js";
import { openStorage } from "../storage.js";
import { countAccounts, firstRunHelp, printInitialized } from "./first-run.js";

export interface ServeOptions {
  initName?: string;
  initOwnerEmail?: string;
}

export async function serve(config: Config, options: ServeOptions): Promise<void> {
  const startedAt = performance.now();
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

  const app = await buildApp({
    ...storage,
    logger,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
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
