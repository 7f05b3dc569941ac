import type { DecidedBy, PolicyAccess } from "../../authn/policy.js";
import type { AuthResult } from "../../db/schema.js";

/**
 * What an attempt answers (research/duo-api.md §7: auth's result, status and status_msg) and how
 * the authentication log records it (R-AUTH-4).
 */
export interface AuthOutcome {
  txid: string;
  result: "allow" | "deny";
  /** Duo's machine-readable status: allow, bypass, deny, locked_out, sent, ... */
  status: string;
  /** A sentence for the person logging in. */
  status_msg: string;
  /** The log's result and reason, and the policy setting that decided (R-AUTH-4), if one did. */
  logged: { result: AuthResult; reason: string; decidedBy?: DecidedBy } | null;
  /**
   * Duo's trusted_device_token: after a factor, where the policy remembers devices, what the client
   * may give a later preauth to skip the factor (R-POL-2).
   */
  trusted_device_token?: string;
}

export const MESSAGES = {
  allow: "Success. Logging you in...",
  bypass:
    "You are allowed in without a second factor: your administrator set your account to bypass.",
  allowUnenrolled: "You are allowed in without a second factor: you have no device enrolled yet.",
  disabled: "Your account is disabled. Contact your administrator.",
  lockedOut: "Your account is locked after too many failed attempts. Contact your administrator.",
  deniedUnenrolled:
    "You have no device to log in with, and this account requires one. Contact your administrator.",
  enroll: "Enroll a device to log in: ask your administrator for an enrollment link.",
  invalidPasscode: "Incorrect passcode. Please try again.",
  invalidPasscodeLocked:
    "Incorrect passcode. Your account is now locked after too many failed attempts.",
  deniedByPolicy: "Your organization's policy does not allow you to log in to this application.",
  deniedNetwork:
    "Your organization's policy does not allow logging in to this application from your network.",
  allowedByPolicy:
    "You are allowed in without a second factor: your organization's policy does not require one here.",
  trustedNetwork:
    "You are allowed in without a second factor: you are on a network your organization trusts.",
  methodNotAllowed:
    "Your organization's policy does not allow this way of logging in to this application.",
} as const;

/** The answer when the user's standing or the policy decides before any factor (R-AUTH-3, R-POL-2). */
export function outcomeOfAccess(
  txid: string,
  access: Exclude<PolicyAccess, { kind: "auth" }>,
): AuthOutcome {
  const answer = (result: "allow" | "deny", status: string, status_msg: string): AuthOutcome => ({
    txid,
    result,
    status,
    status_msg,
    logged: {
      result: result === "allow" ? "success" : "denied",
      reason: access.reason,
      ...(access.decidedBy ? { decidedBy: access.decidedBy } : {}),
    },
  });
  switch (access.reason) {
    case "bypass_user":
      return answer("allow", "bypass", MESSAGES.bypass);
    case "allow_unenrolled_user":
      return answer("allow", "allow", MESSAGES.allowUnenrolled);
    case "allowed_by_policy":
      return answer("allow", "allow", MESSAGES.allowedByPolicy);
    case "trusted_network":
      return answer("allow", "allow", MESSAGES.trustedNetwork);
    case "user_disabled":
      return answer("deny", "deny", MESSAGES.disabled);
    case "locked_out":
      return answer("deny", "locked_out", MESSAGES.lockedOut);
    case "deny_by_policy":
      return answer(
        "deny",
        "deny",
        access.decidedBy?.section === "authorized_networks"
          ? MESSAGES.deniedNetwork
          : access.decidedBy?.section === "authentication_methods"
            ? MESSAGES.methodNotAllowed
            : MESSAGES.deniedByPolicy,
      );
    case "deny_unenrolled_user":
      return answer(
        "deny",
        "deny",
        access.kind === "enroll" ? MESSAGES.enroll : MESSAGES.deniedUnenrolled,
      );
  }
}
