/** A user's standing, as the authentication path reads it. */
export interface UserStanding {
  status: "active" | "bypass" | "disabled" | "locked out" | "pending deletion";
  /** While locked out: when the lockout ends by itself; null: until an admin unlocks. */
  lockedUntil: Date | null;
  /** Has a device to authenticate with (Duo's is_enrolled). */
  enrolled: boolean;
}

/** What the account does with a user who has no device yet (R-AUTH-3; policies replace it later). */
export type NewUserPolicy = "enroll" | "allow" | "deny";

/** Duo's log reasons (research/auth-protocols.md §7.2) for the decisions made before any factor. */
export type AccessReason =
  | "user_disabled"
  | "locked_out"
  | "bypass_user"
  | "allow_unenrolled_user"
  | "deny_unenrolled_user";

export type Access =
  /** Must prove a second factor. */
  | { kind: "auth" }
  | { kind: "allow"; reason: "bypass_user" | "allow_unenrolled_user" }
  | { kind: "deny"; reason: "user_disabled" | "locked_out" | "deny_unenrolled_user" }
  /** Must enroll a device first; denied until then. */
  | { kind: "enroll"; reason: "deny_unenrolled_user" };

/**
 * R-AUTH-3: the user's status decides before any factor, in this order. A user Gatehouse does not
 * know, or one with nothing to authenticate with, meets the account's new-user policy. Disabled
 * (and pending deletion) is denied; locked out is denied until its lockout ends, by itself or by an
 * admin; bypass is allowed without a second factor; an active, enrolled user must pass one.
 */
export function assessAccess(
  user: UserStanding | null,
  newUserPolicy: NewUserPolicy,
  now: Date,
): Access {
  if (user !== null) {
    if (user.status === "disabled" || user.status === "pending deletion")
      return { kind: "deny", reason: "user_disabled" };
    if (isLockedOut(user, now)) return { kind: "deny", reason: "locked_out" };
    if (user.status === "bypass") return { kind: "allow", reason: "bypass_user" };
    if (user.enrolled) return { kind: "auth" };
  }
  switch (newUserPolicy) {
    case "enroll":
      return { kind: "enroll", reason: "deny_unenrolled_user" };
    case "allow":
      return { kind: "allow", reason: "allow_unenrolled_user" };
    case "deny":
      return { kind: "deny", reason: "deny_unenrolled_user" };
  }
}

/** Locked out, and the lockout has not ended by itself. */
export function isLockedOut(
  user: Pick<UserStanding, "status" | "lockedUntil">,
  now: Date,
): boolean {
  return (
    user.status === "locked out" &&
    (user.lockedUntil === null || user.lockedUntil.getTime() > now.getTime())
  );
}

export interface FailureFacts {
  /** Consecutive failures before this one. */
  failedBefore: number;
  threshold: number;
  /** Minutes a lockout lasts; null: until an admin unlocks. */
  lockoutMinutes: number | null;
  now: Date;
}

/**
 * R-AUTH-3: one more failed passcode. At the account's threshold of consecutive failures the user
 * is locked out, until `lockedUntil` or, with no duration set, until an admin unlocks them.
 */
export function afterFailure(facts: FailureFacts): {
  failed: number;
  lockout: { until: Date | null } | null;
} {
  const failed = facts.failedBefore + 1;
  if (failed < facts.threshold) return { failed, lockout: null };
  const until =
    facts.lockoutMinutes === null
      ? null
      : new Date(facts.now.getTime() + facts.lockoutMinutes * 60_000);
  return { failed, lockout: { until } };
}
