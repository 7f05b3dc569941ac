import type { Config } from "./config.js";
import { type Migration, migrate, readMigrations } from "./db/migrate.js";
import { type DatabaseHandle, openDatabase } from "./db/open.js";
import { createSecretBox, loadSecretKey, type SecretBox } from "./db/secrets.js";

export interface Storage {
  database: DatabaseHandle;
  secrets: SecretBox;
  migrations: Migration[];
  /** Names of the migrations this open applied. */
  applied: string[];
}

/**
 * Opens the configured database (PostgreSQL with DATABASE_URL, embedded PGlite otherwise), applies
 * pending migrations and loads the key for secrets at rest.
 */
export async function openStorage(
  config: Config,
  options: { migrate?: boolean } = {},
): Promise<Storage> {
  const database = await openDatabase(
    config.databaseUrl
      ? { kind: "postgres", url: config.databaseUrl, poolSize: config.poolSize }
      : { kind: "pglite", dataDir: config.dataDir },
  );
  try {
    const secrets = createSecretBox(
      await loadSecretKey({
        secretKey: config.secretKey,
        dataDir: config.databaseUrl ? undefined : config.dataDir,
      }),
    );
    const migrations = await readMigrations();
    const applied = options.migrate === false ? [] : await migrate(database, migrations);
    return { database, secrets, migrations, applied };
  } catch (error) {
    await database.close();
    throw error;
  }
}
