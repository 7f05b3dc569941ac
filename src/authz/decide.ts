import { ACTION_FACTS, factsOnObject } from "./action-facts.js";
import { checkAdminChange, checkAdminObject } from "./admin-rules.js";
import { decideForApplication } from "./application.js";
import type { Decision, Principal, Target } from "./model.js";
import { reach, roleAt } from "./reach.js";
import { checkSettings, denial, unknownRole } from "./role-check.js";
import { checkScope } from "./scope.js";
import type { Snapshot } from "./snapshot.js";
import { STATUS_WORDS } from "./words.js";

/**
 * The one authorization decision. Rules apply in this order, and the first that denies names
 * itself: the principal (R-ADM-1), account reachability (R-TEN-2, R-SUB-5, R-TAG-2), edition
 * (R-PLAN-1..4), role and its limits (R-ROLE-2..4), admin-management rules (R-ROLE-5..9, R-SUB-2,
 * R-SUB-4, R-UNIT-1, R-UNIT-8h), unit scope (R-UNIT-4..8). Anything unknown is denied.
 */
export function decide(
  snapshot: Snapshot,
  principal: Principal,
  requested: string,
  target: Target,
): Decision {
  const known = ACTION_FACTS.get(requested);
  if (known === undefined)
    return denial("R-ROLE-2", `Gatehouse knows no action called "${requested}".`);
  const facts = factsOnObject(known, target);
  const action = facts.name;
  if (principal.kind === "system") {
    // The system is trusted, but only inside this tenant: an unknown account fails closed.
    if (!snapshot.accounts.has(target.accountId))
      return denial(
        "R-TEN-2",
        `Account ${target.accountId} is not part of ${snapshot.parent.name}.`,
      );
    return (
      checkAdminObject(snapshot, action, target) ??
      checkAdminChange(snapshot, principal, action, target) ??
      allowed("system", "Gatehouse itself (directory sync, the CLI) acts on the account's behalf.")
    );
  }
  if (principal.kind === "application") {
    return (
      decideForApplication(snapshot, principal, action, target) ??
      checkAdminObject(snapshot, action, target) ??
      checkAdminChange(snapshot, principal, action, target) ??
      allowed("R-TEN-5", `Application ${principal.id} holds the permission this needs.`)
    );
  }
  if (principal.kind !== "admin")
    return denial("R-ROLE-2", "Gatehouse cannot tell who is asking, so it allows nothing.");
  const admin = snapshot.admins.get(principal.adminId);
  if (!admin)
    return denial(
      "R-TEN-2",
      `There is no administrator ${principal.adminId} in ${snapshot.parent.name}.`,
    );
  if (!admin.active) {
    return denial(
      "R-ADM-1",
      `${admin.facts.email} ${STATUS_WORDS[admin.facts.status] ?? `is ${admin.facts.status}`}; only active administrators can sign in and act.`,
    );
  }
  // Half of all decisions are in the admin's own account: a string compare instead of a Map probe.
  const account =
    target.accountId === admin.home.id ? admin.home : snapshot.accounts.get(target.accountId);
  const level = reach(admin, account, target.accountId);
  if (typeof level !== "string") return level;
  if (!account) return denial("R-TEN-2", `There is no account ${target.accountId}.`);

  if (facts.parentOnly && !account.isParent) {
    return denial(
      "R-TEN-1",
      `${account.name} is a subaccount; subaccounts are listed and managed from the parent account.`,
    );
  }
  const paidRule = facts.paidRule;
  if (paidRule !== undefined && account.edition === "Free") {
    return denial(
      paidRule,
      `${account.name} is on the Free edition, which has no subaccount roles or administrative units.`,
    );
  }
  const change = target.adminChange;
  if (
    change !== undefined &&
    account.edition === "Free" &&
    (change.role !== undefined || change.subaccountRole !== undefined || change.restricted)
  ) {
    return denial(
      "R-PLAN-1",
      `${account.name} is on the Free edition, where every administrator acts as an Owner, so roles and unit restrictions cannot be set.`,
    );
  }
  // R-ROLE-1..4: the role's column of the table, read by index; then the settings that narrow it.
  const column = level === "home" ? admin.roleAtHomeIndex : admin.roleInSubaccountsIndex;
  if (column < 0) return unknownRole(roleAt(admin, level));
  const roleDenial =
    facts.denials[column] ??
    (facts.settings ? checkSettings(roleAt(admin, level), action, account, target) : undefined);
  if (roleDenial !== undefined) return roleDenial;

  if (facts.parentOwnerOnly && !(level === "home" && account.isParent)) {
    return denial(
      "R-SUB-4",
      "Only Owners of the parent account, working in the parent account, edit subaccount roles and access tags.",
    );
  }
  if (facts.aboutAdmins) {
    const adminDenial =
      checkAdminObject(snapshot, action, target) ??
      checkAdminChange(snapshot, principal, action, target);
    if (adminDenial) return adminDenial;
  }

  if (level === "subaccount") return admin.allowInSubaccounts;
  // R-PLAN-3: units are ignored while Free; R-SUB-6: in a subaccount, a parent-level admin acts on all of it.
  if (admin.restrictedAtHome) return checkScope(admin, action, target) ?? admin.allowAtHome;
  return admin.allowAtHome;
}

function allowed(rule: string, reason: string): Decision {
  return { allow: true, rule, reason };
}
