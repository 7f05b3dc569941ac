import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { ProfileContext } from "../../domain/auth/profile.js";
import {
  finishSecurityKeyRegistration,
  listOwnSecurityKeys,
  removeOwnSecurityKey,
  renameOwnSecurityKey,
  startSecurityKeyRegistration,
} from "../../domain/auth/security-keys.js";
import { MAX_LABEL } from "../../domain/webauthn/label.js";
import { relyingPartyOf, WebAuthnJson, WebAuthnOptions } from "../auth/relying-party.js";
import { clientOf } from "../auth/session-plugin.js";
import { IdOf, Input, Ok } from "./schemas.js";

const SecurityKey = Type.Object({
  id: Type.String(),
  credential_name: Type.String(),
  label: Type.String(),
  passkey: Type.Boolean(),
  created_at: Type.String(),
  last_used_at: Type.Union([Type.String(), Type.Null()]),
});
const KeyParams = Type.Object({ keyId: IdOf("WA") });
const Label = Type.String({ maxLength: MAX_LABEL + 20 });
const Password = Type.String({ minLength: 1, maxLength: 1024 });

/**
 * R-ADM-3, R-ROLE-7: Edit Profile's security keys, the signed-in admin's own and nobody else's:
 * list, add (current password, then the browser's ceremony), rename, remove.
 */
export const securityKeyProfileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const context = (request: FastifyRequest): ProfileContext => {
    if (!request.session) throw new Error("profile routes run behind the panel guard");
    return {
      handle: app.database,
      secrets: app.secrets,
      session: request.session,
      client: clientOf(request),
    };
  };

  app.get(
    "/profile/security-keys",
    {
      config: { action: "profile:edit" },
      schema: { response: { 200: Type.Object({ items: Type.Array(SecurityKey) }) } },
    },
    async (request) => ({ items: await listOwnSecurityKeys(context(request)) }),
  );

  app.post(
    "/profile/security-keys/options",
    {
      config: { action: "profile:edit" },
      schema: {
        body: Input({ current_password: Password }),
        response: { 200: Type.Object({ options: WebAuthnOptions }) },
      },
    },
    async (request) => ({
      options: await startSecurityKeyRegistration(context(request), {
        currentPassword: request.body.current_password,
        relyingParty: relyingPartyOf(request),
      }),
    }),
  );

  app.post(
    "/profile/security-keys",
    {
      config: { action: "profile:edit" },
      schema: {
        body: Input({ response: WebAuthnJson, label: Type.Optional(Label) }),
        response: { 200: SecurityKey },
      },
    },
    (request) =>
      finishSecurityKeyRegistration(context(request), {
        response: request.body.response,
        label: request.body.label ?? "",
        relyingParty: relyingPartyOf(request),
      }),
  );

  app.patch(
    "/profile/security-keys/:keyId",
    {
      config: { action: "profile:edit" },
      schema: { params: KeyParams, body: Input({ label: Label }), response: { 200: SecurityKey } },
    },
    (request) =>
      renameOwnSecurityKey(context(request), {
        id: request.params.keyId,
        label: request.body.label,
      }),
  );

  app.delete(
    "/profile/security-keys/:keyId",
    {
      config: { action: "profile:edit" },
      schema: { params: KeyParams, response: { 200: Ok } },
    },
    async (request) => {
      await removeOwnSecurityKey(context(request), request.params.keyId);
      return { ok: true as const };
    },
  );
};
