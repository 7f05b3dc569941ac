import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { getSettings, updateSettings } from "../../domain/settings.js";
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
};

const Settings = Type.Object(FIELDS);
/** Every setting optional; a field not listed is refused by name. */
const SettingsChange = Type.Partial(Settings, { additionalProperties: false });

/**
 * The account's global settings, for the account the session acts in: R-ROLE-2 "Modify global
 * settings" (reading them takes the same action, as Duo's "Grant settings" does), R-ROLE-4's Help
 * Desk and User Manager limits, R-ADM-1/3/4's administrator sign-in policy. Account-wide, so never
 * a restricted admin's (R-UNIT-4). A change writes one record with each changed setting before and
 * after (R-AUD-1); an invalid value is refused naming the setting and changes nothing.
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
};
