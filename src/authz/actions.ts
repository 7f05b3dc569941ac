import type { Target } from "./model.js";
import { API_APPLICATION_TYPES } from "./vocabulary.js";

/**
 * Every action an admin can attempt, as `resource:verb`, at the granularity an admin meets it.
 * Each names the SPEC R-ROLE-2 row it belongs to (`gatehouse actions` prints this list) and, where
 * it acts on one object, the kind of object whose unit scope applies (R-UNIT-4).
 */
export const CAPABILITIES = {
  reports: "View reports and download logs",
  devices: "Manage 2FA devices and bypass codes",
  users: "Manage users and directory sync",
  groups: "Manage groups",
  applications: "Manage applications (not Admin API / Accounts API types)",
  ssoSources: "Manage SSO authentication sources",
  assignPolicies: "Assign existing custom policies to applications and groups",
  trustMonitor: "Trust Monitor",
  policies: "Create and edit policies",
  settings: "Modify global settings",
  billing: "View and manage billing, buy tokens and telephony credits",
  subaccounts: "Manage subaccounts (create, rename, delete)",
  admins: "Manage other admins, admin directory sync",
  apiApplications: "Manage Admin API and Accounts API applications",
  enableSso: "Enable SSO",
  passwordless: "Activate Passwordless",
  edition: "Change plan edition, cancel subscription",
  delegation: "Manage administrative units and access tags, edit subaccount roles",
  view: "View basic users, groups, phones, tokens, applications",
  everyone: "(every admin: dashboard, own profile, account list, switching)",
} as const;
export type Capability = keyof typeof CAPABILITIES;

/** What an action touches, for unit scope: one user, group, application or policy, or the account as a whole. */
export type ObjectKind = "user" | "group" | "application" | "policy" | "admin" | "account";

interface ActionInfo {
  capability: Capability;
  object: ObjectKind;
  description: string;
}

const action = (capability: Capability, object: ObjectKind, description: string): ActionInfo => ({
  capability,
  object,
  description,
});

