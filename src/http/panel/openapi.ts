import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance, FastifyPluginAsync, RouteOptions } from "fastify";
import fp from "fastify-plugin";

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
            "the session cookie authenticates, and every state-changing request carries the session's " +
            "CSRF token in the X-CSRF-Token header. A refusal names the SPEC rule that decided it.",
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

    app.get("/openapi.json", { config: { public: true }, schema: { hide: true } }, async () =>
      app.swagger(),
    );

    // Swagger UI's own routes (its page, its JSON copy, its static files) are public like the
    // document: every route Swagger UI declares is given `config.public` as it is declared, so the
    // panel guard lets it through and the route table sees it as public.
    await app.register(async (docs) => {
      publicRoutes(docs);
      await docs.register(swaggerUi, { routePrefix: "/docs" });
    });
  },
  { name: "panel-openapi" },
);

/** Every route declared in this context (and its children) from now on is public. */
function publicRoutes(instance: FastifyInstance): void {
  // Unbound on purpose: `this` is the child context declaring the route, with its prefix.
  const declare = instance.route;
  const route = function (this: FastifyInstance, options: RouteOptions) {
    return declare.call(this, { ...options, config: { ...options.config, public: true } });
  };
  Object.defineProperty(instance, "route", { value: route, writable: true, configurable: true });
}
