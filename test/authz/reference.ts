/**
 * A slow, obviously-correct reading of SPEC sections 2-5, for property tests only: no compilation,
 * no sets, linear scans over the plain model, and the role table from the hand-written
 * expectations rather than src/authz/roles.ts. It answers allow/deny only.
 */
import {
  type Action,
  type AdminFacts,
  type Principal,
  ROLES,
  type Role,
  type Target,
  type TenantModel,
} from "../../src/authz/index.js";
import { EXPECTED_AT_HOME } from "./expectations.js";

function accountOf(model: TenantModel, id: string) {
  if (model.parent.id === id) return { ...model.parent, tags: [] as string[], isParent: true };
  const sub = model.subaccounts.find((s) => s.id === id);
  return sub ? { ...sub, isParent: false } : undefined;
}

/** R-TAG-2 in its own words; while the parent is Free tags are not applied (R-PLAN-2). */
function canEnter(model: TenantModel, admin: AdminFacts, sub: { tags: string[] }): boolean {
  if (model.parent.edition === "Free") return true;
  if (admin.role === "Owner") return true;
  if (sub.tags.length === 0) return true;
  return admin.tags.some((tag) => sub.tags.includes(tag));
}

/** R-ADM-1: only an Active admin acts, with the role their configuration gives them. */
export function refEffectiveRole(
  model: TenantModel,
  adminId: string,
  accountId: string,
): Role | null {
  const admin = model.admins.find((a) => a.id === adminId);
  if (admin?.status !== "Active") return null;
  return refConfiguredRole(model, adminId, accountId);
}

/**
 * R-SUM-1 Decision: the role an admin's saved role, subaccount role and tags give them in an
 * account, whatever their status: what a pending admin gets on activation.
 */
export function refConfiguredRole(
  model: TenantModel,
  adminId: string,
  accountId: string,
): Role | null {
  const admin = model.admins.find((a) => a.id === adminId);
  if (!admin) return null;
  const home = accountOf(model, admin.accountId);
  const target = accountOf(model, accountId);
  if (!home || !target) return null;
  let level: "home" | "sub";
  if (admin.accountId === accountId) level = "home";
  else if (home.isParent && !target.isParent && canEnter(model, admin, target)) level = "sub";
  else return null;
  if (home.edition === "Free") return "Owner";
  const role =
    level === "home" || admin.role === "Owner" ? admin.role : (admin.subaccountRole ?? admin.role);
  // R-ROLE-1: only the seven roles exist; anything else is no role at all.
  return (ROLES as readonly string[]).includes(role) ? role : null;
}

function inScope(model: TenantModel, admin: AdminFacts, action: Action, target: Target): boolean {
  if (action === "profile:edit") return true;
  const units = model.units.filter((u) => u.adminIds.includes(admin.id));
  if (units.length === 0) return false;
  const wide = [
    "directory:sync_full",
    "directory:configure",
    "users:bulk_enroll",
    "settings:modify",
    "sso_sources:manage",
    "sso:enable",
    "passwordless:activate",
    "trust_monitor:process",
  ];
  if (wide.includes(action)) return false;
  const group = (id: string) => units.some((u) => u.allGroups || u.groupIds.includes(id));
  const app = (id: string) => units.some((u) => u.allApplications || u.applicationIds.includes(id));
  if (target.groupId !== undefined && !group(target.groupId)) return false;
  const o = target.object;
  if (!o) return true;
  if (o.kind === "user")
    return o.id === undefined
      ? o.groupIds.length > 0 && o.groupIds.every(group)
      : units.some((u) => u.allGroups) || o.groupIds.some(group);
  if (o.kind === "group") return o.id === undefined || group(o.id);
  if (o.kind === "application") return o.id === undefined || app(o.id);
  if (o.kind === "policy") {
    if (o.global && action !== "policies:create") return false;
    return o.applicationIds.every(app) && o.groupIds.every(group);
  }
  return true;
}

