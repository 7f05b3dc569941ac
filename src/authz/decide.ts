import { type Action, isAction } from "./actions.js";
import { checkAdminChange } from "./admin-rules.js";
import { decideForApplication } from "./application.js";
import type { Decision, Principal, Target } from "./model.js";
import { reach, roleAt } from "./reach.js";
import { checkRole, denial } from "./role-check.js";
import { checkScope } from "./scope.js";
import type { Snapshot } from "./snapshot.js";

/** R-UNIT-1, R-PLAN-1, R-PLAN-3: actions about delegation that do not exist while an account is Free. */
const PAID_ONLY: Partial<Record<Action, string>> = {
  "units:manage": "R-PLAN-3",
  "subaccount_roles:edit": "R-PLAN-1",
};
/** R-SUB-4: only account-level Owners of the parent edit subaccount roles and access tags. */
export const PARENT_OWNER_ONLY: ReadonlySet<Action> = new Set([
  "subaccount_roles:edit",
  "tags:manage",
]);
/** R-TEN-1: the Accounts pages exist at a parent only; subaccounts do not nest. */
export const PARENT_ONLY: ReadonlySet<Action> = new Set([
  "subaccounts:list",
  "subaccounts:create",
  "subaccounts:rename",
  "subaccounts:delete",
]);

/**
 * The one authorization decision. Rules apply in this order, and the first that denies names
 * itself: the principal (R-ADM-1), account reachability (R-TEN-2, R-SUB-5, R-TAG-2), edition
 * (R-PLAN-1..4), role and its limits (R-ROLE-2..4), admin-management rules (R-ROLE-5..9, R-SUB-2,
 * R-SUB-4, R-UNIT-1, R-UNIT-8h), unit scope (R-UNIT-4..8). Anything unknown is denied.
 */
export function decide(
  snapshot: Snapshot,
  principal: Principal,
  action: string,
  target: Target,
): Decision {
  if (!isAction(action)) return denial("R-ROLE-2", `"${action}" is not an action Gatehouse knows`);
  if (principal.kind === "system") {
    return (
      checkAdminChange(snapshot, principal, action, target) ??
      allowed("system", "the system (directory sync, CLI) acts on the account's own behalf")
    );
  }
  if (principal.kind === "application") {
    return (
      decideForApplication(snapshot, principal, action, target) ??
      checkAdminChange(snapshot, principal, action, target) ??
      allowed("R-TEN-5", `application ${principal.id} holds the permission for this`)
    );
  }
  if (principal.kind !== "admin") return denial("R-ROLE-2", "unknown kind of principal");
  const admin = snapshot.admins.get(principal.adminId);
  if (!admin)
    return denial(
      "R-TEN-2",
      `administrator ${principal.adminId} is not part of ${snapshot.parent.name}`,
    );
  if (!admin.active) {
    return denial(
      "R-ADM-1",
      `${admin.facts.email} is ${admin.facts.status}; only Active administrators act`,
    );
  }
  const account = snapshot.accounts.get(target.accountId);
  const level = reach(admin, account, target.accountId);
  if (typeof level !== "string") return level;
  if (!account) return denial("R-TEN-2", "no such account");

  if (PARENT_ONLY.has(action) && !account.isParent) {
    return denial(
      "R-TEN-1",
      `${account.name} is a subaccount; subaccounts are managed from the parent account`,
    );
  }
  const paidRule = PAID_ONLY[action];
  if (paidRule && account.edition === "Free") {
    return denial(
      paidRule,
      `${account.name} is on the Free edition, where administrative roles and units do not apply`,
    );
  }
  const change = target.adminChange;
  if (
    account.edition === "Free" &&
    (change?.role !== undefined || change?.subaccountRole !== undefined || change?.restricted)
  ) {
    return denial(
      "R-PLAN-1",
      `${account.name} is on the Free edition, where every admin acts as an Owner and roles cannot be assigned`,
    );
  }
  const roleDenial = checkRole(roleAt(admin, level), action, account, target);
  if (roleDenial) return roleDenial;

  if (PARENT_OWNER_ONLY.has(action) && !(level === "home" && account.isParent)) {
    return denial(
      "R-SUB-4",
      "subaccount roles and access tags are edited by Owners at the parent account",
    );
  }
  const adminDenial = checkAdminChange(snapshot, principal, action, target);
  if (adminDenial) return adminDenial;

  if (level === "subaccount") return admin.allowInSubaccounts;
  // R-PLAN-3: units are ignored while Free; R-SUB-6: in a subaccount, a parent-level admin acts on all of it.
  if (admin.restrictedAtHome) return checkScope(admin, action, target) ?? admin.allowAtHome;
  return admin.allowAtHome;
}

function allowed(rule: string, reason: string): Decision {
  return { allow: true, rule, reason };
}
