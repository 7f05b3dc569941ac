/** The shapes of src/http/panel/settings.ts: the account's global settings (R-ROLE-4, R-ADM-1/3/4, R-AUTH-3). */
export interface AccountSettings {
  helpdesk_bypass: "allow" | "limit" | "deny";
  helpdesk_bypass_expiration: number;
  helpdesk_can_send_enroll_email: boolean;
  user_managers_can_put_users_in_bypass: boolean;
  minimum_password_length: number;
  password_requires_upper_alpha: boolean;
  password_requires_lower_alpha: boolean;
  password_requires_numeric: boolean;
  password_requires_special: boolean;
  admin_lockout_threshold: number;
  admin_lockout_minutes: number;
  /** null: administrators never expire for inactivity. */
  admin_inactivity_days: number | null;
  admin_session_idle_minutes: number;
  admin_session_max_hours: number;
  admin_activation_valid_days: number;
  /** R-AUTH-3: wrong passcodes in a row before a user is locked out. */
  lockout_threshold: number;
  /** Minutes a user stays locked out; null: until an administrator unlocks them. */
  lockout_expire_duration: number | null;
  /** A user with no device: must enroll, passes without 2FA, or is denied. */
  new_user_policy: "enroll" | "allow" | "deny";
  /** Days "Remember me" in the hosted prompt keeps a browser; null: not offered. */
  remembered_browser_days: number | null;
}

export type SettingName = keyof AccountSettings;

/**
 * The form's copy of the settings: a number input holds a string while it is empty or being
 * typed ("" from Mantine's NumberInput), which is not sent.
 */
export type SettingsDraft = {
  [K in SettingName]:
    | AccountSettings[K]
    | (AccountSettings[K] extends boolean | string ? never : "");
};

export const settingsKey = (accountId: string) => ["settings", accountId] as const;

export const SETTING_NAMES = [
  "helpdesk_bypass",
  "helpdesk_bypass_expiration",
  "helpdesk_can_send_enroll_email",
  "user_managers_can_put_users_in_bypass",
  "minimum_password_length",
  "password_requires_upper_alpha",
  "password_requires_lower_alpha",
  "password_requires_numeric",
  "password_requires_special",
  "admin_lockout_threshold",
  "admin_lockout_minutes",
  "admin_inactivity_days",
  "admin_session_idle_minutes",
  "admin_session_max_hours",
  "admin_activation_valid_days",
  "lockout_threshold",
  "lockout_expire_duration",
  "new_user_policy",
  "remembered_browser_days",
] as const satisfies readonly SettingName[];

/** Only what differs from the saved settings; `empty` lists number inputs left blank (not sendable). */
export function changeOf(
  saved: AccountSettings,
  draft: SettingsDraft,
): { change: Partial<AccountSettings>; empty: SettingName[] } {
  const change: Record<string, unknown> = {};
  const empty: SettingName[] = [];
  for (const name of SETTING_NAMES) {
    const value = draft[name];
    if (value === saved[name]) continue;
    // The expiration input shows only under "limit"; left blank and hidden, it is not a change.
    if (name === "helpdesk_bypass_expiration" && draft.helpdesk_bypass !== "limit" && value === "")
      continue;
    if (value === "") empty.push(name);
    else change[name] = value;
  }
  return { change: change as Partial<AccountSettings>, empty };
}

/** The shapes of src/http/panel/branding.ts: Settings, Branding (the hosted prompt's look). */
export interface BrandingSettings {
  /** null: the prompt shows the account's name, `default_name`. */
  name: string | null;
  default_name: string;
  /** `#rrggbb`; null: Gatehouse's colour, `default_colour`. */
  colour: string | null;
  default_colour: string;
  logo: BrandingLogo | null;
}

export interface BrandingLogo {
  /** The public URL the prompt shows it from (and the panel's preview). */
  url: string;
  hash: string;
  content_type: "image/png" | "image/jpeg";
  width: number;
  height: number;
  /** In bytes. */
  size: number;
}

export const brandingKey = (accountId: string) => ["settings", accountId, "branding"] as const;
