import { ACTION_NAMES, ACTIONS, type Action, type Capability } from "./actions.js";
import { ROLES, type Role } from "./vocabulary.js";

const Y = "✅";
const L = "✅*";
const _ = "";
type Cell = typeof Y | typeof L | typeof _;

/**
 * R-ROLE-2, row for row and column for column as SPEC.md prints it.
 * ✅ = every action of the row; ✅* = only the actions LIMITS lists (R-ROLE-3); empty = none.
 */
// prettier-ignore
export const PERMISSIONS_TABLE: readonly (readonly [Capability, ...Cell[]])[] = Object.freeze([
  //                   Owner Administrator AppManager UserManager HelpDesk Billing Read-only
  ["reports", Y, Y, Y, L, L, _, Y],
  ["devices", Y, Y, _, Y, Y, _, _],
  ["users", Y, Y, _, Y, L, _, _],
  ["groups", Y, Y, _, Y, _, _, _],
  ["applications", Y, Y, Y, _, _, _, _],
  ["ssoSources", Y, Y, Y, _, _, _, _],
  ["assignPolicies", Y, Y, Y, _, _, _, _],
  ["trustMonitor", Y, Y, _, _, _, _, L],
  ["policies", Y, Y, _, _, _, _, _],
  ["settings", Y, Y, _, _, _, _, _],
  ["billing", Y, _, _, _, _, Y, _],
  ["subaccounts", Y, _, _, _, _, Y, _],
  ["admins", Y, _, _, _, _, _, _],
  ["apiApplications", Y, _, _, _, _, _, _],
  ["enableSso", Y, _, _, _, _, _, _],
  ["passwordless", Y, Y, _, _, _, _, _],
  ["edition", Y, _, _, _, _, _, _],
  ["delegation", Y, _, _, _, _, _, _],
  ["view", Y, Y, L, Y, Y, _, Y],
  ["everyone", Y, Y, Y, Y, Y, Y, Y],
]);

/** R-ROLE-3: what each ✅* cell allows. */
export const LIMITS: Readonly<
  Partial<Record<Capability, Partial<Record<Role, readonly Action[]>>>>
> = Object.freeze({
  // Help Desk and User Manager see only these four reports.
  reports: {
    "User Manager": [
      "reports:view_authentication_log",
      "reports:view_telephony_log",
      "reports:view_administrator_actions",
      "reports:view_policy_impact",
    ],
    "Help Desk": [
      "reports:view_authentication_log",
      "reports:view_telephony_log",
      "reports:view_administrator_actions",
      "reports:view_policy_impact",
    ],
  },
  // Help Desk: name, email and notes; Locked Out -> Active; enrollment emails (R-ROLE-4); one-user sync.
  users: {
    "Help Desk": [
      "users:update_name",
      "users:update_email",
      "users:update_notes",
      "users:unlock",
      "users:send_enrollment",
      "users:sync_one",
    ],
  },
  // Read-only views Trust Monitor events; it cannot process them or edit risk profiles.
  trustMonitor: { "Read-only": ["trust_monitor:view"] },
  // Application Manager sees name, username and status; no phone numbers, bypass codes or notes.
  view: { "Application Manager": ["users:view", "groups:view", "applications:view"] },
});

/** Role → the set of actions the table gives it, before settings (R-ROLE-4), units and the rest. */
export const ROLE_ACTIONS: ReadonlyMap<Role, ReadonlySet<Action>> = new Map(
  ROLES.map((role, column) => {
    const allowed = new Set<Action>();
    for (const [capability, ...cells] of PERMISSIONS_TABLE) {
      const cell = cells[column];
      const actions =
        cell === Y
          ? ACTION_NAMES.filter((name) => ACTIONS[name].capability === capability)
          : cell === L
            ? (LIMITS[capability]?.[role] ?? [])
            : [];
      for (const name of actions) allowed.add(name);
    }
    return [role, allowed];
  }),
);
