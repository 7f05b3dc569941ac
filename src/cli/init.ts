import type { Config } from "../config.js";
import type { Edition } from "../db/schema.js";
import { initialize } from "../domain/initialize.js";
import { openStorage } from "../storage.js";
import { printInitialized } from "./first-run.js";

export interface InitOptions {
  name: string;
  ownerEmail: string;
  ownerName?: string;
  edition: Edition;
  json?: boolean;
}

export async function init(config: Config, options: InitOptions): Promise<void> {
  const storage = await openStorage(config);
  try {
    const result = await initialize(storage.database, {
      accountName: options.name,
      ownerEmail: options.ownerEmail,
      ownerName: options.ownerName,
      edition: options.edition,
      publicUrl: config.publicUrl,
    });
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({
          account_id: result.accountId,
          account_name: result.accountName,
          owner_id: result.ownerId,
          owner_email: result.ownerEmail,
          activation_url: result.activation.url,
          activation_url_expires: Math.floor(result.activation.expiresAt.getTime() / 1000),
        })}\n`,
      );
    } else {
      printInitialized(result);
    }
  } finally {
    await storage.database.close();
  }
}
