import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import {
  type BrandingSettingsView,
  getBrandingSettings,
  removeLogo,
  setLogo,
  updateBranding,
} from "../../domain/branding/settings.js";
import { Invalid } from "../../domain/errors.js";
import { logoPath } from "../branding/routes.js";
import { Input } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const Logo = Type.Object({
  url: Type.String(),
  hash: Type.String(),
  content_type: Type.Union([Type.Literal("image/png"), Type.Literal("image/jpeg")]),
  width: Type.Integer(),
  height: Type.Integer(),
  size: Type.Integer(),
});

const Branding = Type.Object({
  name: Type.Union([Type.String(), Type.Null()]),
  default_name: Type.String(),
  colour: Type.Union([Type.String(), Type.Null()]),
  default_colour: Type.String(),
  logo: Type.Union([Logo, Type.Null()]),
});

/** Lengths only here; the domain judges the rest (a name's length, a colour's contrast). */
const BrandingChange = Input({
  name: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  colour: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
});

/**
 * The logo's bytes in base64, in the panel's JSON (so the door's CSRF guard and text guard apply
 * as to every other body). Room for more than the 200 KB the domain takes, so that a file a little
 * too big is refused by the domain in words (its size and the limit); far too big, by the schema.
 */
const LogoUpload = Input({ logo: Type.String({ maxLength: 1_000_000 }) });

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64: Buffer.from would skip what is not base64 and decode the rest. */
function decodeBase64(text: string): Buffer {
  if (!BASE64.test(text)) throw new Invalid("logo", "must be the image file's bytes in base64");
  return Buffer.from(text, "base64");
}

/** The view, with where the prompt (and the panel's preview) finds the logo. */
function withUrl(accountId: string, view: BrandingSettingsView) {
  return {
    ...view,
    logo: view.logo === null ? null : { ...view.logo, url: logoPath(accountId, view.logo.hash) },
  };
}

/**
 * Settings, Branding (issue 15): the name, button colour and logo the hosted prompt shows, for the
 * account the session acts in; global settings, so R-ROLE-2 "Modify global settings" (reading
 * too), never a restricted admin's (R-UNIT-4). Each change writes one record (R-AUD-1).
 */
export const brandingSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/settings/branding",
    { config: { action: "settings:modify" }, schema: { response: { 200: Branding } } },
    (request) =>
      asAdmin(app, request, "read", async (ctx) =>
        withUrl(ctx.accountId, await getBrandingSettings(ctx)),
      ),
  );

  app.patch(
    "/settings/branding",
    {
      config: { action: "settings:modify" },
      schema: { body: BrandingChange, response: { 200: Branding } },
    },
    (request) =>
      asAdmin(app, request, "write", async (ctx) =>
        withUrl(ctx.accountId, await updateBranding(ctx, request.body)),
      ),
  );

  app.put(
    "/settings/branding/logo",
    {
      config: { action: "settings:modify" },
      schema: { body: LogoUpload, response: { 200: Branding } },
    },
    (request) =>
      asAdmin(app, request, "write", async (ctx) =>
        withUrl(ctx.accountId, await setLogo(ctx, decodeBase64(request.body.logo))),
      ),
  );

  app.delete(
    "/settings/branding/logo",
    { config: { action: "settings:modify" }, schema: { response: { 200: Branding } } },
    (request) =>
      asAdmin(app, request, "write", async (ctx) => withUrl(ctx.accountId, await removeLogo(ctx))),
  );
};
