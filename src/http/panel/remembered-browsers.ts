import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import {
  forgetRememberedBrowsers,
  rememberedBrowsersOf,
} from "../../domain/authentication/remembered.js";
import { IdOf } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const UserParams = Type.Object({ userId: IdOf("DU") });

/**
 * The browsers "Remember me" keeps for a user in the hosted prompt (issue 15 item 2): how many
 * there are, and forgetting them all (a lost laptop), as a change to the user's 2FA devices
 * (R-ROLE-2 devices row, R-ROLE-3, R-UNIT-8f).
 */
export const rememberedBrowserRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/users/:userId/remembered-browsers",
    {
      config: { action: "users:view" },
      schema: {
        params: UserParams,
        response: { 200: Type.Object({ remembered: Type.Integer() }) },
      },
    },
    async (request) =>
      asAdmin(app, request, "read", (ctx) => rememberedBrowsersOf(ctx, request.params.userId)),
  );

  app.delete(
    "/users/:userId/remembered-browsers",
    {
      config: { action: "phones:delete" },
      schema: {
        params: UserParams,
        response: { 200: Type.Object({ forgotten: Type.Integer() }) },
      },
    },
    async (request) =>
      asAdmin(app, request, "write", (ctx) => forgetRememberedBrowsers(ctx, request.params.userId)),
  );
};
