import type { FastifyError, FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import { DomainError, RateLimited } from "../../domain/errors.js";

const DUO_PATH = /^\/(admin|accounts)\//;

const STATUS = {
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  invalid: 400,
  unauthorized: 401,
  rate_limited: 429,
  // A service the request needed (the mail server) failed; nothing was changed.
  unavailable: 503,
} as const;

/**
 * The default JSON error shape `{ error: { code, message, rule?, reason?, field? } }`. The panel and
 * Duo doors register their own handlers in their encapsulated contexts; this one covers the rest.
 */
export const errorHandlerPlugin: FastifyPluginAsync = fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof DomainError) {
        const { code, message, rule, reason, field } = error;
        if (error instanceof RateLimited)
          reply.header("retry-after", String(error.retryAfterSeconds));
        return reply.code(STATUS[code]).send({ error: { code, message, rule, reason, field } });
      }
      if (error.validation) {
        const field = validationField(error.validation[0]);
        return reply.code(400).send({ error: { code: "invalid", message: error.message, field } });
      }
      const status =
        error.statusCode && error.statusCode >= 400 && error.statusCode < 500
          ? error.statusCode
          : 500;
      if (status === 500) request.log.error({ err: error }, "request failed");
      return reply.code(status).send({
        error: {
          code: status === 500 ? "internal" : "request",
          message: status === 500 ? "Internal error" : error.message,
        },
      });
    });
    app.setNotFoundHandler((request, reply) =>
      DUO_PATH.test(request.url)
        ? // Duo's clients read any failure through its envelope (research/duo-api.md §2.1).
          reply.code(404).send({ stat: "FAIL", code: 40401, message: "Resource not found" })
        : reply.code(404).send({
            error: {
              code: "not_found",
              message: `Route ${request.method} ${request.url} not found`,
            },
          }),
    );
  },
  { name: "error-handler" },
);

type ValidationItem = NonNullable<FastifyError["validation"]>[number];

/** The input field a schema violation is about: "password", "phone", or "role" for an unknown field. */
function validationField(item: ValidationItem | undefined): string | undefined {
  if (!item) return undefined;
  const params = item.params as Record<string, unknown>;
  const named = params.missingProperty ?? params.additionalProperty;
  const path = item.instancePath.replace(/^\//, "").replaceAll("/", ".");
  if (typeof named === "string") return path ? `${path}.${named}` : named;
  return path || undefined;
}
