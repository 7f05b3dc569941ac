import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { getSettings, updateSettings } from "../../domain/settings.js";
import {
  configureSmsGateway,
  getSmsGateway,
  removeSmsGateway,
  sendTestMessage,
} from "../../domain/telephony/configure.js";
import {
  MAX_BODY_LENGTH,
  MAX_SECRET_LENGTH,
  MAX_URL_LENGTH,
} from "../../domain/telephony/gateway-fields.js";
import { Input } from "./schemas.js";
import { asAdmin } from "./use-case.js";

/**
 * The wire types of the settings; their ranges are the domain's (src/domain/settings.ts), so the
 * panel and the Duo door refuse the same values with the same sentence, naming the setting.
 */
const FIELDS = {
  helpdesk_bypass: Type.Union([Type.Literal("allow"), Type.Literal("limit"), Type.Literal("deny")]),
  helpdesk_bypass_expiration: Type.Integer(),
  helpdesk_can_send_enroll_email: Type.Boolean(),
  user_managers_can_put_users_in_bypass: Type.Boolean(),
  minimum_password_length: Type.Integer(),
  password_requires_upper_alpha: Type.Boolean(),
  password_requires_lower_alpha: Type.Boolean(),
  password_requires_numeric: Type.Boolean(),
  password_requires_special: Type.Boolean(),
  admin_lockout_threshold: Type.Integer(),
  admin_lockout_minutes: Type.Integer(),
  /** null: administrators never expire for inactivity (R-ADM-1). */
  admin_inactivity_days: Type.Union([Type.Integer(), Type.Null()]),
  admin_session_idle_minutes: Type.Integer(),
  admin_session_max_hours: Type.Integer(),
  admin_activation_valid_days: Type.Integer(),
  /** R-AUTH-3: the users' lockout; null: a locked-out user waits for an admin to unlock them. */
  lockout_threshold: Type.Integer(),
  lockout_expire_duration: Type.Union([Type.Integer(), Type.Null()]),
  new_user_policy: Type.Union([
    Type.Literal("enroll"),
    Type.Literal("allow"),
    Type.Literal("deny"),
  ]),
  /** null: the hosted prompt never offers "Remember me". */
  remembered_browser_days: Type.Union([Type.Integer(), Type.Null()]),
};

const Settings = Type.Object(FIELDS);

/** The gateway as shown: never the secret header's value, only whether one is set. */
const SmsGateway = Type.Object({
  configured: Type.Boolean(),
  url: Type.Union([Type.String(), Type.Null()]),
  method: Type.String(),
  content_type: Type.String(),
  body: Type.String(),
  secret_header: Type.Union([Type.String(), Type.Null()]),
  secret_value: Type.Union([Type.Literal("set"), Type.Null()]),
});
/** Lengths only here (a longer text is refused by the schema, naming it); the domain says the rest. */
const SmsGatewayInput = Input({
  url: Type.String({ maxLength: MAX_URL_LENGTH }),
  method: Type.String({ maxLength: 10 }),
  content_type: Type.String({ maxLength: 100 }),
  body: Type.String({ maxLength: MAX_BODY_LENGTH }),
  secret_header: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  secret_value: Type.Optional(Type.String({ maxLength: MAX_SECRET_LENGTH })),
});
/** Every setting optional; a field not listed is refused by name. */
const SettingsChange = Type.Partial(Settings, { additionalProperties: false });

/**
 * The account's global settings, for the account the session acts in: R-ROLE-2 "Modify global
 * settings" (reading them takes the same action, as Duo's "Grant settings" does), R-ROLE-4's Help
 * Desk and User Manager limits, R-ADM-1/3/4's administrator sign-in policy, R-AUTH-3's user
 * lockout, the new-user policy, and the SMS gateway. Account-wide, so never a restricted admin's
 * (R-UNIT-4). A change writes one record with each changed setting before and after (R-AUD-1); an
 * invalid value is refused naming the setting and changes nothing.
 */
export const settingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/settings",
    { config: { action: "settings:modify" }, schema: { response: { 200: Settings } } },
    (request) => asAdmin(app, request, "read", (ctx) => getSettings(ctx)),
  );

  app.patch(
    "/settings",
    {
      config: { action: "settings:modify" },
      schema: { body: SettingsChange, response: { 200: Settings } },
    },
    (request) => asAdmin(app, request, "write", (ctx) => updateSettings(ctx, request.body)),
  );

  app.get(
    "/settings/sms-gateway",
    { config: { action: "settings:modify" }, schema: { response: { 200: SmsGateway } } },
    (request) => asAdmin(app, request, "read", (ctx) => getSmsGateway(ctx)),
  );

  app.put(
    "/settings/sms-gateway",
    {
      config: { action: "settings:modify" },
      schema: { body: SmsGatewayInput, response: { 200: SmsGateway } },
    },
    (request) => asAdmin(app, request, "write", (ctx) => configureSmsGateway(ctx, request.body)),
  );

  app.delete(
    "/settings/sms-gateway",
    { config: { action: "settings:modify" }, schema: { response: { 200: SmsGateway } } },
    (request) => asAdmin(app, request, "write", (ctx) => removeSmsGateway(ctx)),
  );

  /** One SMS to the number given; the gateway's refusal is an answer (sent: false), not an error. */
  app.post(
    "/settings/sms-gateway/test",
    {
      config: { action: "settings:modify" },
      schema: {
        body: Input({ to: Type.String({ maxLength: 32 }) }),
        response: {
          200: Type.Object({ sent: Type.Boolean(), why: Type.Optional(Type.String()) }),
        },
      },
    },
    (request) => sendTestMessage((mode, work) => asAdmin(app, request, mode, work), request.body),
  );
};
