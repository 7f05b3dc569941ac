import type { FastifyPluginAsync } from "fastify";
import { MAX_LOGO_BYTES } from "../../../domain/branding/image.js";
import { logoFile } from "../../../domain/branding/read.js";
import { removeLogo, setLogo } from "../../../domain/branding/settings.js";
import { ok } from "../envelope.js";
import { DuoError } from "../errors.js";
import { invalid } from "../params.js";
import { asIntegration, paramsOf } from "../use-case.js";

/** Base64 of the largest logo Gatehouse keeps, with its padding. */
const MAX_LOGO_BASE64 = Math.ceil(MAX_LOGO_BYTES / 3) * 4;

/** `logo`: standard base64 (Duo's clients send the file's bytes so), decoded strictly. */
function logoBytes(text: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
    throw invalid("logo", "must be the image's bytes in base64");
  return Buffer.from(text, "base64");
}

/**
 * research/duo-api.md §4.10: GET, POST and DELETE /admin/v1/logo ("Grant settings"), the same logo
 * as Settings, Branding in the panel and the hosted prompt show. GET answers the image's bytes with
 * their checked type (PNG or JPEG; Duo's own are PNG), 404 when none is set; POST takes `logo` in
 * base64 and checks it as the panel does (src/domain/branding/image.ts).
 */
export const logoRoutes: FastifyPluginAsync = async (app) => {
  app.get("/admin/v1/logo", { config: { action: "settings:modify" } }, async (request, reply) => {
    const logo = await asIntegration(app, request, "read", async (ctx) => {
      ctx.authorize("settings:modify");
      return logoFile(ctx.tx, ctx.accountId);
    });
    if (logo === undefined)
      throw new DuoError(404, 40401, "Resource not found", "no logo is set for this account");
    return reply
      .header("content-type", logo.contentType)
      .header("x-content-type-options", "nosniff")
      .send(logo.bytes);
  });

  app.post("/admin/v1/logo", { config: { action: "settings:modify" } }, async (request) => {
    const bytes = logoBytes(paramsOf(request).required("logo", { max: MAX_LOGO_BASE64 }));
    await asIntegration(app, request, "write", (ctx) => setLogo(ctx, bytes));
    return ok("");
  });

  app.delete("/admin/v1/logo", { config: { action: "settings:modify" } }, async (request) => {
    await asIntegration(app, request, "write", (ctx) => removeLogo(ctx));
    return ok("");
  });
};
