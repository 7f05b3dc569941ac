import type { FastifyReply } from "fastify";

/**
 * What the server's HTML pages (the web panel, the API's docs) may load: this origin's own files,
 * and data: images (QR codes, Swagger UI's icons); nobody may frame them. Scripts come only from
 * files, never inline. Mantine writes its CSS variables into a style element, hence inline styles.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

/** The headers every page and its files go out with. */
export function pageSecurityHeaders(reply: FastifyReply): FastifyReply {
  return (
    reply
      .header("content-security-policy", CONTENT_SECURITY_POLICY)
      .header("x-content-type-options", "nosniff")
      // Activation links carry their token in the path: never send it on as a Referer.
      .header("referrer-policy", "no-referrer")
  );
}
