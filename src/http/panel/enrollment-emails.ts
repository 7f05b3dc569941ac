import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { MAX_ACTIVATION_SECONDS } from "../../domain/activations/create.js";
import { sendEnrollmentEmail } from "../../domain/enrollment-emails/send.js";
import { activationLinks } from "../auth-api/activation-links.js";
import { publicUrlOf } from "../public-url.js";
import { UserParams } from "./device-schemas.js";
import { Input } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const DAY_SECONDS = 86_400;
const MAX_DAYS = MAX_ACTIVATION_SECONDS / DAY_SECONDS;

/**
 * Email from the panel: whether this server can send any (the Send enrollment email button and Add
 * Administrator's "Email the link" ask), and the user page's Send enrollment email (R-AUTH-5;
 * R-ROLE-3 and, for Help Desk, the account's setting, R-ROLE-4; within units, R-UNIT-8a).
 */
export const enrollmentEmailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/mail-delivery",
    {
      config: { action: "dashboard:view" },
      schema: { response: { 200: Type.Object({ configured: Type.Boolean() }) } },
    },
    async () => ({ configured: app.mailer !== undefined }),
  );

  app.post(
    "/users/:userId/enrollment-email",
    {
      config: { action: "users:send_enrollment" },
      schema: {
        params: UserParams,
        body: Input({
          email: Type.String({ minLength: 1, maxLength: 254 }),
          valid_days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DAYS })),
        }),
        response: {
          200: Type.Object({
            user_id: Type.String(),
            username: Type.String(),
            sent_to: Type.String(),
            expires_at: Type.String(),
          }),
        },
      },
    },
    async (request) => {
      const base = publicUrlOf(request);
      const { valid_days: days } = request.body;
      const sent = await asAdmin(app, request, "write", (ctx) =>
        sendEnrollmentEmail(ctx, app.mailer, request.params.userId, {
          email: request.body.email,
          ...(days === undefined ? {} : { validSeconds: days * DAY_SECONDS }),
          linkOf: (token) => activationLinks(base, token).page,
        }),
      );
      return {
        user_id: sent.userId,
        username: sent.username,
        sent_to: sent.sentTo,
        expires_at: sent.expiresAt.toISOString(),
      };
    },
  );
};
