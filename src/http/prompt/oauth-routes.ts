import { randomBytes } from "node:crypto";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { Invalid } from "../../domain/errors.js";
import { exchangeCode } from "../../domain/prompt/exchange.js";
import { openPromptSession } from "../../domain/prompt/sessions.js";
import { ApiRateLimit } from "../duo/rate-limit.js";
import { pageSecurityHeaders } from "../page-security.js";
import { baseUrlsOf, findPromptClient, promptKeys } from "./client.js";
import { signIdToken, verifyClientAssertion, verifyRequestObject } from "./client-jwt.js";
import { formOf, queryOf, single } from "./form.js";
import { idTokenClaims } from "./id-token.js";
import { promptErrorPage } from "./pages.js";
import { BROWSER_COOKIE, browserCookieOptions } from "./session-cookie.js";

export interface OAuthOptions {
  apiHostnames: string[];
  requestsPerSecond: number;
}

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** How long the access token the SDKs require in the answer lives; Gatehouse serves nothing for it. */
const ACCESS_TOKEN_LIFETIME_S = 3600;

/** Duo's failure shape at health_check, which the SDKs turn into "message: message_detail". */
function healthFailure(reply: FastifyReply, status: number, message: string, detail: string) {
  return reply.code(status).send({
    stat: "FAIL",
    code: status * 100 + (status === 400 ? 2 : 1),
    message,
    message_detail: detail,
    timestamp: Math.floor(Date.now() / 1000),
  });
}

/** RFC 6749 §5.2's error answer, which the SDKs turn into "error: error_description". */
function tokenFailure(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).send({ error, error_description: description });
}

