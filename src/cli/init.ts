import type { Edition } from "../db/schema.js";
import { initialize } from "../domain/initialize.js";
import { printInitialized } from "./first-run.js";
import type { CommandEnvironment } from "./host.js";
import { type CommandOutput, print } from "./output.js";

export interface InitOptions {
  name: string;
  ownerEmail: string;
  ownerName?: string;
  edition: Edition;
  json?: boolean;
}

export async function init(
  { config, storage }: CommandEnvironment,
  options: InitOptions,
  output: CommandOutput,
): Promise<number> {
  const result = await initialize(storage.database, {
    accountName: options.name,
    ownerEmail: options.ownerEmail,
    ownerName: options.ownerName,
    edition: options.edition,
    publicUrl: config.publicUrl,
  });
  if (!options.json) {
    await printInitialized(result, output.stderr);
    return 0;
  }
  await print(
    output.stdout,
    `${JSON.stringify({
      account_id: result.accountId,
      account_name: result.accountName,
      owner_id: result.ownerId,
      owner_email: result.ownerEmail,
      activation_url: result.activation.url,
      activation_url_expires: Math.floor(result.activation.expiresAt.getTime() / 1000),
    })}\n`,
  );
  return 0;
}
