import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { toAuthApplication } from "../../domain/authentication/application.js";
import type { AuthApplication } from "../../domain/authentication/log.js";
import type { Subject, UserKey } from "../../domain/authentication/subject.js";
import { SecretKeyCache } from "../duo/authenticate.js";
import type { Params } from "../duo/canonical.js";
import { duoErrorHandler } from "../duo/envelope.js";
import { ParamReader, readRequest } from "../duo/params.js";
import { ApiRateLimit } from "../duo/rate-limit.js";
import {
  authenticateApplication,
  authenticateWithSubject,
  RecentApplications,
} from "./authenticate.js";
import { authApiRoutes } from "./routes.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The Auth API door: answer from the key's last known row when the database is this slow (ms). */
    databasePatienceMs?: number;
    /**
     * The Auth API door: the handler reads the application and the user it names in one statement
     * (authenticatedSubject), instead of the door reading the application first.
     */
    readsSubject?: boolean;
  }
  interface FastifyRequest {
    /** The Auth API door: the application whose signature checked out. */
    authApplication: AuthApplication | null;
    /** The Auth API door, on a route that reads its subject: authenticates with it (see below). */
    authenticateWithSubject: ((key: UserKey) => Promise<Subject>) | null;
    /** The Auth API door: query, form and JSON body parameters together. */
    authParams: Params;
  }
}

export interface AuthApiOptions {
  /** Names this server answers to as an API host, tried when verifying signatures. */
  apiHostnames: string[];
  /** Requests each application may make per second (429 with Retry-After beyond it). */
  requestsPerSecond: number;
}

/** The request's parameters, and the integration that signed it (every route but ping has one). */
export function paramsOf(request: FastifyRequest): ParamReader {
  return new ParamReader(request.authParams);
}

/**
 * On a route that `readsSubject`: the signature checked against the application read with the
 * user `keyOf` names, in one statement; then the subject. A request whose user parameters are
 * malformed is authenticated first, so a stranger learns nothing from the parameter errors.
 */
export async function authenticatedSubject(
  request: FastifyRequest,
  keyOf: () => UserKey,
): Promise<{ application: AuthApplication; subject: Subject }> {
  const authenticate = request.authenticateWithSubject;
  if (!authenticate) throw new Error("the route does not read its subject (config.readsSubject)");
  let key: UserKey;
  try {
    key = keyOf();
  } catch (error) {
    await authenticate({ userId: "" });
    throw error;
  }
  const subject = await authenticate(key);
  return { application: applicationOfRequest(request), subject };
}

export function applicationOfRequest(request: FastifyRequest): AuthApplication {
  const application = request.authApplication;
  if (!application) throw new Error("Auth API routes run behind the signature check");
  return application;
}

/**
 * Duo's Auth API (/auth/v2, research/duo-api.md §7) for the applications Gatehouse protects: its
 * own Fastify context with raw bodies, the door's text guard, HMAC authentication of an Auth API
 * or Unix application before every handler but `ping`, a rate limit per application, and Duo's
 * envelope for every answer, errors included.
 */
export const authApi: FastifyPluginAsync<AuthApiOptions> = async (app, options) => {
  const limit = new ApiRateLimit(options.requestsPerSecond);
  const keys = { secrets: app.secrets, cache: new SecretKeyCache() };
  const recent = new RecentApplications();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  app.decorateRequest("authApplication", null);
  app.decorateRequest("authParams", null as unknown as Params);
  app.decorateRequest("authenticateWithSubject", null);

  app.addHook("preHandler", async (request) => {
    const { body, query, form, params } = readRequest(request);
    request.authParams = params;
    if (request.routeOptions.config.public) return;
    const received = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      query,
      form,
      body,
      apiHostnames: options.apiHostnames,
    };
    if (request.routeOptions.config.readsSubject) {
      request.authenticateWithSubject = async (key) => {
        const { application, subject } = await authenticateWithSubject(
          app.database.db,
          keys,
          received,
          key,
        );
        recent.remember(application);
        limit.take(application.id);
        request.authApplication = toAuthApplication(application);
        return subject;
      };
      return;
    }
    const application = await authenticateApplication(app.database.db, keys, received, {
      recent,
      databasePatienceMs: request.routeOptions.config.databasePatienceMs,
    });
    limit.take(application.id);
    request.authApplication = application;
  });

  app.setErrorHandler(duoErrorHandler("Auth API"));
  await app.register(authApiRoutes);
};
