import type { DatabaseHandle } from "../db/open.js";
import type { InitializeResult } from "../domain/initialize.js";
import { printLines } from "./output.js";

export async function countAccounts(database: DatabaseHandle): Promise<number> {
  const row = await database.db
    .selectFrom("accounts")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** What a new operator should do next, printed by `serve` while the database has no account. */
export function firstRunHelp(): string {
  return [
    "",
    "Gatehouse has no account yet. Create the parent account and its first Owner:",
    "",
    `  npm run gatehouse -- init --name "Example MSP" --owner-email you@example.com`,
    "",
    "or start the server with them, which does both at once:",
    "",
    '  npm start -- --init-name "Example MSP" --init-owner-email you@example.com',
    "",
    "To explore with sample data instead (on an empty database): npm run gatehouse -- demo",
    "",
  ].join("\n");
}

export function printInitialized(
  result: InitializeResult,
  stream: NodeJS.WritableStream,
): Promise<void> {
  return printLines(stream, [
    "",
    `Created account "${result.accountName}" (${result.accountId}) and its Owner ${result.ownerEmail}.`,
    `Activate the Owner (set a password and an authenticator) before ${result.activation.expiresAt.toISOString()}:`,
    "",
    `  ${result.activation.url}`,
  ]);
}
