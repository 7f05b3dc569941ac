import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { clearInactivity } from "../../domain/admins/clear-inactivity.js";
import { clientOf } from "../auth/session-plugin.js";

export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/admins/:adminId/clear-inactivity",
    {
      config: { action: "admins:update" },
      schema: {
        params: Type.Object({ adminId: Type.String({ pattern: "^DE[0-9A-Z]{18}$" }) }),
        response: { 200: Type.Object({ status: Type.String() }) },
      },
    },
    async (request) => {
      if (!request.session) throw new Error("admin routes run behind the panel guard");
      return clearInactivity(app.database, {
        session: request.session,
        adminId: request.params.adminId,
        client: clientOf(request),
      });
    },
  );
};
