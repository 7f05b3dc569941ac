/**
 * R-POL-1, R-POL-2: a policy's settings in Duo's shape (its Admin API v2 `sections`), each section
 * optional: a custom policy sets only what it changes, and an unset section falls through to the
 * next policy (group on application, then application, then global). Only what Gatehouse enforces
 * is here; a section or key it cannot enforce is refused by name (policy-sections.ts). No Node API
 * here: the panel shares this model.
 */

/** The authentication methods Gatehouse verifies, by Duo's names. */
export const METHODS = [
  "duo-passcode",
  "hardware-token",
  "sms",
  "webauthn-roaming",
  "webauthn-platform",
  "bypass",
] as const;
export type Method = (typeof METHODS)[number];

/**
 * Duo's methods Gatehouse cannot offer (push, voice, Duo Desktop, passwordless). A blocked list may
 * name them (they never happen here anyway); an allowed list may not.
 */
export const UNOFFERED_METHODS = [
  "duo-push",
  "duo-push-pwl",
  "verified-duo-push",
  "phonecall",
  "desktop",
  "bypass-pwl",
  "webauthn-platform-pwl",
  "webauthn-roaming-pwl",
] as const;

export type NewUserBehavior = "enroll" | "no-mfa" | "deny";
export type UserAuthBehavior = "enforce" | "bypass" | "deny";

export interface NetworksSection {
  /** CIDRs (IPv4 and IPv6) from which no second factor is asked. */
  allow_without_2fa_networks: string[];
  /** CIDRs from which a second factor is asked (listed so that `deny_other_networks` admits them). */
  require_2fa_networks: string[];
  /** Deny any access from outside both lists. */
  deny_other_networks: boolean;
}

export interface RememberedDevicesSection {
  browser_apps: {
    enabled: boolean;
    user_based: {
      max_time_value: number;
      max_time_units: "hours" | "days";
      /** True: a browser is remembered for one application; false: across the account's. */
      confirm_per_app: boolean;
    };
  };
}

export interface PolicySections {
  new_user?: { new_user_behavior: NewUserBehavior };
  authentication_policy?: { user_auth_behavior: UserAuthBehavior };
  authorized_networks?: NetworksSection;
  authentication_methods?: { allowed_auth_list: Method[]; blocked_auth_list: string[] };
  remembered_devices?: RememberedDevicesSection;
}

export type SectionName = keyof PolicySections;
export const SECTION_NAMES: readonly SectionName[] = [
  "new_user",
  "authentication_policy",
  "authorized_networks",
  "authentication_methods",
  "remembered_devices",
];

/** The global policy as a new account has it: every section set. */
export const DEFAULT_GLOBAL_SECTIONS: Required<PolicySections> = {
  new_user: { new_user_behavior: "enroll" },
  authentication_policy: { user_auth_behavior: "enforce" },
  authorized_networks: {
    allow_without_2fa_networks: [],
    require_2fa_networks: [],
    deny_other_networks: false,
  },
  authentication_methods: { allowed_auth_list: [...METHODS], blocked_auth_list: [] },
  remembered_devices: {
    browser_apps: {
      enabled: false,
      user_based: { max_time_value: 1, max_time_units: "days", confirm_per_app: true },
    },
  },
};

/** Remembered for at most 90 days, as Duo allows; at least an hour. */
export const MAX_REMEMBER_HOURS = 90 * 24;
