import type { FastifyPluginAsync } from "fastify";
import { accountInfo } from "../../../domain/accounts/info.js";
import { ok } from "../envelope.js";
import { asIntegration } from "../use-case.js";

/** research/duo-api.md §4.9: GET /admin/v1/info/summary ("Grant read information"). */
export const infoRoutes: FastifyPluginAsync = async (app) => {
  app.get("/admin/v1/info/summary", { config: { action: "dashboard:view" } }, async (request) =>
    ok(await asIntegration(app, request, "read", accountInfo)),
  );
};
