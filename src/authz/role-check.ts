import { ACTION_NAMES, ACTIONS, type Action, CAPABILITIES } from "./actions.js";
import type { Decision, Target } from "./model.js";
import { LIMITS, ROLE_ACTIONS } from "./roles.js";
import type { CompiledAccount } from "./snapshot.js";
import { ROLES, type Role } from "./vocabulary.js";
import { listWords, rolePeople } from "./words.js";

function roleDenial(role: Role, action: Action): Decision {
  const capability = ACTIONS[action].capability;
  const allowed = LIMITS[capability]?.[role];
  const what = ACTIONS[action].description;
  const able = ROLES.filter((other) => ROLE_ACTIONS.get(other)?.has(action));
  const who = `${rolePeople(role)} cannot ${what}; only ${listWords(able.map(rolePeople))} can.`;
  if (allowed === undefined) return denial("R-ROLE-2", who);
  const part = listWords(allowed.map((name) => ACTIONS[name].description));
  return denial(
    "R-ROLE-3",
    `${who} Of "${CAPABILITIES[capability]}", ${rolePeople(role)} may only ${part}.`,
  );
}

/** Every role's refusal of every action it lacks, written once: a decision costs a lookup, not a sentence. */
export const ROLE_DENIALS: ReadonlyMap<Role, ReadonlyMap<Action, Decision>> = new Map(
  ROLES.map((role) => [
    role,
    new Map(
      ACTION_NAMES.filter((action) => !ROLE_ACTIONS.get(role)?.has(action)).map((action) => [
        action,
        Object.freeze(roleDenial(role, action)),
      ]),
    ),
  ]),
);

/** Actions whose answer also depends on the account's settings (R-ROLE-4). */
export const SETTING_ACTIONS: ReadonlySet<Action> = new Set([
  "bypass_codes:create",
  "users:send_enrollment",
  "users:set_bypass",
]);

/** R-ROLE-1: a role outside the seven (a typo, or a Duo role such as "Phishing Manager" loaded
 * from the database) has no column in the table, so it may do nothing: fail closed. */
export function unknownRole(role: string): Decision {
  return denial(
    "R-ROLE-1",
    `"${role}" is not one of the seven administrative roles, so an administrator with it can do nothing.`,
  );
}

/** R-ROLE-4: the account's global settings that narrow Help Desk and User Manager. */
export function checkSettings(
  role: Role,
  action: Action,
  account: CompiledAccount,
  target: Target,
): Decision | undefined {
  const settings = account.settings;
  if (role === "Help Desk" && action === "bypass_codes:create") {
    if (settings.helpdesk_bypass === "deny") {
      return denial(
        "R-ROLE-4",
        `${account.name}'s settings do not let Help Desk administrators create bypass codes.`,
      );
    }
    if (settings.helpdesk_bypass === "limit") {
      const minutes = target.bypassExpirationMinutes;
      if (
        minutes === undefined ||
        minutes === null ||
        minutes <= 0 ||
        minutes > settings.helpdesk_bypass_expiration
      ) {
        return denial(
          "R-ROLE-4",
          `${account.name}'s settings let Help Desk administrators create bypass codes only if they expire within ${settings.helpdesk_bypass_expiration} minutes.`,
        );
      }
    }
  }
  if (
    role === "Help Desk" &&
    action === "users:send_enrollment" &&
    !settings.helpdesk_can_send_enroll_email
  ) {
    return denial(
      "R-ROLE-4",
      `${account.name}'s settings do not let Help Desk administrators send enrollment emails.`,
    );
  }
  if (
    role === "User Manager" &&
    action === "users:set_bypass" &&
    !settings.user_managers_can_put_users_in_bypass
  ) {
    return denial(
      "R-ROLE-4",
      `${account.name}'s settings do not let User Managers put users in Bypass status.`,
    );
  }
  return undefined;
}

/** A refusal: the rule id apart, for the panel's link; the reason a sentence without it (issue 13 item 7). */
export function denial(rule: string, reason: string): Decision {
  return { allow: false, rule, reason };
}
