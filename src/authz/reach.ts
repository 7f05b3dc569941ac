import type { Decision } from "./model.js";
import { denial } from "./role-check.js";
import type { CompiledAccount, CompiledAdmin } from "./snapshot.js";
import type { Role } from "./vocabulary.js";

export type Level = "home" | "subaccount";

/**
 * R-TAG-2 (a, b, c): may this parent-level admin enter this subaccount? While the parent is Free
 * every admin acts as an Owner (R-PLAN-1, R-PLAN-4) and saved tags are not applied (R-PLAN-2).
 */
export function sharesAccess(admin: CompiledAdmin, sub: CompiledAccount): boolean {
  if (admin.isOwner || sub.tagCount === 0 || admin.home.edition === "Free") return true;
  const { bits, words } = admin.tagMatrix;
  const mine = admin.tagRow;
  const theirs = sub.tagRow;
  for (let i = 0; i < words; i++) {
    if (((bits[mine + i] ?? 0) & (bits[theirs + i] ?? 0)) !== 0) return true;
  }
  return false;
}

/** R-TEN-2, R-SUB-5, R-TAG-2: where the admin acts in the account, or the denial. */
export function reach(
  admin: CompiledAdmin,
  account: CompiledAccount | undefined,
  accountId: string,
): Level | Decision {
  if (account === admin.home) return "home";
  if (!account) {
    return denial(
      "R-TEN-2",
      `Account ${accountId} is not part of ${admin.home.isParent ? admin.home.name : "your account"}.`,
    );
  }
  if (!admin.home.isParent) {
    return denial(
      "R-SUB-5",
      `You are an administrator of ${admin.home.name} only; ${account.name} is another account.`,
    );
  }
  if (account.isParent) return denial("R-TEN-2", `${account.name} is another parent account.`);
  if (!sharesAccess(admin, account)) {
    return denial(
      "R-TAG-2",
      `You cannot open ${account.name}: it is tagged ${account.tagText}, and ${admin.tagList.length === 0 ? "you have no access tags" : `your access tags are ${admin.tagText}`}. An administrator needs one of its tags, spelt exactly the same (tags are case-sensitive).`,
    );
  }
  return "subaccount";
}

export function roleAt(admin: CompiledAdmin, level: Level): Role {
  return level === "home" ? admin.roleAtHome : admin.roleInSubaccounts;
}
