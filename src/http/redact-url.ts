import type { FastifyBaseLogger, FastifyRequest, FastifyServerOptions } from "fastify";
import type { LoggerOptions } from "pino";

/**
 * Links that act for whoever holds them carry their secret in the URL: the path segment after one
 * of these names (`/activate/<token>`, R-ADM-2; `/enroll/<token>`, R-AUTH-5), or the value of one
 * of these query parameters. A new kind of link (password reset) is covered by adding its name here.
 */
export const SECRET_LINK_PATHS = ["activate", "enroll"] as const;
export const SECRET_QUERY_PARAMETERS = ["token", "activation_code"] as const;

/** What a secret is replaced with in a log line. */
export const REDACTED = "[redacted]";

// The secret runs to the next path, query or fragment delimiter, or to where the text (a URL in a
// JSON log line, a message, a stack trace) stops looking like a URL.
const SECRET_VALUE = String.raw`[^/?#&;\s"'<>\\]+`;
const SECRET_PATH = new RegExp(`(/(?:${SECRET_LINK_PATHS.join("|")})/+)${SECRET_VALUE}`, "gi");
const SECRET_PARAMETER = new RegExp(
  `([?&;](?:${SECRET_QUERY_PARAMETERS.join("|")})=)${SECRET_VALUE}`,
  "gi",
);

/** The text with every secret that travels in a URL replaced by `[redacted]`, wherever it appears. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_PATH, `$1${REDACTED}`).replace(SECRET_PARAMETER, `$1${REDACTED}`);
}

/**
 * Fastify's own request serializer (fastify/lib/logger-pino.js), with the URL redacted: what the
 * "incoming request" line logs for every request.
 */
export function redactedRequest(request: FastifyRequest) {
  const version = request.headers?.["accept-version"];
  return {
    method: request.method,
    url: redactSecrets(request.url),
    version: typeof version === "string" ? version : undefined,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * pino options that keep URL secrets out of every line: the request serializer for the structured
 * URL, and a last pass over each finished line for the rest (an error's message or stack, a 404's
 * route, anything a plugin logs). The server's own logger is built with them (cli/serve.ts).
 */
export const redactingLogOptions = {
  serializers: { req: redactedRequest },
  hooks: { streamWrite: redactSecrets },
} satisfies LoggerOptions;

/** A logger handed to the app (tests, embedders): its children serialize requests redacted. */
export function redactingChild(logger: FastifyBaseLogger): FastifyBaseLogger {
  return logger.child({}, { serializers: redactingLogOptions.serializers });
}

/** Logger options handed to the app: Fastify builds its pino with the redaction added. */
export function redactingOptions(
  options: FastifyServerOptions["logger"],
): FastifyServerOptions["logger"] {
  if (!options) return false;
  const given = options === true ? {} : options;
  return {
    ...given,
    serializers: { ...given.serializers, ...redactingLogOptions.serializers },
    hooks: { ...given.hooks, ...redactingLogOptions.hooks },
  };
}
