import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Access,
  afterFailure,
  assessAccess,
  isLockedOut,
  type NewUserPolicy,
  type UserStanding,
} from "../../src/authn/index.js";

/**
 * R-AUTH-3, read from SPEC.md and written down here as tables, not from src/authn/access.ts:
 * "User status decides first: `disabled` is denied, `bypass` is allowed without a second factor,
 * `locked out` (after the account's threshold of consecutive failures) is denied until it expires
 * or an admin unlocks it; `active` must pass a factor." A user with nothing to authenticate with
 * (or one Gatehouse does not know) meets the new-user policy of R-POL-2: require enrollment, allow,
 * or deny.
 */

const NOW = new Date("2026-12-01T12:00:00Z");
const at = (ms: number) => new Date(NOW.getTime() + ms);

type Status = UserStanding["status"];
const STATUSES: Status[] = ["active", "bypass", "disabled", "locked out", "pending deletion"];
const POLICIES: NewUserPolicy[] = ["enroll", "allow", "deny"];

/** When a lockout ends, against NOW: null is "until an admin unlocks". */
const LOCKOUT_TIMINGS: { name: string; until: Date | null; stillLocked: boolean }[] = [
  { name: "until an admin unlocks", until: null, stillLocked: true },
  { name: "ends in an hour", until: at(3_600_000), stillLocked: true },
  { name: "ends in a millisecond", until: at(1), stillLocked: true },
  { name: "ends right now", until: at(0), stillLocked: false },
  { name: "ended a millisecond ago", until: at(-1), stillLocked: false },
  { name: "ended yesterday", until: at(-86_400_000), stillLocked: false },
];

/** R-POL-2's new-user policy, for a user without a device or unknown to Gatehouse. */
const NEW_USER: Record<NewUserPolicy, Access> = {
  enroll: { kind: "enroll", reason: "deny_unenrolled_user" },
  allow: { kind: "allow", reason: "allow_unenrolled_user" },
  deny: { kind: "deny", reason: "deny_unenrolled_user" },
};

/** An active user (or one whose lockout has ended): a factor if enrolled, else the policy. */
const activeUser = (enrolled: boolean, policy: NewUserPolicy): Access =>
  enrolled ? { kind: "auth" } : NEW_USER[policy];

/**
 * The whole of R-AUTH-3, one row per status. "Pending deletion" is not in SPEC: a user an admin
 * deleted is on the way out and is refused like a disabled one (Duo: it cannot log in).
 */
function expected(
  status: Status,
  stillLocked: boolean,
  enrolled: boolean,
  policy: NewUserPolicy,
): Access {
  switch (status) {
    case "disabled":
    case "pending deletion":
      return { kind: "deny", reason: "user_disabled" };
    case "bypass":
      return { kind: "allow", reason: "bypass_user" };
    case "locked out":
      return stillLocked ? { kind: "deny", reason: "locked_out" } : activeUser(enrolled, policy);
    case "active":
      return activeUser(enrolled, policy);
  }
}

interface Row {
  status: Status;
  timing: (typeof LOCKOUT_TIMINGS)[number] | null;
  enrolled: boolean;
  policy: NewUserPolicy;
}

const ROWS: Row[] = STATUSES.flatMap((status) =>
  (status === "locked out" ? LOCKOUT_TIMINGS : [null]).flatMap((timing) =>
    [true, false].flatMap((enrolled) =>
      POLICIES.map((policy) => ({ status, timing, enrolled, policy })),
    ),
  ),
);

const describeRow = (row: Row) =>
  `${row.status}${row.timing ? ` (lockout ${row.timing.name})` : ""}, ${row.enrolled ? "enrolled" : "no device"}, new-user policy ${row.policy}`;

describe("assessAccess: every status × enrolled × new-user policy × lockout timing", () => {
  it("R-AUTH-3: the table has every combination", () => {
    // 4 statuses × 2 × 3, and locked out × 6 timings × 2 × 3.
    expect(ROWS).toHaveLength(4 * 2 * 3 + 6 * 2 * 3);
  });

  it.each(ROWS.map((row) => [describeRow(row), row] as const))("R-AUTH-3: %s", (_name, row) => {
    const user: UserStanding = {
      status: row.status,
      lockedUntil: row.timing?.until ?? null,
      enrolled: row.enrolled,
    };
    const stillLocked = row.timing?.stillLocked ?? false;
    expect(assessAccess(user, row.policy, NOW)).toEqual(
      expected(row.status, stillLocked, row.enrolled, row.policy),
    );
    expect(isLockedOut(user, NOW)).toBe(row.status === "locked out" && stillLocked);
  });

  it.each(POLICIES)(
    "R-AUTH-3: a user Gatehouse does not know meets the new-user policy (%s)",
    (policy) => {
      expect(assessAccess(null, policy, NOW)).toEqual(NEW_USER[policy]);
    },
  );

  it("R-AUTH-3: the decision depends only on the facts, not on when else it is asked (a later now never unlocks an admin's lockout)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.boolean(), (shift, enrolled) => {
        const user: UserStanding = { status: "locked out", lockedUntil: null, enrolled };
        expect(assessAccess(user, "allow", at(shift))).toEqual({
          kind: "deny",
          reason: "locked_out",
        });
      }),
    );
  });
});

describe("afterFailure: the count of consecutive failures and the lockout", () => {
  const THRESHOLDS = [1, 2, 3, 10, 100];
  const DURATIONS: (number | null)[] = [null, 1, 15, 525_600];

  it.each(
    THRESHOLDS.flatMap((threshold) =>
      DURATIONS.map(
        (minutes) => [threshold, minutes === null ? "none" : minutes, minutes] as const,
      ),
    ),
  )(
    "R-AUTH-3: threshold %s, lockout minutes %s: the threshold-th consecutive failure locks, none before",
    (threshold, _label, minutes) => {
      for (let failedBefore = 0; failedBefore <= threshold + 2; failedBefore++) {
        const next = afterFailure({ failedBefore, threshold, lockoutMinutes: minutes, now: NOW });
        expect(next.failed).toBe(failedBefore + 1);
        if (failedBefore + 1 < threshold) expect(next.lockout).toBeNull();
        else
          expect(next.lockout).toEqual({
            until: minutes === null ? null : at(minutes * 60_000),
          });
      }
    },
  );

  it("R-AUTH-3: counting failures from none, the first lockout comes at exactly the threshold, and then the user is refused until it expires", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.option(fc.integer({ min: 1, max: 525_600 })),
        (threshold, minutes) => {
          let failed = 0;
          let attempts = 0;
          let lockout: { until: Date | null } | null = null;
          while (lockout === null) {
            ({ failed, lockout } = afterFailure({
              failedBefore: failed,
              threshold,
              lockoutMinutes: minutes,
              now: NOW,
            }));
            attempts++;
          }
          expect(attempts).toBe(threshold);
          const user: UserStanding = {
            status: "locked out",
            lockedUntil: lockout.until,
            enrolled: true,
          };
          expect(assessAccess(user, "allow", NOW)).toEqual({ kind: "deny", reason: "locked_out" });
          if (minutes === null) return;
          expect(assessAccess(user, "allow", at(minutes * 60_000 - 1))).toEqual({
            kind: "deny",
            reason: "locked_out",
          });
          expect(assessAccess(user, "allow", at(minutes * 60_000))).toEqual({ kind: "auth" });
        },
      ),
    );
  });
});
