import type { Access } from "../../authn/index.js";
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
  /** The log's result and reason. */
  logged: { result: AuthResult; reason: string } | null;
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
} as const;

/** The answer when the user's standing decides before any factor (R-AUTH-3). */
export function outcomeOfAccess(
  txid: string,
  access: Exclude<Access, { kind: "auth" }>,
): AuthOutcome {
  switch (access.reason) {
    case "bypass_user":
      return {
        txid,
        result: "allow",
        status: "bypass",
        status_msg: MESSAGES.bypass,
        logged: { result: "success", reason: access.reason },
      };
    case "allow_unenrolled_user":
      return {
        txid,
        result: "allow",
        status: "allow",
        status_msg: MESSAGES.allowUnenrolled,
        logged: { result: "success", reason: access.reason },
      };
    case "user_disabled":
      return {
        txid,
        result: "deny",
        status: "deny",
        status_msg: MESSAGES.disabled,
        logged: { result: "denied", reason: access.reason },
      };
    case "locked_out":
      return {
        txid,
        result: "deny",
        status: "locked_out",
        status_msg: MESSAGES.lockedOut,
        logged: { result: "denied", reason: access.reason },
      };
    case "deny_unenrolled_user":
      return {
        txid,
        result: "deny",
        status: "deny",
        status_msg: access.kind === "enroll" ? MESSAGES.enroll : MESSAGES.deniedUnenrolled,
        logged: { result: "denied", reason: access.reason },
      };
  }
}
