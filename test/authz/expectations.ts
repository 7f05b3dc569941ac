/**
 * What each role may do, written by hand from SPEC.md's words (R-ROLE-2, R-ROLE-3, R-ROLE-4 with
 * default settings), deliberately NOT derived from src/authz/roles.ts: the matrix test compares
 * the engine with this list, so a slip in either shows up as a disagreement.
 */
import type { Action, Role } from "../../src/authz/index.js";

const EVERYONE: Action[] = [
  "dashboard:view",
  "profile:edit",
  "subaccounts:list",
  "accounts:switch",
];
const FOUR_REPORTS: Action[] = [
  "reports:view_authentication_log",
  "reports:view_telephony_log",
  "reports:view_administrator_actions",
  "reports:view_policy_impact",
];
const ALL_REPORTS: Action[] = [...FOUR_REPORTS, "reports:view_other"];
const VIEW_ALL: Action[] = [
  "users:view",
  "users:view_details",
  "groups:view",
  "phones:view",
  "applications:view",
];
const DEVICES: Action[] = [
  "phones:create",
  "phones:update",
  "phones:delete",
  "phones:send_activation",
  "tokens:create",
  "tokens:update",
  "tokens:delete",
  // Help Desk too: helpdesk_bypass defaults to "allow".
  "bypass_codes:create",
  "bypass_codes:delete",
];
const ALL_USER_MANAGEMENT: Action[] = [
  "users:create",
  "users:delete",
  "users:update_name",
  "users:update_email",
  "users:update_notes",
  "users:update_username",
  "users:unlock",
  "users:set_status",
  // user_managers_can_put_users_in_bypass defaults to on.
  "users:set_bypass",
  "users:send_enrollment",
  "users:bulk_enroll",
  "users:sync_one",
  "directory:sync_full",
  "directory:configure",
];
const GROUPS: Action[] = [
  "groups:create",
  "groups:update",
  "groups:delete",
  "groups:manage_members",
];
const APPLICATIONS: Action[] = [
  "applications:create",
  "applications:update",
  "applications:delete",
];

const ADMINISTRATOR: Action[] = [
  ...EVERYONE,
  ...ALL_REPORTS,
  ...DEVICES,
  ...ALL_USER_MANAGEMENT,
  ...GROUPS,
  ...APPLICATIONS,
  "sso_sources:manage",
  "policies:assign",
  "trust_monitor:view",
  "trust_monitor:process",
  "policies:create",
  "policies:update",
  "policies:delete",
  "settings:modify",
  "passwordless:activate",
  ...VIEW_ALL,
];

export const OWNER_ONLY: Action[] = [
  "billing:view",
  "billing:manage",
  "subaccounts:create",
  "subaccounts:rename",
  "subaccounts:delete",
  "admins:view",
  "admins:create",
  "admins:update",
  "admins:delete",
  "admins:directory_sync",
  "api_applications:manage",
  "sso:enable",
  "edition:change",
  "units:manage",
  "tags:manage",
  "subaccount_roles:edit",
];

/** At the parent (or an admin's own account), Premier edition, global admin, default settings. */
export const EXPECTED_AT_HOME: Record<Role, Action[]> = {
  Owner: [...ADMINISTRATOR, ...OWNER_ONLY],
  Administrator: ADMINISTRATOR,
  "Application Manager": [
    ...EVERYONE,
    ...ALL_REPORTS,
    ...APPLICATIONS,
    "sso_sources:manage",
    "policies:assign",
    "users:view",
    "groups:view",
    "applications:view",
  ],
  "User Manager": [
    ...EVERYONE,
    ...FOUR_REPORTS,
    ...DEVICES,
    ...ALL_USER_MANAGEMENT,
    ...GROUPS,
    ...VIEW_ALL,
  ],
  "Help Desk": [
    ...EVERYONE,
    ...FOUR_REPORTS,
    ...DEVICES,
    "users:update_name",
    "users:update_email",
    "users:update_notes",
    "users:unlock",
    "users:sync_one",
    ...VIEW_ALL,
  ],
  Billing: [
    ...EVERYONE,
    "billing:view",
    "billing:manage",
    "subaccounts:create",
    "subaccounts:rename",
    "subaccounts:delete",
  ],
  "Read-only": [...EVERYONE, ...ALL_REPORTS, "trust_monitor:view", ...VIEW_ALL],
};

/** In an accessible subaccount, with that subaccount role: the same, less what lives only at the parent (R-TEN-1, R-SUB-4). */
const PARENT_ONLY: Action[] = [
  "subaccounts:list",
  "subaccounts:create",
  "subaccounts:rename",
  "subaccounts:delete",
  "tags:manage",
  "subaccount_roles:edit",
];
export const EXPECTED_IN_SUBACCOUNT: Record<Role, Action[]> = Object.fromEntries(
  Object.entries(EXPECTED_AT_HOME).map(([role, actions]) => [
    role,
    actions.filter((a) => !PARENT_ONLY.includes(a)),
  ]),
) as Record<Role, Action[]>;
