import type { Config } from "../config.js";
import { createDemo } from "../domain/demo.js";
import { openStorage } from "../storage.js";

export async function demo(config: Config, options: { json?: boolean }): Promise<void> {
  const storage = await openStorage(config);
  try {
    const result = await createDemo(storage.database, storage.secrets, {
      publicUrl: config.publicUrl,
    });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const owner = result.admins[0];
    console.log(
      [
        `Created the demo MSP (${result.parentId}): ${result.subaccounts} subaccounts, ${result.admins.length} parent-level admins, ${result.users} users.`,
        "",
        "Start the server with `npm start`, then activate an admin (set a password and an authenticator):",
        ...result.admins.map(
          (admin) => `  ${admin.role.padEnd(20)} ${admin.email.padEnd(28)} ${admin.activation.url}`,
        ),
        "",
        owner ? `Sign in as ${owner.email} (Owner) to see everything.` : "",
      ].join("\n"),
    );
  } finally {
    await storage.database.close();
  }
}
