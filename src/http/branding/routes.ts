import type { FastifyPluginAsync } from "fastify";
import { isId } from "../../db/ids.js";
import { logoFile } from "../../domain/branding/read.js";

const HASH = /^[0-9a-f]{64}$/;

/**
 * An image needs nothing from a page: were its URL opened as a document, it may run, load and
 * frame nothing but itself (the browser's own image view), and nobody may frame it.
 */
export const LOGO_CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

/** Where an account's logo is served: the hash makes each logo's URL its own (cached for good). */
export function logoPath(accountId: string, hash: string): string {
  return `/branding/${accountId}/logo/${hash}`;
}

/**
 * GET /branding/<account_id>/logo/<hash>: the account's logo for the hosted prompt (issue 15),
 * public like the prompt page that links to it. Served with the content type the bytes were
 * checked to be (src/domain/branding/image.ts), never sniffed, cached for a year as immutable: a
 * new logo has a new hash, and the URL of a replaced or removed logo answers 404.
 */
export const brandingLogoRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { accountId: string; hash: string } }>(
    "/branding/:accountId/logo/:hash",
    { config: { public: true } },
    async (request, reply) => {
      const { accountId, hash } = request.params;
      const logo =
        isId("account", accountId) && HASH.test(hash)
          ? await logoFile(app.database.db, accountId, hash)
          : undefined;
      if (logo === undefined) return reply.callNotFound();
      reply
        .header("content-type", logo.contentType)
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("etag", `"${logo.hash}"`)
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", LOGO_CONTENT_SECURITY_POLICY);
      const seen = request.headers["if-none-match"];
      if (
        typeof seen === "string" &&
        seen.split(",").some((tag) => tag.trim() === `"${logo.hash}"`)
      )
        return reply.code(304).send();
      return reply.send(logo.bytes);
    },
  );
};
