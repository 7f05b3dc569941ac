import { createRecoveryOwner } from "../domain/auth/recover.js";
import type { CommandEnvironment } from "./host.js";
import { type CommandOutput, print, printLines } from "./output.js";

/** R-ADM-5: shell access to the server is the proof; the new Owner is temporary until an Owner removes it. */
export async function recover(
  { config, storage }: CommandEnvironment,
  options: { account: string; email: string; name?: string; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const result = await createRecoveryOwner(storage.database, {
    accountId: options.account,
    email: options.email,
    name: options.name,
    publicUrl: config.publicUrl,
  });
  if (options.json) {
    await print(
      output.stdout,
      `${JSON.stringify({
        admin_id: result.adminId,
        email: result.email,
        temporary: true,
        activation_url: result.activation.url,
        activation_url_expires: Math.floor(result.activation.expiresAt.getTime() / 1000),
      })}\n`,
    );
    return 0;
  }
  await printLines(output.stdout, [
    `Created a temporary Owner ${result.email} (${result.adminId}).`,
    `Activate it before ${result.activation.expiresAt.toISOString()}:`,
    "",
    `  ${result.activation.url}`,
    "",
    "It stays flagged as temporary in the panel and the log; remove it once access is restored.",
  ]);
  return 0;
}
