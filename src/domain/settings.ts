import { NEW_USER_POLICIES, type NewUserPolicy } from "../db/schema.js";
import type { UseCaseContext } from "./context.js";
import { Invalid } from "./errors.js";
import {
  type GlobalPolicySettings,
  readGlobalPolicySettings,
  writeGlobalPolicySettings,
} from "./policies/global-settings.js";

/**
 * An account's settings (the `account_settings` row), named as Duo's Admin API names them where
 * Duo has the setting (research/duo-api.md §4.10): R-ROLE-4's Help Desk and User Manager limits,
 * the administrator password rules, and the users' lockout (R-AUTH-3: Duo's `lockout_threshold` and
 * `lockout_expire_duration` concern the users Gatehouse authenticates). The `admin_*` names are
 * Gatehouse's own: administrator lockout, inactivity, sessions and activation links (R-ADM-1,
 * R-ADM-3, R-ADM-4). `new_user_policy` and `remembered_browser_days` are the global policy's
 * (src/domain/policies/global-settings.ts), kept here under these names. The SMS gateway is configured apart (src/domain/telephony/configure.ts): its
 * secret is write-only, which these read-and-write settings are not.
 */
export interface AccountSettingsView {
  /** R-ROLE-4: may Help Desk create bypass codes: "allow", "limit" (with an expiration) or "deny". */
  helpdesk_bypass: "allow" | "limit" | "deny";
  /** Minutes a Help Desk bypass code lasts under "limit". */
  helpdesk_bypass_expiration: number;
  helpdesk_can_send_enroll_email: boolean;
  user_managers_can_put_users_in_bypass: boolean;
  minimum_password_length: number;
  password_requires_upper_alpha: boolean;
  password_requires_lower_alpha: boolean;
  password_requires_numeric: boolean;
  password_requires_special: boolean;
  /** Failed sign-ins before an administrator is locked out. */
  admin_lockout_threshold: number;
  /** Minutes an administrator stays locked out. */
  admin_lockout_minutes: number;
  /** Days without signing in before an administrator expires; null: never. */
  admin_inactivity_days: number | null;
  admin_session_idle_minutes: number;
  admin_session_max_hours: number;
  /** Days an administrator's activation link stays valid. */
  admin_activation_valid_days: number;
  /** R-AUTH-3: consecutive failed passcodes before a user is locked out. */
  lockout_threshold: number;
  /** R-AUTH-3: minutes a user stays locked out; null: until an admin unlocks them. */
  lockout_expire_duration: number | null;
  /** What happens to a user with no device: must enroll, may pass without 2FA, or is denied. */
  new_user_policy: NewUserPolicy;
  /** Days a browser may skip the hosted prompt after a factor ("Remember me"); null: never offered. */
  remembered_browser_days: number | null;
}

export type SettingsChange = Partial<AccountSettingsView>;
export type SettingName = keyof AccountSettingsView;

type Rule =
  /** `nullable`: what no value means, in words ("never"). */
  | { kind: "int"; min: number; max: number; nullable?: string }
  | { kind: "bool" }
  | { kind: "enum"; values: readonly string[] };

/**
 * Each setting's column and rule; the ranges are the table's own checks (0001_init.sql,
 * 0008_authentication.sql). No column: the global policy keeps it.
 */
const SETTINGS: Record<SettingName, { column?: string; rule: Rule }> = {
  helpdesk_bypass: {
    column: "helpdesk_bypass",
    rule: { kind: "enum", values: ["allow", "limit", "deny"] },
  },
  helpdesk_bypass_expiration: {
    column: "helpdesk_bypass_expiration",
    rule: { kind: "int", min: 1, max: 525600 },
  },
  helpdesk_can_send_enroll_email: {
    column: "helpdesk_can_send_enroll_email",
    rule: { kind: "bool" },
  },
  user_managers_can_put_users_in_bypass: {
    column: "user_managers_can_put_users_in_bypass",
    rule: { kind: "bool" },
  },
  minimum_password_length: {
    column: "admin_password_min_length",
    rule: { kind: "int", min: 8, max: 128 },
  },
  password_requires_upper_alpha: { column: "admin_password_require_upper", rule: { kind: "bool" } },
  password_requires_lower_alpha: { column: "admin_password_require_lower", rule: { kind: "bool" } },
  password_requires_numeric: { column: "admin_password_require_digit", rule: { kind: "bool" } },
  password_requires_special: { column: "admin_password_require_special", rule: { kind: "bool" } },
  admin_lockout_threshold: {
    column: "admin_lockout_threshold",
    rule: { kind: "int", min: 1, max: 100 },
  },
  admin_lockout_minutes: {
    column: "admin_lockout_minutes",
    rule: { kind: "int", min: 1, max: 10080 },
  },
  admin_inactivity_days: {
    column: "admin_inactivity_days",
    rule: { kind: "int", min: 1, max: 3650, nullable: "for never" },
  },
  admin_session_idle_minutes: {
    column: "admin_session_idle_minutes",
    rule: { kind: "int", min: 1, max: 1440 },
  },
  admin_session_max_hours: {
    column: "admin_session_max_hours",
    rule: { kind: "int", min: 1, max: 720 },
  },
  admin_activation_valid_days: {
    column: "admin_activation_valid_days",
    rule: { kind: "int", min: 1, max: 31 },
  },
  lockout_threshold: { column: "user_lockout_threshold", rule: { kind: "int", min: 1, max: 100 } },
  lockout_expire_duration: {
    column: "user_lockout_minutes",
    rule: { kind: "int", min: 1, max: 525600, nullable: "until an admin unlocks the user" },
  },
  new_user_policy: { rule: { kind: "enum", values: NEW_USER_POLICIES } },
  remembered_browser_days: {
    rule: { kind: "int", min: 1, max: 90, nullable: "to never remember a browser" },
  },
};

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(SETTINGS, name);
}

