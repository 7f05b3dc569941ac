import type { AdminStatus, Role } from "./vocabulary.js";

/**
 * The words refusals and explanations are made of. Issue 13 item 7: an admin reads a reason
 * without the SPEC beside them, so no sentence quotes a rule id (the Decision's `rule` carries it).
 */

/** "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** Tags in words, quoted because they are case-sensitive and may hold spaces (R-TAG-1). */
export function tagWords(tags: readonly string[]): string {
  return tags.length === 0 ? "no tags" : listWords(tags.map((tag) => `"${tag}"`));
}

const PLURALS: Record<Role, string> = {
  Owner: "Owners",
  Administrator: "Administrators",
  "Application Manager": "Application Managers",
  "User Manager": "User Managers",
  "Help Desk": "Help Desk administrators",
  Billing: "Billing administrators",
  "Read-only": "Read-only administrators",
};

/** "Help Desk" → "Help Desk administrators": the people who hold the role. */
export function rolePeople(role: Role): string {
  return PLURALS[role];
}

/** R-ADM-1, in words that say why the admin cannot act yet, or any more. */
export const STATUS_WORDS: Record<AdminStatus, string> = {
  Active: "is active",
  "Pending Activation": "has not activated their account yet",
  Disabled: "is disabled",
  Expired: "has expired after a period of inactivity",
};
