import type { FastifyReply } from "fastify";

/**
 * The prompt's pages load only this origin's files and nobody may frame them (clickjacking a
 * login). Their forms post here, and the answer may redirect the browser to the application:
 * browsers hold such redirects to form-action too, so the application's origin is named there.
 */
export function promptSecurityHeaders(reply: FastifyReply, redirectUri?: string): FastifyReply {
  const back = redirectUri === undefined ? "" : ` ${new URL(redirectUri).origin}`;
  return reply
    .header(
      "content-security-policy",
      [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        `form-action 'self'${back}`,
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join("; "),
    )
    .header("x-content-type-options", "nosniff")
    .header("x-frame-options", "DENY")
    .header("referrer-policy", "no-referrer");
}
