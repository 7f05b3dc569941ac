import cookie from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { ClientInfo } from "../../domain/auth/client.js";
import {
  findLiveSession,
  type LiveSession,
  type NewSession,
  SESSION_COOKIE,
} from "../../domain/auth/sessions.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in (or half signed-in) admin's session, when the cookie names a live one. */
    session: LiveSession | null;
  }
}

/**
 * Over HTTPS (served, or a trusted proxy's X-Forwarded-Proto) the cookie is `__Host-` prefixed:
 * browsers then accept it only Secure, for Path=/ and without a Domain, so no other host or
 * plain-HTTP page can plant or shadow it. Plain HTTP (development) keeps the bare name, which
 * browsers would refuse with the prefix. A request is read under the name its protocol gives.
 */
export function sessionCookieName(request: FastifyRequest): string {
  return request.protocol === "https" ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}

/** The cookie's attributes: HttpOnly and SameSite=Lax always, Secure whenever the request came over HTTPS. */
function cookieOptions(request: FastifyRequest) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: request.protocol === "https",
  };
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  session: NewSession,
): void {
  reply.setCookie(sessionCookieName(request), session.token, {
    ...cookieOptions(request),
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName(request), cookieOptions(request));
}

export function clientOf(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers["user-agent"];
  return { ip: request.ip, userAgent: typeof userAgent === "string" ? userAgent : undefined };
}

/** Reads the session cookie on every request and resolves it against the database (R-ADM-1: status checked each time). */
export const sessionPlugin = fp(
  async (app) => {
    await app.register(cookie);
    app.decorateRequest("session", null);
    app.addHook("onRequest", async (request) => {
      const token = request.cookies[sessionCookieName(request)];
      if (token)
        request.session = (await findLiveSession(app.database.db, token, new Date())) ?? null;
    });
  },
  { name: "session", dependencies: [] },
);
