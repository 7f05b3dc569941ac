import { randomUUID } from "node:crypto";
import { AjvCompiler, type ValidatorFactory } from "@fastify/ajv-compiler";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyContextConfig,
  type FastifyInstance,
  type FastifySchema,
  type FastifyServerOptions,
} from "fastify";
import type { Migration } from "../db/migrate.js";
import type { DatabaseHandle } from "../db/open.js";
import type { SecretBox } from "../db/secrets.js";
import { DEFAULT_THROTTLE, type ThrottlePolicy } from "../domain/auth/throttle.js";
import { SnapshotCache } from "../domain/authorization.js";
import type { Services } from "../domain/context.js";
import type { Mailer } from "../mail/mailer.js";
import { sessionPlugin } from "./auth/session-plugin.js";
import { brandingLogoRoutes } from "./branding/routes.js";
import { authDoor, duoDoor, panelDoor } from "./doors.js";
import { enrollPages } from "./enroll/routes.js";
import { drainOnClosePlugin } from "./plugins/drain-on-close.js";
import { errorHandlerPlugin } from "./plugins/error-handler.js";
import { healthRoutes } from "./plugins/health.js";
import { strictTransportSecurity } from "./plugins/security-headers.js";
import { webPanelPlugin } from "./plugins/web-panel.js";
import { promptDoor } from "./prompt/plugin.js";
import { redactingChild, redactingOptions } from "./redact-url.js";

export interface AppOptions {
  database: DatabaseHandle;
  secrets: SecretBox;
  /** The migrations this build ships, for /readyz. */
  migrations: Migration[];
  logger?: FastifyServerOptions["logger"] | FastifyBaseLogger;
  https?: { cert: Buffer; key: Buffer };
  /** Sign-in attempts allowed per client address (R-ADM-4). */
  throttle?: ThrottlePolicy;
  /** Behind a reverse proxy: take the client address and protocol from X-Forwarded-* headers. */
  trustProxy?: boolean;
  /** Where admins reach the panel (GATEHOUSE_PUBLIC_URL): activation links point there. */
  publicUrl?: string;
  /** Duo API requests each integration may make per second (research/duo-api.md §2.3). */
  apiRequestsPerSecond?: number;
  /** Auth API requests each application may make per second (issue 14: a VPN logs many in at once). */
  authRequestsPerSecond?: number;
  /** The built web panel (web/dist), served at `/`; unset, the server answers only its APIs. */
  webRoot?: string;
  /** Sends enrollment and activation emails (GATEHOUSE_SMTP_*); unset, nothing is emailed. */
  mailer?: Mailer;
}

declare module "fastify" {
  interface FastifyInstance {
    database: DatabaseHandle;
    secrets: SecretBox;
    services: Services;
    /** Where admins reach the panel; unset in tests, where links use the request's own origin. */
    publicUrl: string | undefined;
    /** The mail server's client, undefined when no mail server is configured. */
    mailer: Mailer | undefined;
    /** Every route as registered, with its config: what the route-table test walks. */
    routeList: RegisteredRoute[];
  }
  interface FastifyContextConfig {
    /** Routes reachable without signing in (health checks, sign-in itself). */
    public?: boolean;
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  config: FastifyContextConfig;
  /** The route's request schemas (params, querystring, body), for tests generated from them. */
  schema: FastifySchema | undefined;
}

const DEFAULT_API_REQUESTS_PER_SECOND = 50;
const DEFAULT_AUTH_REQUESTS_PER_SECOND = 2000;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What Fastify hands a validator compiler (its types describe Ajv's compile instead). */
type ValidatorOf = (route: { schema: unknown; httpPart?: string }) => unknown;
type CompilerOptions = { customOptions?: Record<string, unknown> };
const ajvCompilers = AjvCompiler() as unknown as (
  externalSchemas: unknown,
  options: CompilerOptions,
) => ValidatorOf;

/**
 * Query strings and path parameters are text, so their numbers and booleans are read from it; a
 * JSON body already carries types, so `"30"` where a number belongs is refused, naming the field,
 * instead of being taken as 30 (and `null` is never read as 0).
 */
function jsonBodiesAsSent(externalSchemas: unknown, options: CompilerOptions = {}): ValidatorOf {
  const readingText = ajvCompilers(externalSchemas, options);
  const asSent = ajvCompilers(externalSchemas, {
    ...options,
    customOptions: { ...options.customOptions, coerceTypes: false },
  });
  return (route) => (route.httpPart === "body" ? asSent(route) : readingText(route));
}

/** Builds the Fastify app from plugins. It never listens: `server.ts` does, tests use inject(). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Whatever logger it is given, no request line carries a link's secret (redact-url.ts).
    ...(isLoggerInstance(options.logger)
      ? { loggerInstance: redactingChild(options.logger) }
      : { logger: redactingOptions(options.logger) }),
    // Keep a caller's request id (a load balancer's) when it is sane; mint one otherwise.
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    trustProxy: options.trustProxy ?? false,
    // A field the schema does not know is an error that names it, not something silently dropped.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    schemaController: {
      compilersFactory: { buildValidator: jsonBodiesAsSent as unknown as ValidatorFactory },
    },
    ...(options.https ? { https: options.https } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routeList: RegisteredRoute[] = [];
  app.decorate("routeList", routeList);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      if (method === "HEAD") continue;
      routeList.push({
        method,
        url: route.url,
        config: (route.config ?? {}) as FastifyContextConfig,
        schema: route.schema,
      });
    }
  });
  app.decorate("database", options.database);
  app.decorate("publicUrl", options.publicUrl);
  app.decorate("mailer", options.mailer);
  app.decorate("secrets", options.secrets);
  app.decorate("services", {
    database: options.database,
    secrets: options.secrets,
    snapshots: new SnapshotCache(),
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  await app.register(drainOnClosePlugin);
  await app.register(errorHandlerPlugin);
  await app.register(strictTransportSecurity);
  await app.register(healthRoutes, { migrations: options.migrations });
  await app.register(sessionPlugin);
  await app.register(panelDoor, { prefix: "/api", throttle: options.throttle ?? DEFAULT_THROTTLE });
  const apiHostnames = options.publicUrl
    ? [new URL(options.publicUrl).host, new URL(options.publicUrl).hostname]
    : [];
  await app.register(duoDoor, {
    apiHostnames,
    requestsPerSecond: options.apiRequestsPerSecond ?? DEFAULT_API_REQUESTS_PER_SECOND,
  });
  await app.register(authDoor, {
    apiHostnames,
    requestsPerSecond: options.authRequestsPerSecond ?? DEFAULT_AUTH_REQUESTS_PER_SECOND,
  });
  await app.register(enrollPages);
  await app.register(brandingLogoRoutes);
  await app.register(promptDoor, {
    apiHostnames,
    requestsPerSecond: options.authRequestsPerSecond ?? DEFAULT_AUTH_REQUESTS_PER_SECOND,
  });
  if (options.webRoot) await app.register(webPanelPlugin, { root: options.webRoot });
  return app as unknown as FastifyInstance;
}

function isLoggerInstance(logger: AppOptions["logger"]): logger is FastifyBaseLogger {
  return (
    typeof logger === "object" &&
    logger !== null &&
    typeof (logger as FastifyBaseLogger).child === "function"
  );
}
