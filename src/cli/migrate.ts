import { migrate, pendingMigrations } from "../db/migrate.js";
import type { CommandEnvironment } from "./host.js";
import { type CommandOutput, print } from "./output.js";

/** Opened without migrating: `--status` reports what is pending, a plain run applies it. */
export async function migrateCommand(
  { storage }: CommandEnvironment,
  options: { status?: boolean },
  output: CommandOutput,
): Promise<number> {
  const { database, migrations } = storage;
  if (options.status) {
    const pending = await pendingMigrations(database, migrations);
    const applied = migrations.length - pending.length;
    await print(
      output.stdout,
      `${database.location}: ${applied} applied, ${pending.length} pending${pending.length ? ` (${pending.join(", ")})` : ""}\n`,
    );
    return pending.length ? 3 : 0;
  }
  const applied = await migrate(database, migrations);
  await print(
    output.stdout,
    applied.length
      ? `${database.location}: applied ${applied.join(", ")}\n`
      : `${database.location}: up to date (${migrations.length} migrations)\n`,
  );
  return 0;
}
