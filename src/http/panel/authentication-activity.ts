import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { authenticationActivity } from "../../domain/auth-logs/activity.js";
import { Input } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const Count = Type.Integer({ minimum: 0 });
const Activity = Type.Object({
  days: Type.Array(
    Type.Object({
      date: Type.String({ description: "YYYY-MM-DD, in the viewer's time zone" }),
      success: Count,
      denied: Count,
      error: Count,
      fraud: Count,
    }),
  ),
  utc_offset: Type.Integer(),
});

/**
 * The Dashboard's chart: authentication attempts of the last seven days by day and result. Its own
 * route, so the Dashboard itself stays open to Billing (R-ROLE-3), which this one refuses.
 */
export const authenticationActivityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/dashboard/authentication-activity",
    {
      config: { action: "reports:view_authentication_log" },
      schema: {
        querystring: Input({
          utc_offset: Type.Integer({
            minimum: -840,
            maximum: 840,
            default: 0,
            description:
              "Minutes east of UTC of the viewer's time zone (the browser's -getTimezoneOffset()), so days end at their midnight",
          }),
        }),
        response: { 200: Activity },
      },
    },
    (request) =>
      asAdmin(app, request, "read", (ctx) => authenticationActivity(ctx, request.query.utc_offset)),
  );
};
