import type { FastifyPluginAsync } from "fastify";
import { fetchAuditRecords, prepareAuditQuery } from "../../../domain/audit-log.js";
import type { UseCaseContext } from "../../../domain/context.js";
import { ok } from "../envelope.js";
import { asIntegration, paramsOf } from "../use-case.js";

/** Duo's v1 logs answer at most 1000 records a call; a client asks again from the last timestamp + 1. */
const V1_LOG_LIMIT = 1000;

/** research/duo-api.md §4.9: one record of the v1 administrator log. */
export interface DuoAdministratorLogEntry {
  action: string;
  /** A JSON string: what the action set (its "after"), or what it removed (its "before"). */
  description: string;
  isotimestamp: string;
  /** The object's name (or its id when it has none), null when the action had no object. */
  object: string | null;
  timestamp: number;
  /** Duo's words: the admin's name, "API" for an integration, "System" for Gatehouse itself. */
  username: string;
  /** Gatehouse: who acted, exactly (Duo's username "API" does not say which integration). */
  actor: { kind: "admin" | "application" | "system"; id: string | null; name: string };
  /** Gatehouse: the object's kind and id (Duo gives its name only). */
  object_kind: string | null;
  object_id: string | null;
}

function isoSeconds(time: Date): string {
  return `${time.toISOString().slice(0, 19)}+00:00`;
}

/**
 * The Administrator Actions log from `mintime` on, oldest first, as Duo's v1 clients poll it.
 * prepareAuditQuery authorizes and resolves the filter (R-UNIT-8g included, as for the panel).
 */
async function administratorLog(
  ctx: UseCaseContext,
  mintime: number | undefined,
): Promise<DuoAdministratorLogEntry[]> {
  const query = prepareAuditQuery(ctx, {
    ...(mintime === undefined ? {} : { from: new Date(mintime * 1000).toISOString() }),
  });
  const found = await fetchAuditRecords(ctx.tx, query, V1_LOG_LIMIT, undefined, "oldest");
  return found.map((row) => {
    const createdAt = new Date(row.created_at);
    const described = row.after ?? row.before ?? {};
    return {
      action: row.action,
      description: JSON.stringify(
        row.rule === null ? described : { ...(described as object), rule: row.rule },
      ),
      isotimestamp: isoSeconds(createdAt),
      object: row.object_name ?? row.object_id,
      timestamp: Math.floor(createdAt.getTime() / 1000),
      username:
        row.actor_kind === "application"
          ? "API"
          : row.actor_kind === "system"
            ? "System"
            : row.actor_name,
      actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
      object_kind: row.object_kind,
      object_id: row.object_id,
    };
  });
}

/** research/duo-api.md §4.9: GET /admin/v1/logs/administrator ("Grant read log"). */
export const logRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    "/admin/v1/logs/administrator",
    { config: { action: "reports:view_administrator_actions" } },
    async (request) => {
      const mintime = paramsOf(request).int("mintime", { min: 0, max: 253402300799 });
      return ok(await asIntegration(app, request, "read", (ctx) => administratorLog(ctx, mintime)));
    },
  );
};
