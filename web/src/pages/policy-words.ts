import type { Method, Sections } from "./policies-api.js";

/** The policy's settings in plain words, one sentence a section, for the effective-policy card. */

export const METHOD_LABELS: Readonly<Record<Method, string>> = {
  "duo-passcode": "Passcodes from an authenticator app",
  "hardware-token": "Hardware tokens",
  sms: "SMS passcodes",
  "webauthn-roaming": "Security keys",
  "webauthn-platform": "Passkeys on the device (Touch ID, Windows Hello)",
  bypass: "Bypass codes",
};

function span(value: number, units: "hours" | "days"): string {
  const unit = units === "days" ? "day" : "hour";
  return `${value} ${unit}${value === 1 ? "" : "s"}`;
}

export const SECTION_WORDS: {
  [S in keyof Required<Sections>]: (value: Required<Sections>[S]) => string;
} = {
  new_user: ({ new_user_behavior }) =>
    new_user_behavior === "enroll"
      ? "Someone with no device yet must set one up before logging in."
      : new_user_behavior === "no-mfa"
        ? "Someone with no device yet logs in with their password alone."
        : "Someone with no device yet is denied.",
  authentication_policy: ({ user_auth_behavior }) =>
    user_auth_behavior === "enforce"
      ? "A second factor is asked for."
      : user_auth_behavior === "bypass"
        ? "No second factor is asked for."
        : "Everyone is denied.",
  authorized_networks: (value) => {
    const parts = [
      value.allow_without_2fa_networks.length > 0
        ? `No second factor from ${value.allow_without_2fa_networks.join(", ")}.`
        : "",
      value.require_2fa_networks.length > 0
        ? `A second factor from ${value.require_2fa_networks.join(", ")}.`
        : "",
      value.deny_other_networks ? "Denied from any other network." : "",
    ].filter((part) => part !== "");
    return parts.length > 0 ? parts.join(" ") : "Any network, no network trusted.";
  },
  authentication_methods: ({ allowed_auth_list }) =>
    allowed_auth_list.length === 0
      ? "No way of logging in is allowed."
      : `${allowed_auth_list.map((method) => METHOD_LABELS[method]).join(", ")}.`,
  remembered_devices: ({ browser_apps }) =>
    browser_apps.enabled
      ? `“Remember me” for ${span(browser_apps.user_based.max_time_value, browser_apps.user_based.max_time_units)}, ${
          browser_apps.user_based.confirm_per_app
            ? "for each application on its own"
            : "across applications"
        }.`
      : "Browsers are not remembered.",
};
