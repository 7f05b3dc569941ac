import type { FastifyPluginAsync } from "fastify";
import type { UseCaseContext } from "../../../domain/context.js";
import {
  type AccountSettingsView,
  getSettings,
  SETTING_NAMES,
  type SettingName,
  type SettingsChange,
  updateSettings,
} from "../../../domain/settings.js";
import { ok } from "../envelope.js";
import { invalid, type ParamReader } from "../params.js";
import { asIntegration, paramsOf } from "../use-case.js";

/** Settings Duo has and Gatehouse keeps no equivalent of: refused by name, so a script is not misled. */
const NOT_KEPT = [
  "inactive_user_expiration",
  "unenrolled_user_lockout_threshold",
  "pending_deletion_days",
  "log_retention_days",
  "sms_batch",
  "sms_expiration",
  "sms_refresh",
  "sms_message",
  "telephony_warning_min",
  "caller_id",
  "user_telephony_cost_max",
  "keypress_confirm",
  "keypress_fraud",
  "fraud_email",
  "fraud_email_enabled",
  "timezone",
  "language",
  "helpdesk_message",
  "security_checkup_enabled",
  "email_activity_notification_enabled",
  "push_activity_notification_enabled",
  "enrollment_universal_prompt_enabled",
];

const BOOLEAN: ReadonlySet<SettingName> = new Set([
  "helpdesk_can_send_enroll_email",
  "user_managers_can_put_users_in_bypass",
  "password_requires_upper_alpha",
  "password_requires_lower_alpha",
  "password_requires_numeric",
  "password_requires_special",
]);

const NONE_MEANS_NULL: ReadonlySet<SettingName> = new Set([
  "admin_inactivity_days",
  "lockout_expire_duration",
  "remembered_browser_days",
]);

/**
 * The settings a POST names, typed as the wire gives them ("1"/"true", digits); the domain checks
 * ranges and names the setting at fault. Duo's legacy settings (push_enabled, ...) are ignored, as Duo does.
 */
function readChange(reader: ParamReader): SettingsChange {
  if (reader.has("name"))
    throw invalid("name", "is read-only here; rename the account in the panel");
  const refused = NOT_KEPT.find((name) => reader.has(name));
  if (refused !== undefined) throw invalid(refused, "is a Duo setting Gatehouse does not keep");
  const change: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    if (!reader.has(name)) continue;
    if (BOOLEAN.has(name)) change[name] = reader.bool(name);
    else if (name === "helpdesk_bypass" || name === "new_user_policy")
      change[name] = reader.string(name);
    else {
      const text = reader.string(name) ?? "";
      // Empty or 0 is "none": admin_inactivity_days never expires; lockout_expire_duration lasts
      // until an admin unlocks the user (§4.10: "0 means manual unlock").
      if (NONE_MEANS_NULL.has(name) && (text === "" || text === "0" || text === "null"))
        change[name] = null;
      else if (/^-?\d{1,9}$/.test(text)) change[name] = Number(text);
      else throw invalid(name, "must be a whole number");
    }
  }
  return change as SettingsChange;
}

/** Duo's settings object: the account's name (read-only) and the settings Gatehouse keeps. */
function toDuoSettings(ctx: UseCaseContext, settings: AccountSettingsView) {
  return { name: ctx.snapshot.accounts.get(ctx.accountId)?.name ?? "", ...settings };
}

/** research/duo-api.md §4.10: GET and POST /admin/v1/settings ("Grant settings"). */
export const settingsRoutes: FastifyPluginAsync = async (app) => {
  app.get("/admin/v1/settings", { config: { action: "settings:modify" } }, async (request) =>
    ok(
      await asIntegration(app, request, "read", async (ctx) =>
        toDuoSettings(ctx, await getSettings(ctx)),
      ),
    ),
  );

  app.post("/admin/v1/settings", { config: { action: "settings:modify" } }, async (request) => {
    const change = readChange(paramsOf(request));
    return ok(
      await asIntegration(app, request, "write", async (ctx) =>
        toDuoSettings(ctx, await updateSettings(ctx, change)),
      ),
    );
  });
};
