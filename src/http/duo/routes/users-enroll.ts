import type { FastifyPluginAsync } from "fastify";
import { MAX_ACTIVATION_SECONDS } from "../../../domain/activations/create.js";
import { enrollUserByEmail } from "../../../domain/enrollment-emails/enroll.js";
import { activationLinks } from "../../auth-api/activation-links.js";
import { publicUrlOf } from "../../public-url.js";
import { ok } from "../envelope.js";
import { asIntegration, paramsOf } from "../use-case.js";

/**
 * research/duo-api.md §4.1 POST /admin/v1/users/enroll (`username`, `email`, `valid_secs`; answers
 * `""`): an enrollment email to the user of that name, created first when there is none
 * (src/domain/enrollment-emails/enroll.ts). "Grant write resource" (users:send_enrollment; the use
 * case also decides users:create and phones:create). Without a mail server configured it is refused
 * (400); when the mail server does not take the message, 503 and nothing changed.
 */
export const userEnrollRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    "/admin/v1/users/enroll",
    { config: { action: "users:send_enrollment" } },
    async (request) => {
      const params = paramsOf(request);
      const username = params.required("username", { max: 100 });
      const email = params.required("email", { max: 254 });
      const validSeconds = params.int("valid_secs", { min: 1, max: MAX_ACTIVATION_SECONDS });
      const base = publicUrlOf(request);
      await asIntegration(app, request, "write", (ctx) =>
        enrollUserByEmail(ctx, app.mailer, {
          username,
          email,
          validSeconds,
          linkOf: (token) => activationLinks(base, token).page,
        }),
      );
      return ok("");
    },
  );
};
