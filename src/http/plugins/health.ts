import type { FastifyPluginAsync } from "fastify";
import { sql } from "kysely";
import { type Migration, pendingMigrations } from "../../db/migrate.js";

/**
 * GET /healthz: the process is alive (for restarts).
 * GET /readyz: the database answers and every migration this build ships is applied (for routing traffic).
 */
export const healthRoutes: FastifyPluginAsync<{ migrations: Migration[] }> = async (
  app,
  { migrations },
) => {
  app.get("/healthz", { config: { public: true }, logLevel: "warn" }, async () => ({
    status: "ok",
  }));

  app.get("/readyz", { config: { public: true }, logLevel: "warn" }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(app.database.db);
      const pending = await pendingMigrations(app.database, migrations);
      if (pending.length > 0) {
        return reply
          .code(503)
          .send({ status: "unavailable", reason: `migrations pending: ${pending.join(", ")}` });
      }
      return { status: "ready", database: app.database.kind };
    } catch (error) {
      app.log.warn({ err: error }, "readiness check failed");
      return reply.code(503).send({ status: "unavailable", reason: "database unreachable" });
    }
  });
};
