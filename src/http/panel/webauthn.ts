import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { deleteWebAuthnCredential } from "../../domain/webauthn/delete.js";
import { listWebAuthnCredentials } from "../../domain/webauthn/list.js";
import { UserParams } from "./device-schemas.js";
import { IdOf, Input, Ok, PageOf, PageQuery } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const CredentialParams = Type.Object({ credentialId: IdOf("WA") });

/** A user's security key or passkey as the user page lists it; never its key or counter. */
const WebAuthnCredential = Type.Object({
  id: Type.String(),
  credential_name: Type.String(),
  label: Type.String(),
  passkey: Type.Boolean(),
  created_at: Type.String(),
  last_used_at: Type.Union([Type.String(), Type.Null()]),
  user: Type.Object({ id: Type.String(), username: Type.String() }),
});

/**
 * Users' WebAuthn security keys and passkeys on the user page (R-AUTH-2; R-ROLE-2 "Manage 2FA
 * devices": seen with phones:view, removed with tokens:delete, as hardware tokens are, Help Desk
 * included, R-ROLE-3; R-UNIT-8f: only those of users in the admin's units, others not found).
 * Users register them themselves, at the hosted prompt; admins list and remove them.
 */
export const webAuthnRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/users/:userId/webauthn-credentials",
    {
      config: { action: "phones:view" },
      schema: {
        params: UserParams,
        querystring: Input(PageQuery),
        response: { 200: PageOf(WebAuthnCredential) },
      },
    },
    (request) =>
      asAdmin(app, request, "read", (ctx) =>
        listWebAuthnCredentials(ctx, { ...request.query, userId: request.params.userId }),
      ),
  );

  app.delete(
    "/webauthn-credentials/:credentialId",
    {
      config: { action: "tokens:delete" },
      schema: { params: CredentialParams, response: { 200: Ok } },
    },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) =>
        deleteWebAuthnCredential(ctx, request.params.credentialId),
      );
      return { ok: true as const };
    },
  );
};
