import type { Decision } from "./model.js";
import type { CompiledAccount, CompiledAdmin } from "./snapshot.js";
import type { Role } from "./vocabulary.js";

/** Where an admin acts: in their home account, or (a parent-level admin) in one of the parent's subaccounts. */
export type Reach =
  | { level: "home" | "subaccount"; account: CompiledAccount }
  | { level: "none"; denial: Decision };

export function formatTags(tags: readonly string[]): string {
  return `[${tags.join(", ")}]`;
}

/** R-TAG-2 (a, b, c): may this parent-level admin enter this subaccount? */
export function sharesAccess(admin: CompiledAdmin, sub: CompiledAccount): boolean {
  if (admin.facts.role === "Owner" || sub.tags.size === 0) return true;
  const [small, large] =
    admin.tags.size <= sub.tags.size ? [admin.tags, sub.tags] : [sub.tags, admin.tags];
  for (const tag of small) if (large.has(tag)) return true;
  return false;
}

/** R-TEN-2, R-SUB-5, R-TAG-2: can the admin reach the account at all? */
export function reach(
  admin: CompiledAdmin,
  account: CompiledAccount | undefined,
  accountId: string,
): Reach {
  if (!account) {
    return deny(
      "R-TEN-2",
      `account ${accountId} is not part of ${admin.home.isParent ? admin.home.name : "your account"}`,
    );
  }
  if (account.id === admin.home.id) return { level: "home", account };
  if (!admin.home.isParent) {
    return deny(
      "R-SUB-5",
      `you are an administrator of ${admin.home.name} only; ${account.name} is another account`,
    );
  }
  if (account.isParent) return deny("R-TEN-2", `${account.name} is another parent account`);
  if (!sharesAccess(admin, account)) {
    return deny(
      "R-TAG-2",
      `subaccount ${account.name} has tags ${formatTags(account.tagList)}; you have ${formatTags(admin.tagList)}; tags are case-sensitive`,
    );
  }
  return { level: "subaccount", account };
}

/**
 * R-PLAN-1, R-PLAN-4, R-SUB-1, R-SUB-2, R-SUB-7: the role an admin acts with where it reaches.
 * Parent-level admins follow the parent's edition; subaccount admins their own account's.
 */
export function effectiveRole(admin: CompiledAdmin, level: "home" | "subaccount"): Role {
  if (admin.home.edition === "Free") return "Owner";
  if (level === "home") return admin.facts.role;
  return admin.facts.role === "Owner" ? "Owner" : (admin.facts.subaccountRole ?? admin.facts.role);
}

function deny(rule: string, reason: string): Reach {
  return { level: "none", denial: { allow: false, rule, reason: `${rule}: ${reason}` } };
}
