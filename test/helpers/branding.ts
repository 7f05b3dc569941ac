import type { FastifyInstance } from "fastify";
import { brandingLogoRoutes } from "../../src/http/branding/routes.js";

/**
 * The public logo route (GET /branding/<account_id>/logo/<hash>) on an app built for a test, unless
 * buildApp registers it already: call before the app is ready (before its first inject or listen).
 */
export async function withLogoRoute(app: FastifyInstance): Promise<void> {
  if (!app.hasRoute({ method: "GET", url: "/branding/:accountId/logo/:hash" }))
    await app.register(brandingLogoRoutes);
}
