import type { Config } from "../config.js";
import { pendingMigrations } from "../db/migrate.js";
import { openStorage } from "../storage.js";

export async function migrateCommand(config: Config, options: { status?: boolean }): Promise<void> {
  const storage = await openStorage(config, { migrate: !options.status });
  try {
    if (options.status) {
      const pending = await pendingMigrations(storage.database, storage.migrations);
      const applied = storage.migrations.length - pending.length;
      console.log(
        `${storage.database.location}: ${applied} applied, ${pending.length} pending${pending.length ? ` (${pending.join(", ")})` : ""}`,
      );
      process.exitCode = pending.length ? 3 : 0;
    } else {
      console.log(
        storage.applied.length
          ? `${storage.database.location}: applied ${storage.applied.join(", ")}`
          : `${storage.database.location}: up to date (${storage.migrations.length} migrations)`,
      );
    }
  } finally {
    await storage.database.close();
  }
}
