import type { FastifyPluginAsync } from "fastify";

import { type TenantState, tenantStateOf } from "../../domain/context.js";
import { type ApiIntegration, authenticate, SecretKeyCache } from "./authenticate.js";
import type { Params } from "./canonical.js";
import { duoErrorHandler } from "./envelope.js";
import { DuoError } from "./errors.js";
import { readRequest } from "./params.js";
import { ApiRateLimit } from "./rate-limit.js";
import { DUO_ROUTES } from "./routes/index.js";
import { asIntegration, plainAccountId } from "./use-case.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The Duo door: the integration whose signature checked out. */
    integration: ApiIntegration | null;
    /** The Duo door: query, form and JSON body parameters together (research/duo-api.md §1.5). */
    duoParams: Params;
    /**
     * The Duo door: the tenant state the route gate decided on, for the handler's reads to reuse
     * (TenantState); cleared once the request writes.
     */
    duoTenant: TenantState | undefined;
  }
  interface FastifyContextConfig {
    /** The Duo door: which integration type may call the route (§1.8 step 6). */
    duoFamily?: "admin" | "accounts";
  }
}

export interface DuoApiOptions {
  /** Names this server answers to as an API host (the public URL's host), tried when verifying signatures. */
  apiHostnames: string[];
  requestsPerSecond: number;
}

/**
 * The Duo-compatible door (/admin, /accounts): its own Fastify context, with raw bodies (v4 and v5
 * hash them as received), HMAC authentication before every handler, and Duo's envelope for every
 * answer, errors included. Handlers run the same use cases as the panel (DESIGN: another door, not
 * another implementation).
 */
export const duoApi: FastifyPluginAsync<DuoApiOptions> = async (app, options) => {
  const limit = new ApiRateLimit(options.requestsPerSecond);
  const keys = { secrets: app.secrets, cache: new SecretKeyCache() };
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  app.decorateRequest("integration", null);
  app.decorateRequest("duoParams", null as unknown as Params);
  app.decorateRequest("duoTenant", undefined);

  app.addHook("preHandler", async (request) => {
    // The text guard runs first: nothing below may see a NUL, a lone surrogate or invalid UTF-8.
    const { body, query, form, params } = readRequest(request);
    const accountsFamily = request.routeOptions.config.duoFamily === "accounts";
    const { integration, tenant } = await authenticate(app.database.db, keys, {
      method: request.method,
      url: request.url,
      headers: request.headers,
      query,
      form,
      body,
      apiHostnames: options.apiHostnames,
      // The account the request acts in (asIntegration's rule), when its parameter is well formed;
      // otherwise asIntegration reads it and reports the parameter after authentication.
      actingIn: accountsFamily ? undefined : plainAccountId(params),
    });
    limit.take(integration.id);
    // §1.8 step 6: /accounts takes an Accounts API integration; /admin takes both, the engine
    // deciding what an Accounts API integration may do there (R-TEN-5: only in a child account).
    if (accountsFamily && integration.type !== "accountsapi")
      throw new DuoError(403, 40301, "Access forbidden", "Wrong integration type for this API.");
    request.integration = integration;
    request.duoParams = params;
    // Like the panel: the route's declared action, decided before its handler; none declared fails closed.
    const action = request.routeOptions.config.action;
    if (action === undefined)
      throw new Error(`${request.method} ${request.routeOptions.url} declares no action`);
    // The tenant row came with the credentials: its version names the snapshot the gate decides
    // on, and the handler's reads after it (asIntegration, through request.duoTenant).
    if (tenant !== undefined) {
      const { accountId, tenantId, version } = tenant;
      const snapshot = await app.services.snapshots.at(app.database.db, tenantId, version, {
        cacheable: true,
      });
      request.duoTenant = { accountId, tenantId, snapshot };
    }
    request.duoTenant = await asIntegration(app, request, "read", async (ctx) => {
      ctx.authorize(action);
      return tenantStateOf(ctx);
    });
  });

  app.setErrorHandler(duoErrorHandler("Duo API"));
  for (const routes of DUO_ROUTES) await app.register(routes);
};
