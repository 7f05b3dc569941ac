import type { AuthLogRecord, AuthResult, TelephonyContext } from "./auth-log-api.js";

/**
 * The authentication log in plain words: the server keeps Duo's codes (valid_passcode,
 * duo_mobile_passcode, ...), which scripts and the CSV read; the panel says what they mean.
 */

export const RESULT_LABELS: Readonly<Record<AuthResult, string>> = {
  success: "Allowed",
  denied: "Denied",
  error: "Error",
  fraud: "Reported as fraud",
};

/** The factors Gatehouse writes first, then Duo's others a log may hold. */
export const FACTOR_LABELS: Readonly<Record<string, string>> = {
  duo_mobile_passcode: "Authenticator app",
  hardware_token: "Hardware token",
  yubikey_code: "YubiKey",
  bypass_code: "Bypass code",
  sms_passcode: "SMS passcode",
  sms_refresh: "New SMS passcodes",
  passcode: "Passcode",
  not_available: "None",
  duo_push: "Duo Push",
  phone_call: "Phone call",
  webauthn_security_key: "Security key",
  remembered_device: "Remembered device",
  trusted_network: "Trusted network",
};

/** The factors the filter offers: those Gatehouse verifies (R-AUTH-2). */
export const FILTER_FACTORS = [
  "duo_mobile_passcode",
  "hardware_token",
  "yubikey_code",
  "bypass_code",
  "sms_passcode",
  "passcode",
  "webauthn_security_key",
  "remembered_device",
  "not_available",
] as const;

export const CONTEXT_LABELS: Readonly<Record<TelephonyContext, string>> = {
  authentication: "Login passcodes",
  activation: "Activation",
  test: "Test message",
};

/** A code Gatehouse has no words for yet, read aloud: "anomalous_push" is "anomalous push". */
function spoken(code: string): string {
  return code.replaceAll("_", " ");
}

export function factorLabel(factor: string): string {
  return FACTOR_LABELS[factor] ?? spoken(factor);
}

const VALID_PASSCODE_FROM: Readonly<Record<string, string>> = {
  duo_mobile_passcode: "valid passcode from the authenticator app",
  hardware_token: "valid passcode from a hardware token",
  yubikey_code: "valid YubiKey code",
  bypass_code: "valid bypass code",
  sms_passcode: "valid passcode sent by SMS",
};

const REASONS: Readonly<Record<string, string>> = {
  invalid_passcode: "wrong passcode",
  user_approved: "approved by the user",
  bypass_user: "the user is in bypass status, so no second factor was asked",
  allow_unenrolled_user: "the user has no device yet, and users without one are let in",
  deny_unenrolled_user: "the user has no device yet, and this account requires one",
  user_disabled: "the user is disabled",
  locked_out: "the user is locked out after too many failed attempts",
  user_marked_fraud: "the user reported the request as fraud",
  user_cancelled: "the user cancelled",
  no_response: "no answer in time",
  deny_by_policy: "a policy denies it",
  allowed_by_policy: "a policy lets the user in without a second factor",
  trusted_network: "from a trusted network, so no second factor was asked",
  invalid_device: "the security key's answer did not check out",
  remembered_device: "a browser remembered after an earlier second step",
  error: "something went wrong on the server",
};

/**
 * Why a policy decided, in words naming the policy: "203.0.113.7 is outside the networks policy
 * “Finance VPN” allows". Undefined when no policy decided.
 */
function policyWords(
  record: Pick<AuthLogRecord, "reason" | "policy" | "access_device" | "user">,
): string | undefined {
  const policy = record.policy;
  if (policy === null) return undefined;
  const named = `policy “${policy.name}”`;
  const from = record.access_device.ip ?? "an unknown address";
  switch (record.reason) {
    case "deny_by_policy":
      if (policy.section === "authorized_networks")
        return `${from} is outside the networks ${named} allows`;
      if (policy.section === "authentication_methods")
        return `${named} does not allow this way of logging in`;
      return `${named} denies access`;
    case "allowed_by_policy":
      return `${named} lets everyone in without a second factor`;
    case "trusted_network":
      return `${from} is on a network ${named} trusts, so no second factor was asked`;
    case "allow_unenrolled_user":
      return `the user has no device yet, and ${named} lets such users in`;
    case "deny_unenrolled_user":
      return record.user.id === null
        ? `no user has this username, and ${named} denies unknown users`
        : `the user has no device yet, and ${named} denies such users`;
    default:
      return undefined;
  }
}

/** Why the result, in words: "wrong passcode", "valid passcode from the authenticator app". */
export function reasonWords(
  record: Pick<AuthLogRecord, "reason" | "factor" | "event_type" | "user"> &
    Partial<Pick<AuthLogRecord, "policy" | "access_device">>,
): string {
  const byPolicy = policyWords({
    reason: record.reason,
    user: record.user,
    policy: record.policy ?? null,
    access_device: record.access_device ?? { ip: null, hostname: null },
  });
  if (byPolicy !== undefined) return byPolicy;
  if (record.event_type === "enrollment" && record.reason === "user_approved")
    return record.factor === "duo_mobile_passcode"
      ? "authenticator app activated"
      : "device activated";
  if (record.reason === "valid_passcode")
    return VALID_PASSCODE_FROM[record.factor] ?? "valid passcode";
  // Duo logs a name nobody has as an unenrolled user; the panel says what happened.
  if (record.reason === "deny_unenrolled_user" && record.user.id === null)
    return "no user has this username";
  return REASONS[record.reason] ?? spoken(record.reason);
}

/** The result and why, as one sentence: "Denied: wrong passcode". */
export function outcomeWords(record: AuthLogRecord): string {
  const result =
    record.event_type === "enrollment" && record.result === "success"
      ? "Enrolled"
      : RESULT_LABELS[record.result];
  return `${result}: ${reasonWords(record)}`;
}

/** The rules behind a reason, shown as small links after the sentence (never as the sentence). */
export function reasonRules(reason: string): string[] {
  switch (reason) {
    case "valid_passcode":
    case "invalid_passcode":
      return ["R-AUTH-2"];
    case "bypass_user":
    case "user_disabled":
    case "locked_out":
      return ["R-AUTH-3"];
    case "allow_unenrolled_user":
    case "deny_unenrolled_user":
    case "deny_by_policy":
    case "allowed_by_policy":
    case "trusted_network":
      return ["R-POL-2"];
    default:
      return [];
  }
}
