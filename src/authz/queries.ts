import { reach, roleAt, sharesAccess } from "./reach.js";
import { UNRESTRICTED, type UnitScope } from "./scope.js";
import type { Snapshot } from "./snapshot.js";
import { isRole, type Role } from "./vocabulary.js";

/** R-TAG-2, R-TAG-5: the subaccounts an admin can enter (what the account switcher offers). */
export function accessibleSubaccounts(snapshot: Snapshot, adminId: string): string[] {
  const admin = snapshot.admins.get(adminId);
  if (admin?.facts.status !== "Active" || !admin.home.isParent) return [];
  return snapshot.subaccounts.filter((sub) => sharesAccess(admin, sub)).map((sub) => sub.id);
}

/** The role an admin acts with in an account, or null where they cannot act (R-SUB-1, R-PLAN-1, R-PLAN-4). */
export function effectiveRole(snapshot: Snapshot, adminId: string, accountId: string): Role | null {
  const admin = snapshot.admins.get(adminId);
  if (admin?.facts.status !== "Active") return null;
  const level = reach(admin, snapshot.accounts.get(accountId), accountId);
  if (typeof level !== "string") return null;
  const role = roleAt(admin, level);
  // R-ROLE-1: a role outside the seven acts as nothing (decide refuses it), so it is no role here.
  return isRole(role) ? role : null;
}

/**
 * R-UNIT-4: what an admin manages in an account, as ids, so list queries can filter in SQL
 * (`WHERE group_id IN (...)`). Unrestricted where the admin is global, Free, or a parent-level admin
 * in a subaccount (R-SUB-6); empty sets where they reach nothing.
 */
export function unitScope(
  snapshot: Snapshot,
  adminId: string,
  accountId: string,
): UnitScope | null {
  const admin = snapshot.admins.get(adminId);
  if (!admin || effectiveRole(snapshot, adminId, accountId) === null) return null;
  const restricted =
    admin.facts.restricted && admin.home.edition !== "Free" && admin.home.id === accountId;
  return restricted ? admin.scope : UNRESTRICTED;
}
