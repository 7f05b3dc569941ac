import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const CSRF_HEADER = "x-csrf-token";

function reject(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The panel's door: every route needs a signed-in session unless it declares `config.public`, and
 * every state-changing request must come from our own pages: a same-origin `Origin` when the browser
 * sends one, and, once signed in, the session's CSRF token in the X-CSRF-Token header. It needs
 * only the headers and the session cookie, so the panel's door runs it on request (doors.ts),
 * before the body is read: a forged request is refused as forged, whatever its body holds.
 */
export async function panelGuard(request: FastifyRequest, reply: FastifyReply) {
  const mutating = !SAFE_METHODS.has(request.method);
  if (mutating && !sameOrigin(request)) {
    return reject(
      reply,
      403,
      "csrf",
      "Cross-site request refused: the Origin header is not this site",
    );
  }
  if (request.routeOptions.config.public) return;
  const session = request.session;
  if (session?.stage !== "active") {
    return reject(reply, 401, "unauthorized", "Sign in first");
  }
  if (mutating) {
    const given = request.headers[CSRF_HEADER];
    if (typeof given !== "string" || !sameToken(given, session.csrfToken)) {
      return reject(
        reply,
        403,
        "csrf",
        `Missing or wrong ${CSRF_HEADER} header; reload the page and try again`,
      );
    }
  }
}

function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}