export const ACTIONS = {
  "dashboard:view": action("everyone", "account", "open the Dashboard"),
  "profile:edit": action("everyone", "account", "view and edit their own profile"),
  "subaccounts:list": action(
    "everyone",
    "account",
    "list the parent's subaccounts with their tags",
  ),
  "accounts:switch": action("everyone", "account", "switch into an account"),

  "reports:view_authentication_log": action(
    "reports",
    "account",
    "view and download the Authentication Log",
  ),
  "reports:view_telephony_log": action("reports", "account", "view and download the Telephony Log"),
  "reports:view_administrator_actions": action(
    "reports",
    "account",
    "view and download the Administrator Actions log",
  ),
  "reports:view_policy_impact": action("reports", "account", "view the Policy Impact report"),
  "reports:view_other": action("reports", "account", "view the other reports"),

  "phones:create": action("devices", "user", "add a phone to a user"),
  "phones:update": action("devices", "user", "edit a user's phone"),
  "phones:delete": action("devices", "user", "remove a user's phone"),
  "phones:send_activation": action("devices", "user", "send a Duo Mobile activation"),
  "tokens:create": action("devices", "user", "assign a hardware token"),
  "tokens:update": action("devices", "user", "edit or resync a hardware token"),
  "tokens:delete": action("devices", "user", "remove a hardware token"),
  "bypass_codes:create": action("devices", "user", "create bypass codes"),
  "bypass_codes:delete": action("devices", "user", "delete bypass codes"),

  "users:create": action("users", "user", "create a user"),
  "users:delete": action("users", "user", "delete a user"),
  "users:update_name": action("users", "user", "change a user's full name"),
  "users:update_email": action("users", "user", "change a user's email"),
  "users:update_notes": action("users", "user", "change a user's notes"),
  "users:update_username": action("users", "user", "change a user's username or aliases"),
  "users:unlock": action("users", "user", "change a user's status from Locked Out to Active"),
  "users:set_status": action(
    "users",
    "user",
    "set a user's status (other than unlocking, or Bypass)",
  ),
  "users:set_bypass": action("users", "user", "put a user in Bypass status"),
  "users:send_enrollment": action("users", "user", "send an enrollment email"),
  "users:bulk_enroll": action("users", "account", "bulk-enroll users"),
  "users:sync_one": action("users", "user", "sync a single user from the directory"),
  "directory:sync_full": action("users", "account", "run a full directory sync"),
  "directory:configure": action("users", "account", "configure directory sync"),

  "groups:create": action("groups", "group", "create a group"),
  "groups:update": action("groups", "group", "edit a group"),
  "groups:delete": action("groups", "group", "delete a group"),
  "groups:manage_members": action("groups", "user", "add a user to a group or remove one"),

  "applications:create": action("applications", "application", "protect a new application"),
  "applications:update": action("applications", "application", "edit an application"),
  "applications:delete": action("applications", "application", "remove an application"),

  "sso_sources:manage": action("ssoSources", "account", "manage SSO authentication sources"),
  "policies:assign": action(
    "assignPolicies",
    "policy",
    "apply an existing policy to applications and groups",
  ),
  "trust_monitor:view": action("trustMonitor", "account", "view Trust Monitor events"),
  "trust_monitor:process": action(
    "trustMonitor",
    "account",
    "process Trust Monitor events and set risk profiles",
  ),
  "policies:create": action("policies", "policy", "create a policy"),
  "policies:update": action("policies", "policy", "edit a policy"),
  "policies:delete": action("policies", "policy", "delete a policy"),
  "settings:modify": action("settings", "account", "modify global settings"),
  "billing:view": action("billing", "account", "open Billing"),
  "billing:manage": action("billing", "account", "buy tokens and telephony credits"),
  "subaccounts:create": action("subaccounts", "account", "create a subaccount"),
  "subaccounts:rename": action("subaccounts", "account", "rename a subaccount"),
  "subaccounts:delete": action("subaccounts", "account", "delete a subaccount"),
  "admins:view": action("admins", "admin", "view administrators"),
  "admins:create": action("admins", "admin", "add an administrator"),
  "admins:update": action("admins", "admin", "edit an administrator's name, phone, status or role"),
  "admins:delete": action("admins", "admin", "delete an administrator"),
  "admins:directory_sync": action("admins", "account", "configure and run admin directory sync"),
  "api_applications:manage": action(
    "apiApplications",
    "application",
    "manage Admin API and Accounts API applications",
  ),
  "sso:enable": action("enableSso", "account", "enable SSO"),
  "passwordless:activate": action("passwordless", "account", "activate Passwordless"),
  "edition:change": action(
    "edition",
    "account",
    "change the plan edition or cancel the subscription",
  ),
  "units:manage": action(
    "delegation",
    "account",
    "create, edit or delete administrative units and choose who and what is in them",
  ),
  "tags:manage": action("delegation", "account", "create and assign access tags"),
  "subaccount_roles:edit": action("delegation", "admin", "edit an administrator's subaccount role"),
  "users:view": action("view", "user", "view users' names, usernames and statuses"),
  "users:view_details": action("view", "user", "view users' phone numbers, bypass codes and notes"),
  "groups:view": action("view", "group", "view groups"),
  "phones:view": action("view", "user", "view phones and tokens"),
  "applications:view": action("view", "application", "view applications"),
} as const satisfies Record<string, ActionInfo>;

export type Action = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as Action[];

const ACTION_SET: ReadonlySet<string> = new Set(ACTION_NAMES);

export function isAction(value: string): value is Action {
  return ACTION_SET.has(value);
}

const API_TYPES: ReadonlySet<string> = new Set(API_APPLICATION_TYPES);

/** Is the action's object an Admin API or Accounts API application? */
export function isApiApplication(target: Target): boolean {
  const object = target.object;
  return object?.kind === "application" && object.type !== undefined && API_TYPES.has(object.type);
}

/**
 * R-ROLE-2: "Manage applications" excludes the Admin API and Accounts API types; managing one of
 * those is the Owner-only row "Manage Admin API and Accounts API applications", so an application
 * action on such an object is decided as that row's action.
 */
export function actionOnObject(action: Action, target: Target): Action {
  return ACTIONS[action].capability === "applications" && isApiApplication(target)
    ? "api_applications:manage"
    : action;
}
