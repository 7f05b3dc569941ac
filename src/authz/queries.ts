import { reach, roleAt, sharesAccess } from "./reach.js";
import { UNRESTRICTED, type UnitScope } from "./scope.js";
import type { CompiledAdmin, Snapshot } from "./snapshot.js";
import { isRole, type Role } from "./vocabulary.js";

/** R-TAG-2, R-TAG-5: the subaccounts an admin can enter (what the account switcher offers). */
export function accessibleSubaccounts(snapshot: Snapshot, adminId: string): string[] {
  const admin = snapshot.admins.get(adminId);
  if (admin?.facts.status !== "Active") return [];
  return configuredSubaccounts(snapshot, admin);
}

/** R-TAG-2: the subaccounts the admin's role, subaccount role and tags open, whatever their status. */
export function configuredSubaccounts(snapshot: Snapshot, admin: CompiledAdmin): string[] {
  if (!admin.home.isParent) return [];
  return snapshot.subaccounts.filter((sub) => sharesAccess(admin, sub)).map((sub) => sub.id);
}

/** The role an admin acts with in an account, or null where they cannot act (R-SUB-1, R-PLAN-1, R-PLAN-4). */
export function effectiveRole(snapshot: Snapshot, adminId: string, accountId: string): Role | null {
  const admin = snapshot.admins.get(adminId);
  if (admin?.facts.status !== "Active") return null;
  return configuredRole(snapshot, admin, accountId);
}

/**
 * R-SUM-1 (Decision): the role the admin's saved configuration gives them in an account, as if they
 * were Active. What a pending admin will get on activation, and a disabled or expired one had; the
 * summary and the preview show it beside the status. Never a permission: decide() still refuses
 * every admin who is not Active (R-ADM-1).
 */
export function configuredRole(
  snapshot: Snapshot,
  admin: CompiledAdmin,
  accountId: string,
): Role | null {
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
  if (admin?.facts.status !== "Active") return null;
  return configuredScope(snapshot, admin, accountId);
}

/** unitScope as the admin's configuration gives it, whatever their status (R-SUM-1 Decision). */
export function configuredScope(
  snapshot: Snapshot,
  admin: CompiledAdmin,
  accountId: string,
): UnitScope | null {
  if (configuredRole(snapshot, admin, accountId) === null) return null;
  const restricted =
    admin.facts.restricted && admin.home.edition !== "Free" && admin.home.id === accountId;
  return restricted ? admin.scope : UNRESTRICTED;
}
