import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { recordAction } from "../../domain/audit.js";
import {
  completeActivation,
  inspectActivation,
  setActivationPassword,
} from "../../domain/auth/activation-flow.js";
import { actorOf, objectOf } from "../../domain/auth/failures.js";
import { toProfile } from "../../domain/auth/profile.js";
import { revokeAdminSessions, revokeSession } from "../../domain/auth/sessions.js";
import { signInWithPassword, verifySecondFactor } from "../../domain/auth/sign-in.js";
import type { ThrottlePolicy } from "../../domain/auth/throttle.js";
import { Unauthorized } from "../../domain/errors.js";
import { EnrollmentBody, enrollmentBody } from "./enrollment.js";
import { clearSessionCookie, clientOf, setSessionCookie } from "./session-plugin.js";

const Email = Type.String({ minLength: 3, maxLength: 254 });
// Passwords are bounded before hashing so that no request makes argon2 hash megabytes.
const Password = Type.String({ minLength: 1, maxLength: 1024 });
const Code = Type.String({ pattern: "^\\s*\\d{6}\\s*$" });
const Token = Type.String({ minLength: 20, maxLength: 128, pattern: "^[A-Za-z0-9_-]+$" });
const Ok = Type.Object({ ok: Type.Literal(true) });

/** Sign-in (R-ADM-3), sign-out, the session, and activation (R-ADM-2): the panel's front door. */
export const authRoutes: FastifyPluginAsyncTypebox<{ throttle: ThrottlePolicy }> = async (
  app,
  { throttle },
) => {
  const signInContext = (request: Parameters<typeof clientOf>[0]) => ({
    handle: app.database,
    secrets: app.secrets,
    throttle,
    client: clientOf(request),
  });

  app.post(
    "/auth/sign-in",
    {
      config: { public: true },
      schema: {
        body: Type.Object({ email: Email, password: Password }, { additionalProperties: false }),
        response: { 200: Type.Object({ next: Type.Literal("second_factor") }) },
      },
    },
    async (request, reply) => {
      const session = await signInWithPassword(signInContext(request), request.body);
      if (request.session) await revokeSession(app.database.db, request.session.idHash);
      setSessionCookie(request, reply, session);
      return { next: "second_factor" as const };
    },
  );

  app.post(
    "/auth/second-factor",
    {
      config: { public: true },
      schema: {
        body: Type.Object({ code: Code }, { additionalProperties: false }),
        response: { 200: Type.Object({ csrf_token: Type.String(), expires_at: Type.String() }) },
      },
    },
    async (request, reply) => {
      if (request.session?.stage !== "second_factor")
        throw new Unauthorized("Enter your email and password first");
      const session = await verifySecondFactor(
        signInContext(request),
        request.session,
        request.body.code,
      );
      setSessionCookie(request, reply, session);
      return { csrf_token: session.csrfToken, expires_at: session.expiresAt.toISOString() };
    },
  );

  app.get(
    "/auth/session",
    {
      config: { action: "profile:edit" },
      schema: {
        response: {
          200: Type.Object({
            admin: Type.Record(Type.String(), Type.Unknown()),
            account_id: Type.String(),
            csrf_token: Type.String(),
            expires_at: Type.String(),
          }),
        },
      },
    },
    async (request) => {
      const session = request.session;
      if (!session) throw new Unauthorized("Sign in first");
      return {
        admin: { ...toProfile(session.admin) },
        account_id: session.accountId,
        csrf_token: session.csrfToken,
        expires_at: session.expiresAt.toISOString(),
      };
    },
  );

  app.post(
    "/auth/sign-out",
    {
      config: { action: "profile:edit" },
      schema: {
        querystring: Type.Object({ everywhere: Type.Optional(Type.Boolean()) }),
        response: { 200: Ok },
      },
    },
    async (request, reply) => {
      const session = request.session;
      if (!session) throw new Unauthorized("Sign in first");
      await app.database.db.transaction().execute(async (tx) => {
        if (request.query.everywhere) await revokeAdminSessions(tx, session.admin.id);
        else await revokeSession(tx, session.idHash);
        await recordAction(tx, {
          accountId: session.admin.account_id,
          actor: actorOf(session.admin),
          action: "admin_logout",
          object: objectOf(session.admin),
          after: { everywhere: request.query.everywhere ?? false },
          ip: request.ip,
          userAgent: clientOf(request).userAgent,
        });
      });
      clearSessionCookie(request, reply);
      return { ok: true as const };
    },
  );

  app.post(
    "/auth/activation",
    {
      config: { public: true },
      schema: {
        body: Type.Object({ token: Token }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            email: Type.String(),
            name: Type.String(),
            expires_at: Type.String(),
            password_rules: Type.Array(Type.String()),
          }),
        },
      },
    },
    async (request) => {
      const activation = await inspectActivation(app.database, request.body.token);
      return {
        email: activation.email,
        name: activation.name,
        expires_at: activation.expiresAt.toISOString(),
        password_rules: activation.passwordRules,
      };
    },
  );

  app.post(
    "/auth/activation/password",
    {
      config: { public: true },
      schema: {
        body: Type.Object({ token: Token, password: Password }, { additionalProperties: false }),
        response: { 200: EnrollmentBody },
      },
    },
    async (request) => {
      const enrollment = await setActivationPassword(app.database, app.secrets, request.body);
      return enrollmentBody(enrollment);
    },
  );

  app.post(
    "/auth/activation/complete",
    {
      config: { public: true },
      schema: {
        body: Type.Object({ token: Token, code: Code }, { additionalProperties: false }),
        response: { 200: Type.Object({ email: Type.String() }) },
      },
    },
    async (request) => {
      const done = await completeActivation(app.database, app.secrets, {
        ...request.body,
        client: clientOf(request),
      });
      return { email: done.email };
    },
  );
};
