import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import {
  changePassword,
  confirmFactorChange,
  type ProfileContext,
  readProfile,
  startFactorChange,
  updateProfile,
} from "../../domain/auth/profile.js";
import { EnrollmentBody, enrollmentBody } from "../auth/enrollment.js";
import { clientOf } from "../auth/session-plugin.js";

const Profile = Type.Object({
  admin_id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
  subaccount_role: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  account_id: Type.String(),
  is_temporary: Type.Boolean(),
  last_sign_in_at: Type.Union([Type.String(), Type.Null()]),
  /** R-ADM-3: the rules a new password must follow, in words (as POST /api/auth/activation gives them). */
  password_rules: Type.Array(Type.String()),
});
const Ok = Type.Object({ ok: Type.Literal(true) });
const Password = Type.String({ minLength: 1, maxLength: 1024 });

/** R-ROLE-7: Edit Profile. The body schemas list the only fields an admin can change about themselves. */
export const profileRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
    "/profile",
    { config: { action: "profile:edit" }, schema: { response: { 200: Profile } } },
    async (request) => readProfile(context(request)),
  );

  app.patch(
    "/profile",
    {
      config: { action: "profile:edit" },
      schema: {
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 200 })),
            phone: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 200: Profile },
      },
    },
    async (request) => updateProfile(context(request), request.body),
  );

  app.post(
    "/profile/password",
    {
      config: { action: "profile:edit" },
      schema: {
        body: Type.Object(
          { current_password: Password, new_password: Password },
          { additionalProperties: false },
        ),
        response: { 200: Ok },
      },
    },
    async (request) => {
      await changePassword(context(request), {
        currentPassword: request.body.current_password,
        newPassword: request.body.new_password,
      });
      return { ok: true as const };
    },
  );

  app.post(
    "/profile/second-factor",
    {
      config: { action: "profile:edit" },
      schema: {
        body: Type.Object({ current_password: Password }, { additionalProperties: false }),
        response: {
          200: EnrollmentBody,
        },
      },
    },
    async (request) => {
      const enrollment = await startFactorChange(context(request), {
        currentPassword: request.body.current_password,
      });
      return enrollmentBody(enrollment);
    },
  );

  app.post(
    "/profile/second-factor/confirm",
    {
      config: { action: "profile:edit" },
      schema: {
        body: Type.Object(
          { code: Type.String({ pattern: "^\\s*\\d{6}\\s*$" }) },
          { additionalProperties: false },
        ),
        response: { 200: Ok },
      },
    },
    async (request) => {
      await confirmFactorChange(context(request), request.body);
      return { ok: true as const };
    },
  );
};
