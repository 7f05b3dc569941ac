import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";

declare module "fastify" {
  interface FastifyContextConfig {
    /** A public document that holds no secret (the API's own documentation): it may be cached. */
    cacheable?: boolean;
  }
}

/** A year, and every subdomain: what a security review expects of an HTTPS-only service. */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/**
 * onSend for an API door: its answers are an admin's or an integration's own data, so neither the
 * browser nor any cache between keeps a copy, unless the route declares `config.cacheable`.
 */
export async function noStore(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.routeOptions.config.cacheable) reply.header("cache-control", "no-store");
}

/**
 * HSTS on every answer that went out over HTTPS (served, or a trusted proxy's X-Forwarded-Proto):
 * the browser then never tries plain HTTP for this host, so the session cookie cannot leak there.
 * Over plain HTTP the header would mean nothing (browsers ignore it) and it is not sent.
 */
export const strictTransportSecurity: FastifyPluginAsync = fp(
  async (app) => {
    app.addHook("onSend", async (request, reply) => {
      if (request.protocol === "https")
        reply.header("strict-transport-security", STRICT_TRANSPORT_SECURITY);
    });
  },
  { name: "strict-transport-security" },
);