function htmlError(reply: FastifyReply, status: number, title: string, message: string) {
  return pageSecurityHeaders(reply)
    .code(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send(promptErrorPage(title, message));
}

const BAD_REQUEST = "This login request cannot be used";

/**
 * Duo's Universal Prompt protocol (research/auth-protocols.md §3) for Web SDK applications
 * (R-AUTH-1): health_check and token authenticate the application by a client assertion signed
 * with its secret; authorize takes its signed request object, opens a prompt bound to this
 * browser, and sends the browser there. A request that cannot be verified is never redirected
 * anywhere: its redirect_uri is not trusted yet.
 */
export const oauthRoutes: FastifyPluginAsync<OAuthOptions> = async (app, options) => {
  const keys = promptKeys(app.secrets);
  const limit = new ApiRateLimit(options.requestsPerSecond);

  app.setErrorHandler((error, request, reply) => {
    if (!(error instanceof Invalid)) throw error;
    const why = `${error.field} ${error.why}`;
    if (request.method === "GET")
      return htmlError(reply, 400, BAD_REQUEST, `The application's request is malformed: ${why}.`);
    return tokenFailure(reply, 400, "invalid_request", `${why}.`);
  });

  app.post("/oauth/v1/health_check", { config: { public: true } }, async (request, reply) => {
    const form = formOf(request);
    const client = await findPromptClient(app.database.db, keys, single(form, "client_id"));
    if (!client) return healthFailure(reply, 401, "invalid_client", "Unknown client_id.");
    limit.take(client.application.id);
    const audiences = baseUrlsOf(request, options.apiHostnames).map(
      (base) => `${base}/oauth/v1/health_check`,
    );
    const assertion = await verifyClientAssertion(
      single(form, "client_assertion") ?? "",
      client.secret,
      {
        clientId: client.application.id,
        audiences,
      },
    );
    if (!assertion.ok)
      return healthFailure(
        reply,
        400,
        "invalid_client",
        `The client assertion failed: ${assertion.why}.`,
      );
    return { stat: "OK", response: { timestamp: Math.floor(Date.now() / 1000) } };
  });

  app.get("/oauth/v1/authorize", { config: { public: true } }, async (request, reply) => {
    const query = queryOf(request);
    const client = await findPromptClient(app.database.db, keys, single(query, "client_id"));
    if (!client)
      return htmlError(
        reply,
        400,
        BAD_REQUEST,
        "The application that sent you here is not known to this server.",
      );
    if (single(query, "response_type") !== "code" || single(query, "scope") === undefined)
      return htmlError(
        reply,
        400,
        BAD_REQUEST,
        "The application's request is incomplete (response_type must be code, and scope is required).",
      );
    const checked = await verifyRequestObject(single(query, "request") ?? "", client.secret, {
      clientId: client.application.id,
      redirectUri: single(query, "redirect_uri") ?? "",
      audiences: baseUrlsOf(request, options.apiHostnames),
    });
    if (!checked.ok)
      return htmlError(
        reply,
        400,
        BAD_REQUEST,
        `The application's request could not be verified: ${checked.why}.`,
      );
    if (!isRedirectTarget(checked.claims.redirectUri))
      return htmlError(
        reply,
        400,
        BAD_REQUEST,
        "The application's redirect_uri must be an https address (or http on localhost).",
      );
    const opened = await openPromptSession(
      app.database.db,
      client.application,
      checked.claims,
      request.ip,
    );
    return reply
      .setCookie(
        BROWSER_COOKIE,
        opened.browserSecret,
        browserCookieOptions(request, opened.expiresAt),
      )
      .header("cache-control", "no-store")
      .redirect(`/prompt/${opened.id}`, 303);
  });

  app.post("/oauth/v1/token", { config: { public: true } }, async (request, reply) => {
    const form = formOf(request);
    const client = await findPromptClient(app.database.db, keys, single(form, "client_id"));
    reply.header("cache-control", "no-store").header("pragma", "no-cache");
    if (!client) return tokenFailure(reply, 401, "invalid_client", "Unknown client_id.");
    limit.take(client.application.id);
    if (single(form, "grant_type") !== "authorization_code")
      return tokenFailure(
        reply,
        400,
        "unsupported_grant_type",
        "grant_type must be authorization_code.",
      );
    if (single(form, "client_assertion_type") !== ASSERTION_TYPE)
      return tokenFailure(
        reply,
        400,
        "invalid_request",
        `client_assertion_type must be ${ASSERTION_TYPE}.`,
      );
    const tokenEndpoints = baseUrlsOf(request, options.apiHostnames).map(
      (base) => `${base}/oauth/v1/token`,
    );
    const assertion = await verifyClientAssertion(
      single(form, "client_assertion") ?? "",
      client.secret,
      {
        clientId: client.application.id,
        audiences: tokenEndpoints,
      },
    );
    if (!assertion.ok)
      return tokenFailure(
        reply,
        400,
        "invalid_client",
        `The client assertion failed: ${assertion.why}.`,
      );
    const code = single(form, "code");
    const redirectUri = single(form, "redirect_uri");
    if (!code || !redirectUri)
      return tokenFailure(reply, 400, "invalid_request", "code and redirect_uri are required.");
    const exchanged = await exchangeCode(app.database.db, {
      applicationId: client.application.id,
      code,
      redirectUri,
    });
    if (!exchanged.ok) return tokenFailure(reply, 400, "invalid_grant", `The ${exchanged.why}.`);
    // The issuer is the token endpoint the application called, as Duo's SDKs verify it.
    const issuer = `https://${request.headers.host ?? ""}/oauth/v1/token`;
    const idToken = await signIdToken(
      client.secret,
      idTokenClaims(exchanged.prompt, client.application.id),
      { issuer, audience: client.application.id, subject: exchanged.prompt.username },
    );
    return {
      id_token: idToken,
      access_token: randomBytes(32).toString("base64url"),
      expires_in: ACCESS_TOKEN_LIFETIME_S,
      token_type: "Bearer",
    };
  });
};

/** Where a browser may be sent back: https anywhere, http only to this machine (a developer's app). */
export function isRedirectTarget(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.username !== "" || url.password !== "" || url.hash !== "") return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}
