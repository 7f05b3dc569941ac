import type { FastifyPluginAsync } from "fastify";
import type { ThrottlePolicy } from "../../domain/auth/throttle.js";
import { panelGuard } from "../auth/guard.js";
import { authRoutes } from "../auth/routes.js";
import { accountRoutes } from "./accounts.js";
import { adminRoutes } from "./admins.js";
import { profileRoutes } from "./profile.js";
import { routeActionGuard } from "./use-case.js";

/** The panel's JSON API under /api: its own context, with the session + CSRF guard on every route. */
export const panelApi: FastifyPluginAsync<{ throttle: ThrottlePolicy }> = async (
  app,
  { throttle },
) => {
  app.addHook("preHandler", panelGuard);
  app.addHook("preHandler", routeActionGuard(app));
  await app.register(authRoutes, { throttle });
  await app.register(profileRoutes);
  await app.register(adminRoutes);
  await app.register(accountRoutes);
};
