import type { FastifyPluginAsync } from "fastify";
import { isId } from "../../../db/ids.js";
import { NotFound } from "../../../domain/errors.js";
import { deleteWebAuthnCredential } from "../../../domain/webauthn/delete.js";
import { getWebAuthnCredential, listWebAuthnCredentials } from "../../../domain/webauthn/list.js";
import { ok, okPage, readPage } from "../envelope.js";
import { asIntegration, paramsOf } from "../use-case.js";
import { duoWebAuthn, duoWebAuthnWithUser } from "../webauthn-shapes.js";

/** research/duo-api.md §3: webauthncredentials, and a user's, page by 100 up to 500. */
const WEBAUTHN_PAGE = { default: 100, max: 500 };

type KeyParams = { Params: { webauthnkey: string } };
type UserParams = { Params: { userId: string } };

/** A webauthnkey that cannot name a credential is not found, without asking the database. */
function checkedKey(key: string): string {
  if (!isId("webauthnCredential", key)) throw new NotFound("webauthn_credential", key);
  return key;
}

/**
 * research/duo-api.md §4.4 (webauthncredentials) and §4.1 (a user's), on the panel's use cases:
 * users' security keys and passkeys, seen with phones:view and removed with tokens:delete
 * (R-ROLE-2 "Manage 2FA devices"), only those of users in the caller's units (R-UNIT-8f). They
 * are registered by their users at the hosted prompt, never through this API.
 */
export const webAuthnRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    "/admin/v1/webauthncredentials",
    { config: { action: "phones:view" } },
    async (request) => {
      const page = readPage(paramsOf(request), WEBAUTHN_PAGE);
      const found = await asIntegration(app, request, "read", (ctx) =>
        listWebAuthnCredentials(ctx, page),
      );
      return okPage(found.items.map(duoWebAuthnWithUser), page, found.total);
    },
  );

  app.get<KeyParams>(
    "/admin/v1/webauthncredentials/:webauthnkey",
    { config: { action: "phones:view" } },
    async (request) => {
      const key = checkedKey(request.params.webauthnkey);
      const credential = await asIntegration(app, request, "read", (ctx) =>
        getWebAuthnCredential(ctx, key),
      );
      return ok(duoWebAuthnWithUser(credential));
    },
  );

  app.delete<KeyParams>(
    "/admin/v1/webauthncredentials/:webauthnkey",
    { config: { action: "tokens:delete" } },
    async (request) => {
      const key = checkedKey(request.params.webauthnkey);
      await asIntegration(app, request, "write", (ctx) => deleteWebAuthnCredential(ctx, key));
      return ok("");
    },
  );

  app.get<UserParams>(
    "/admin/v1/users/:userId/webauthncredentials",
    { config: { action: "phones:view" } },
    async (request) => {
      const page = readPage(paramsOf(request), WEBAUTHN_PAGE);
      const found = await asIntegration(app, request, "read", (ctx) =>
        listWebAuthnCredentials(ctx, { userId: request.params.userId, ...page }),
      );
      return okPage(found.items.map(duoWebAuthn), page, found.total);
    },
  );
};
