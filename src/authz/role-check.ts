import { ACTION_NAMES, ACTIONS, type Action, CAPABILITIES } from "./actions.js";
import type { Decision, Target } from "./model.js";
import { LIMITS, ROLE_ACTIONS } from "./roles.js";
import type { CompiledAccount } from "./snapshot.js";
import { ROLES, type Role } from "./vocabulary.js";

function roleDenial(role: Role, action: Action): Decision {
  const capability = ACTIONS[action].capability;
  const limited = LIMITS[capability]?.[role] !== undefined;
  const what = ACTIONS[action].description;
  return limited
    ? denial(
        "R-ROLE-3",
        `${role} has only part of "${CAPABILITIES[capability]}", and that part does not include: ${what}`,
      )
    : denial(
        "R-ROLE-2",
        `${role} cannot ${what} ("${CAPABILITIES[capability]}" is not part of the ${role} role)`,
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
  return denial("R-ROLE-1", `"${role}" is not one of the seven administrative roles`);
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
        `${account.name}'s settings do not let Help Desk create bypass codes`,
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
          `${account.name}'s settings let Help Desk create bypass codes only with an expiration of at most ${settings.helpdesk_bypass_expiration} minutes`,
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
      `${account.name}'s settings do not let Help Desk send enrollment emails`,
    );
  }
  if (
    role === "User Manager" &&
    action === "users:set_bypass" &&
    !settings.user_managers_can_put_users_in_bypass
  ) {
    return denial(
      "R-ROLE-4",
      `${account.name}'s settings do not let User Managers put users in bypass status`,
    );
  }
  return undefined;
}

export function denial(rule: string, reason: string): Decision {
  return { allow: false, rule, reason: `${rule}: ${reason}` };
}
