import { createDemo } from "../domain/demo.js";
import type { CommandEnvironment } from "./host.js";
import { type CommandOutput, print, printLines } from "./output.js";

export async function demo(
  { config, storage }: CommandEnvironment,
  options: { json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const result = await createDemo(storage.database, storage.secrets, {
    publicUrl: config.publicUrl,
  });
  if (options.json) {
    await print(output.stdout, `${JSON.stringify(result)}\n`);
    return 0;
  }
  const owner = result.admins[0];
  await printLines(output.stdout, [
    `Created the demo MSP (${result.parentId}): ${result.subaccounts} subaccounts, ${result.admins.length} parent-level admins, ${result.users} users.`,
    "",
    "Start the server with `npm start` (if it is not running), then activate an admin (set a password and an authenticator):",
    ...result.admins.map(
      (admin) => `  ${admin.role.padEnd(20)} ${admin.email.padEnd(28)} ${admin.activation.url}`,
    ),
    "",
    owner ? `Sign in as ${owner.email} (Owner) to see everything.` : "",
  ]);
  return 0;
}
