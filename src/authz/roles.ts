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
// biome-ignore format: aligned so that each line reads like its row of SPEC R-ROLE-2
export const PERMISSIONS_TABLE: readonly (readonly [Capability, ...Cell[]])[] = Object.freeze([
  //                  Owner Admin AppMgr UserMgr HelpDesk Billing Read-only
  ["reports",         Y,    Y,    Y,     L,      L,       _,      Y],  // View reports and download logs
  ["devices",         Y,    Y,    _,     Y,      Y,       _,      _],  // Manage 2FA devices and bypass codes
  ["users",           Y,    Y,    _,     Y,      L,       _,      _],  // Manage users and directory sync
  ["groups",          Y,    Y,    _,     Y,      _,       _,      _],  // Manage groups
  ["applications",    Y,    Y,    Y,     _,      _,       _,      _],  // Manage applications (not Admin API / Accounts API types)
  ["ssoSources",      Y,    Y,    Y,     _,      _,       _,      _],  // Manage SSO authentication sources
  ["assignPolicies",  Y,    Y,    Y,     _,      _,       _,      _],  // Assign existing custom policies to applications and groups
  ["trustMonitor",    Y,    Y,    _,     _,      _,       _,      L],  // Trust Monitor
  ["policies",        Y,    Y,    _,     _,      _,       _,      _],  // Create and edit policies
  ["settings",        Y,    Y,    _,     _,      _,       _,      _],  // Modify global settings
  ["billing",         Y,    _,    _,     _,      _,       Y,      _],  // View and manage billing, buy tokens and telephony credits
  ["subaccounts",     Y,    _,    _,     _,      _,       Y,      _],  // Manage subaccounts (create, rename, delete)
  ["admins",          Y,    _,    _,     _,      _,       _,      _],  // Manage other admins, admin directory sync
  ["apiApplications", Y,    _,    _,     _,      _,       _,      _],  // Manage Admin API and Accounts API applications
  ["enableSso",       Y,    _,    _,     _,      _,       _,      _],  // Enable SSO
  ["passwordless",    Y,    Y,    _,     _,      _,       _,      _],  // Activate Passwordless
  ["edition",         Y,    _,    _,     _,      _,       _,      _],  // Change plan edition, cancel subscription
  ["delegation",      Y,    _,    _,     _,      _,       _,      _],  // Manage administrative units and access tags, edit subaccount roles
  ["view",            Y,    Y,    L,     Y,      Y,       _,      Y],  // View basic users, groups, phones, tokens, applications
  ["everyone",        Y,    Y,    Y,     Y,      Y,       Y,      Y],  // (outside the table: dashboard, own profile R-ROLE-7, account list R-TAG-4, switching R-TAG-5)
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
