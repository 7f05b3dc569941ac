import type { FastifyBaseLogger } from "fastify";
import type { DatabaseHandle } from "./db/open.js";
import { expireInactiveAdmins } from "./domain/auth/inactivity.js";

const EVERY_MS = 15 * 60_000;

/**
 * Housekeeping while the server runs: expires inactive admins (R-ADM-1; sign-in also checks, so a
 * late sweep never lets one in) and deletes ended sessions and stale throttle windows.
 */
export function startMaintenance(
  database: DatabaseHandle,
  logger: FastifyBaseLogger,
): { stop(): void } {
  const run = async () => {
    try {
      const now = new Date();
      const expired = await database.db
        .transaction()
        .execute((tx) => expireInactiveAdmins(tx, now));
      const sessions = await database.db
        .deleteFrom("admin_sessions")
        .where("expires_at", "<=", now)
        .executeTakeFirst();
      await database.db
        .deleteFrom("sign_in_throttle")
        .where("window_started_at", "<", new Date(now.getTime() - 86_400_000))
        .execute();
      if (expired || Number(sessions.numDeletedRows)) {
        logger.info(
          { expired_admins: expired, ended_sessions: Number(sessions.numDeletedRows) },
          "maintenance",
        );
      }
    } catch (error) {
      logger.warn({ err: error }, "maintenance failed; will retry");
    }
  };
  void run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
