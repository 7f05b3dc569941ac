import type { FastifyPluginAsync } from "fastify";
import { MAX_ACTIVATION_SECONDS } from "../../../domain/activations/create.js";
import {
  createPhoneActivation,
  INSTALLATION_URL_MARK,
  parseMessage,
  sendSmsActivation,
} from "../../../domain/phones/activation.js";
import { activationLinks } from "../../auth-api/activation-links.js";
import { publicUrlOf } from "../../public-url.js";
import { ok } from "../envelope.js";
import type { ParamReader } from "../params.js";
import { asIntegration, paramsOf } from "../use-case.js";

type PhoneParams = { Params: { phoneId: string } };

function validSeconds(params: ParamReader): number | undefined {
  return params.int("valid_secs", { min: 1, max: MAX_ACTIVATION_SECONDS });
}

/**
 * research/duo-api.md §4.3: a phone's activation, for an authenticator app (Gatehouse's TOTP, in
 * place of Duo Mobile; src/domain/phones/activation.ts). "Grant write resource" (phones:send_activation).
 * `install`: Gatehouse has no app of its own to install; the activation page names the apps that
 * work, so it is also the `installation_url`, and no separate installation message is sent.
 */
export const phoneActivationRoutes: FastifyPluginAsync = async (app) => {
  app.post<PhoneParams>(
    "/admin/v1/phones/:phoneId/activation_url",
    { config: { action: "phones:send_activation" } },
    async (request) => {
      const params = paramsOf(request);
      const wanted = { validSeconds: validSeconds(params) };
      const install = params.bool("install") ?? false;
      const created = await asIntegration(app, request, "write", (ctx) =>
        createPhoneActivation(ctx, request.params.phoneId, wanted),
      );
      const links = activationLinks(publicUrlOf(request), created.activation.token);
      return ok({
        activation_barcode: links.barcode,
        activation_url: links.page,
        ...(install ? { installation_url: links.page } : {}),
        valid_secs: created.validSeconds,
      });
    },
  );

  app.post<PhoneParams>(
    "/admin/v1/phones/:phoneId/send_sms_activation",
    { config: { action: "phones:send_activation" } },
    async (request) => {
      const params = paramsOf(request);
      const seconds = validSeconds(params);
      // Checked as Duo checks them, though one message goes: the activation page says what to install.
      params.bool("install");
      parseMessage(
        "installation_msg",
        params.string("installation_msg", { max: 1000 }),
        INSTALLATION_URL_MARK,
      );
      const activationMessage = params.string("activation_msg", { max: 1000 });
      const base = publicUrlOf(request);
      const sent = await sendSmsActivation(
        (mode, work) => asIntegration(app, request, mode, work),
        request.params.phoneId,
        {
          validSeconds: seconds,
          activationMessage,
          linkOf: (token) => activationLinks(base, token).page,
        },
      );
      return ok({
        activation_barcode: activationLinks(base, sent.activation.token).barcode,
        activation_msg: sent.message,
        installation_msg: "",
        valid_secs: sent.validSeconds,
      });
    },
  );
};