function adminChangeAllowed(
  model: TenantModel,
  principal: Principal,
  action: Action,
  target: Target,
): boolean {
  if (
    !["admins:create", "admins:update", "admins:delete", "subaccount_roles:edit"].includes(action)
  )
    return true;
  const change = { ...target.adminChange, ...(action === "admins:delete" ? { delete: true } : {}) };
  const subject =
    target.object?.kind === "admin"
      ? model.admins.find((a) => a.id === target.object?.id)
      : undefined;
  const subjectUnits = subject
    ? model.units.filter((u) => u.adminIds.includes(subject.id)).length
    : 0;
  if (principal.kind === "admin" && subject && principal.adminId === subject.id) {
    if (
      change.role !== undefined ||
      change.subaccountRole !== undefined ||
      change.tags !== undefined
    )
      return false;
    if (change.unitIds !== undefined || change.restricted !== undefined || change.delete)
      return false;
  }
  if (
    subject?.directorySynced &&
    change.role !== undefined &&
    change.role !== subject.role &&
    change.role !== "Owner"
  )
    return false;
  const role = change.role ?? subject?.role;
  const parentLevel = subject
    ? subject.accountId === model.parent.id
    : target.accountId === model.parent.id;
  if (
    role === "Owner" &&
    parentLevel &&
    change.subaccountRole !== undefined &&
    change.subaccountRole !== "Owner"
  )
    return false;
  const restricted = change.restricted ?? subject?.restricted ?? false;
  if (role === "Owner" && (restricted || (change.unitIds?.length ?? subjectUnits) > 0))
    return false;
  if (principal.kind === "application" && change.status === "Disabled" && role === "Owner")
    return false;
  if (subject && subject.role === "Owner" && subject.status === "Active") {
    const leaves =
      change.delete ||
      (change.role !== undefined && change.role !== "Owner") ||
      (change.status !== undefined && change.status !== "Active");
    const owners = model.admins.filter(
      (a) => a.accountId === subject.accountId && a.role === "Owner" && a.status === "Active",
    ).length;
    if (leaves && owners <= 1) return false;
  }
  return true;
}

/** R-ROLE-2: editing an Admin API or Accounts API application is the Owner-only row, not "Manage applications". */
function actionOn(action: Action, target: Target): Action {
  const o = target.object;
  const apiType = o?.kind === "application" && (o.type === "adminapi" || o.type === "accountsapi");
  return apiType &&
    ["applications:create", "applications:update", "applications:delete"].includes(action)
    ? "api_applications:manage"
    : action;
}

/** R-TEN-2: an administrator is managed only in the account they belong to. */
function adminObjectElsewhere(model: TenantModel, action: Action, target: Target): boolean {
  const adminActions = [
    "admins:view",
    "admins:create",
    "admins:update",
    "admins:delete",
    "subaccount_roles:edit",
  ];
  const o = target.object;
  if (!adminActions.includes(action) || o?.kind !== "admin" || o.id === undefined) return false;
  const subject = model.admins.find((a) => a.id === o.id);
  return subject?.accountId !== target.accountId;
}

export function refDecide(
  model: TenantModel,
  principal: Principal,
  requested: Action,
  target: Target,
): boolean {
  if (principal.kind !== "admin") throw new Error("the reference covers admins only");
  const action = actionOn(requested, target);
  if (adminObjectElsewhere(model, action, target)) return false;
  const admin = model.admins.find((a) => a.id === principal.adminId);
  if (!admin) return false;
  const role = refEffectiveRole(model, admin.id, target.accountId);
  if (role === null) return false;
  const account = accountOf(model, target.accountId);
  if (!account) return false;
  if (
    ["subaccounts:list", "subaccounts:create", "subaccounts:rename", "subaccounts:delete"].includes(
      action,
    ) &&
    !account.isParent
  )
    return false;
  if (
    (action === "units:manage" || action === "subaccount_roles:edit") &&
    account.edition === "Free"
  )
    return false;
  const c = target.adminChange;
  if (
    account.edition === "Free" &&
    (c?.role !== undefined || c?.subaccountRole !== undefined || c?.restricted)
  )
    return false;
  if (!EXPECTED_AT_HOME[role].includes(action)) {
    // The hand-written table assumes default settings: the R-ROLE-4 actions it leaves out for Help
    // Desk are decided by the settings below instead.
    if (!(role === "Help Desk" && action === "users:send_enrollment")) return false;
  }
  const s = account.settings;
  if (role === "Help Desk" && action === "bypass_codes:create") {
    if (s.helpdesk_bypass === "deny") return false;
    const m = target.bypassExpirationMinutes;
    if (
      s.helpdesk_bypass === "limit" &&
      !(typeof m === "number" && m > 0 && m <= s.helpdesk_bypass_expiration)
    )
      return false;
  }
  if (
    role === "Help Desk" &&
    action === "users:send_enrollment" &&
    !s.helpdesk_can_send_enroll_email
  )
    return false;
  if (
    role === "User Manager" &&
    action === "users:set_bypass" &&
    !s.user_managers_can_put_users_in_bypass
  )
    return false;
  const atParentHome = admin.accountId === target.accountId && account.isParent;
  if ((action === "tags:manage" || action === "subaccount_roles:edit") && !atParentHome)
    return false;
  if (!adminChangeAllowed(model, principal, action, target)) return false;
  const home = accountOf(model, admin.accountId);
  const restricted =
    admin.restricted && home?.edition !== "Free" && admin.accountId === target.accountId;
  if (restricted && !inScope(model, admin, action, target)) return false;
  return true;
}
