import type { Config } from "../config.js";
import { createRecoveryOwner } from "../domain/auth/recover.js";
import { openStorage } from "../storage.js";

/** R-ADM-5: shell access to the server is the proof; the new Owner is temporary until an Owner removes it. */
export async function recover(
  config: Config,
  options: { account: string; email: string; name?: string; json?: boolean },
): Promise<void> {
  const storage = await openStorage(config);
  try {
    const result = await createRecoveryOwner(storage.database, {
      accountId: options.account,
      email: options.email,
      name: options.name,
      publicUrl: config.publicUrl,
    });
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({
          admin_id: result.adminId,
          email: result.email,
          temporary: true,
          activation_url: result.activation.url,
          activation_url_expires: Math.floor(result.activation.expiresAt.getTime() / 1000),
        })}\n`,
      );
      return;
    }
    console.log(
      [
        `Created a temporary Owner ${result.email} (${result.adminId}).`,
        `Activate it before ${result.activation.expiresAt.toISOString()}:`,
        "",
        `  ${result.activation.url}`,
        "",
        "It stays flagged as temporary in the panel and the log; remove it once access is restored.",
      ].join("\n"),
    );
  } finally {
    await storage.database.close();
  }
}
