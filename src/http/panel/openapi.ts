import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance, FastifyPluginAsync, RouteOptions } from "fastify";
import fp from "fastify-plugin";
import { pageSecurityHeaders } from "../page-security.js";

/**
 * The OpenAPI 3 document of every /api route, from the routes' own TypeBox schemas, at
 * GET /api/openapi.json, and Swagger UI rendering it at /api/docs. Registered first in the panel's
 * context, so @fastify/swagger's onRoute hook sees every panel route registered after it.
 */
export const openApi: FastifyPluginAsync = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: "3.0.3",
        info: {
          title: "Gatehouse panel API",
          description:
            "The web panel's JSON API. Sign in with POST /api/auth/sign-in and /api/auth/second-factor; " +
            "the session cookie authenticates (named __Host-gatehouse_session over HTTPS), and every " +
            "state-changing request carries the session's CSRF token in the X-CSRF-Token header. " +
            "A refusal names the SPEC rule that decided it.",
          version: "0.1.0",
        },
        components: {
          securitySchemes: {
            session: { type: "apiKey", in: "cookie", name: "gatehouse_session" },
            csrf: { type: "apiKey", in: "header", name: "x-csrf-token" },
          },
        },
      },
    });

    app.get(
      "/openapi.json",
      { config: { public: true, cacheable: true }, schema: { hide: true } },
      async () => app.swagger(),
    );

    // Swagger UI's own routes (its page, its JSON copy, its static files) are public like the
    // document: every route Swagger UI declares is given `config.public` as it is declared, so the
    // panel guard lets it through and the route table sees it as public. Its page is one of the
    // server's pages, under the panel's own CSP: Swagger UI's scripts are all files, none inline.
    await app.register(async (docs) => {
      publicRoutes(docs);
      docs.addHook("onSend", async (_request, reply) => {
        pageSecurityHeaders(reply);
      });
      await docs.register(swaggerUi, {
        routePrefix: "/docs",
        // At /api/docs (no trailing slash) the page names its files from the site's root, so it
        // needs the whole path: this context's prefix (/api) before the route's own.
        indexPrefix: app.prefix,
      });
    });
  },
  { name: "panel-openapi" },
);

/** Every route declared in this context (and its children) from now on is public, and cacheable. */
function publicRoutes(instance: FastifyInstance): void {
  // Unbound on purpose: `this` is the child context declaring the route, with its prefix.
  const declare = instance.route;
  const route = function (this: FastifyInstance, options: RouteOptions) {
    const config = { ...options.config, public: true, cacheable: true };
    return declare.call(this, { ...options, config });
  };
  Object.defineProperty(instance, "route", { value: route, writable: true, configurable: true });
}
