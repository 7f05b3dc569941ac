import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import {
  securityKeySignInOptions,
  verifySecurityKeySignIn,
} from "../../domain/auth/security-key-sign-in.js";
import type { ThrottlePolicy } from "../../domain/auth/throttle.js";
import { Unauthorized } from "../../domain/errors.js";
import { relyingPartyOf, WebAuthnJson, WebAuthnOptions } from "./relying-party.js";
import { clientOf, setSessionCookie } from "./session-plugin.js";

/**
 * R-ADM-3: the second sign-in step with a security key, "where the browser offers it": after the
 * password (a session at stage second_factor), the page asks for options (null when the admin has
 * no key, and it offers only the code), then sends the browser's answer in place of a code.
 */
export const securityKeySignInRoutes: FastifyPluginAsyncTypebox<{
  throttle: ThrottlePolicy;
}> = async (app, { throttle }) => {
  const signInContext = (request: Parameters<typeof clientOf>[0]) => ({
    handle: app.database,
    secrets: app.secrets,
    throttle,
    client: clientOf(request),
  });
  const halfSignedIn = (request: Parameters<typeof clientOf>[0]) => {
    if (request.session?.stage !== "second_factor")
      throw new Unauthorized("Enter your email and password first");
    return request.session;
  };

  app.post(
    "/auth/second-factor/webauthn/options",
    {
      config: { public: true },
      schema: {
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: Type.Object({ options: Type.Union([WebAuthnOptions, Type.Null()]) }) },
      },
    },
    async (request) => {
      const options = await securityKeySignInOptions(
        signInContext(request),
        halfSignedIn(request),
        relyingPartyOf(request),
      );
      return { options };
    },
  );

  app.post(
    "/auth/second-factor/webauthn",
    {
      config: { public: true },
      schema: {
        body: Type.Object({ response: WebAuthnJson }, { additionalProperties: false }),
        response: { 200: Type.Object({ csrf_token: Type.String(), expires_at: Type.String() }) },
      },
    },
    async (request, reply) => {
      const session = await verifySecurityKeySignIn(
        signInContext(request),
        halfSignedIn(request),
        relyingPartyOf(request),
        request.body.response,
      );
      setSessionCookie(request, reply, session);
      return { csrf_token: session.csrfToken, expires_at: session.expiresAt.toISOString() };
    },
  );
};