function parseSetting(name: SettingName, value: unknown): unknown {
  const rule = SETTINGS[name].rule;
  switch (rule.kind) {
    case "bool":
      if (typeof value !== "boolean") throw new Invalid(name, "must be true or false");
      return value;
    case "enum":
      if (typeof value !== "string" || !rule.values.includes(value))
        throw new Invalid(name, `must be one of ${rule.values.join(", ")}`);
      return value;
    case "int":
      if (value === null && rule.nullable !== undefined) return null;
      if (typeof value !== "number" || !Number.isInteger(value))
        throw new Invalid(
          name,
          `must be a whole number${rule.nullable === undefined ? "" : ` (or nothing, ${rule.nullable})`}`,
        );
      if (value < rule.min || value > rule.max)
        throw new Invalid(name, `must be between ${rule.min} and ${rule.max}`);
      return value;
  }
}

async function readSettings(ctx: UseCaseContext): Promise<AccountSettingsView> {
  const row = (await ctx.tx
    .selectFrom("account_settings")
    .selectAll()
    .where("account_id", "=", ctx.accountId)
    .executeTakeFirstOrThrow()) as unknown as Record<string, unknown>;
  const columns = Object.fromEntries(
    SETTING_NAMES.flatMap((name) => {
      const column = SETTINGS[name].column;
      return column === undefined ? [] : [[name, row[column]]];
    }),
  );
  return {
    ...columns,
    ...(await readGlobalPolicySettings(ctx.tx, ctx.accountId)),
  } as AccountSettingsView;
}

/**
 * The settings of the account the caller acts in. Reading them takes settings:modify: they are the
 * "Modify global settings" row's own page (R-ROLE-2), and Duo's GET /admin/v1/settings likewise
 * needs the "Grant settings" permission that row maps to; no role may read them that cannot edit them.
 */
export async function getSettings(ctx: UseCaseContext): Promise<AccountSettingsView> {
  ctx.authorize("settings:modify");
  return readSettings(ctx);
}

/**
 * Changes some settings of the account the caller acts in, each validated (an error names the
 * setting at fault, and nothing is changed), and logs one "customer_update" record (Duo's action
 * name for a settings change) with the settings that changed, before and after.
 */
export async function updateSettings(
  ctx: UseCaseContext,
  change: SettingsChange,
): Promise<AccountSettingsView> {
  ctx.authorize("settings:modify");
  const parsed: Partial<Record<SettingName, unknown>> = {};
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) continue;
    if (!isSettingName(name)) throw new Invalid(name, "is not a setting Gatehouse keeps");
    parsed[name] = parseSetting(name, value);
  }
  const before = await readSettings(ctx);
  const changed = (Object.keys(parsed) as SettingName[]).filter(
    (name) => parsed[name] !== before[name],
  );
  const inColumns = changed.filter((name) => SETTINGS[name].column !== undefined);
  const inPolicy = changed.filter((name) => SETTINGS[name].column === undefined);
  if (inColumns.length > 0)
    await ctx.tx
      .updateTable("account_settings")
      .set({
        ...Object.fromEntries(inColumns.map((name) => [SETTINGS[name].column, parsed[name]])),
        updated_at: new Date(),
      })
      .where("account_id", "=", ctx.accountId)
      .execute();
  if (inPolicy.length > 0)
    await writeGlobalPolicySettings(
      ctx,
      Object.fromEntries(
        inPolicy.map((name) => [name, parsed[name]]),
      ) as Partial<GlobalPolicySettings>,
    );
  await ctx.audit({
    action: "customer_update",
    object: {
      kind: "account",
      id: ctx.accountId,
      name: ctx.snapshot.accounts.get(ctx.accountId)?.name,
    },
    before: Object.fromEntries(changed.map((name) => [name, before[name]])),
    after: Object.fromEntries(changed.map((name) => [name, parsed[name]])),
  });
  return {
    ...before,
    ...(Object.fromEntries(changed.map((n) => [n, parsed[n]])) as SettingsChange),
  };
}
