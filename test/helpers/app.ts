import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { readMigrations } from "../../src/db/migrate.js";
import type { Database } from "../../src/db/schema.js";
import { type AppOptions, buildApp } from "../../src/http/app.js";
import { openTestDatabase, type TestDatabase } from "./database.js";

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  /** The app's own database, for arranging and checking what a request did. */
  db: Kysely<Database>;
  close(): Promise<void>;
}

/** The real app on a database of its own; requests go through app.inject(). */
export async function buildTestApp(
  options: Pick<AppOptions, "throttle" | "trustProxy" | "webRoot" | "mailer"> = {},
): Promise<TestApp> {
  const database = await openTestDatabase();
  const app = await buildApp({
    database: database.handle,
    secrets: database.secrets,
    migrations: await readMigrations(),
    ...options,
  });
  return {
    app,
    database,
    db: database.handle.db,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
