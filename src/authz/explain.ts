import { ACTIONS, actionOnObject, CAPABILITIES, isAction } from "./actions.js";
import { grantFor } from "./application.js";
import { decide } from "./decide.js";
import type { Decision, Principal, Target } from "./model.js";
import { roleAt, sharesAccess } from "./reach.js";
import { PERMISSIONS_TABLE } from "./roles.js";
import type { CompiledAccount, CompiledAdmin, Snapshot } from "./snapshot.js";
import { isRole, ROLES } from "./vocabulary.js";
import { listWords, rolePeople } from "./words.js";

/** A decision with the chain of facts behind it, in the order decide() weighs them (DESIGN.md). */
export interface Explanation {
  decision: Decision;
  facts: string[];
  /**
   * R-UNIT-4: the principal acts under administrative units in the target account, so what it
   * creates there must land in its units (R-UNIT-6, R-UNIT-8a). Pages ask this, not the wording.
   */
  restrictedToUnits: boolean;
}

/** An R-ROLE-2 cell in words: ✅ all of the row, ✅* the part R-ROLE-3 lists, empty none. */
const CELL_WORDS: Record<string, string> = {
  "✅": "all of it",
  "✅*": "only part of it",
  "": "none of it",
};

/**
 * Why decide() answered as it did: who asks, where, what the role holds of the action's R-ROLE-2
 * row, and the deciding reason last. It reads the same snapshot and calls decide() itself, so it
 * cannot tell another story. Every fact is a sentence for an admin: no rule ids (issue 13 item 7);
 * the decision's `rule` names the rule.
 *
 * @example
 * explain(snapshot, { kind: "admin", adminId: "DE1" }, "users:view", { accountId: "DA2" }).facts
 * // ["ann@msp.example is a parent-level administrator of Acme MSP (the parent account, Premier edition); status: Active.", ...]
 */
export function explain(
  snapshot: Snapshot,
  principal: Principal,
  action: string,
  target: Target,
): Explanation {
  const decision = decide(snapshot, principal, action, target);
  const account = snapshot.accounts.get(target.accountId);
  const facts: string[] = [];
  let restrictedToUnits = false;
  if (principal.kind === "admin") {
    const admin = snapshot.admins.get(principal.adminId);
    // R-SUB-6: units bind an admin only in their own account.
    restrictedToUnits = admin?.restrictedAtHome === true && admin.home.id === target.accountId;
    if (admin) facts.push(...adminFacts(admin, account, action, target));
    else facts.push(`There is no administrator ${principal.adminId} here.`);
  } else if (principal.kind === "application") {
    const home = snapshot.accounts.get(principal.accountId)?.name ?? principal.accountId;
    const kind = principal.type === "accountsapi" ? "an Accounts API" : "an Admin API";
    const grants = principal.grants.length ? listWords(principal.grants) : "no permissions";
    facts.push(`Application ${principal.id} is ${kind} application of ${home}, with ${grants}.`);
    if (isAction(action)) {
      const onObject = actionOnObject(action, target);
      const grant = grantFor(onObject);
      const what = ACTIONS[onObject].description;
      facts.push(
        grant
          ? `To ${what} it needs the "${grant}" permission.`
          : `Applications cannot ${what}; only administrators in the panel can.`,
      );
    }
  } else facts.push("Gatehouse itself (directory sync or the CLI) is asking.");
  facts.push(`${decision.allow ? "Allowed" : "Denied"}: ${decision.reason}`);
  return { decision, facts, restrictedToUnits };
}

function accountWords(account: CompiledAccount): string {
  const kind = account.isParent
    ? "the parent account"
    : account.tagCount === 0
      ? "a subaccount without tags"
      : `a subaccount tagged ${account.tagText}`;
  return `${account.name} (${kind}, ${account.edition} edition)`;
}

function adminFacts(
  admin: CompiledAdmin,
  account: CompiledAccount | undefined,
  requested: string,
  target: Target,
): string[] {
  const f = admin.facts;
  const home = admin.home;
  const inSubaccounts = `${admin.roleInSubaccounts}${f.subaccountRole === null ? " (no subaccount role is saved, so their role applies)" : ""}`;
  const tags = admin.tagList.length ? admin.tagText : "none";
  const facts = [
    `${f.email} is ${home.isParent ? "a parent-level administrator" : "an administrator"} of ${accountWords(home)}; status: ${f.status}.`,
    home.isParent
      ? `Role: ${f.role}; in subaccounts: ${inSubaccounts}; access tags: ${tags}.`
      : `Role: ${f.role}.`,
  ];
  if (home.edition === "Free")
    facts.push(`${home.name} is on the Free edition, so every administrator acts as an Owner.`);
  if (admin.restrictedAtHome) {
    const names = admin.units.map((unit) => `"${unit.facts.name}"`);
    facts.push(
      names.length
        ? `Restricted to the administrative unit${names.length > 1 ? "s" : ""} ${listWords(names)} in ${home.name}.`
        : `Restricted to administrative units in ${home.name}, but in none of them.`,
    );
  }
  if (!account) return [...facts, `Account ${target.accountId} is not part of this tenant.`];
  facts.push(`Acting in ${accountWords(account)}.`);
  const level =
    account === home ? "home" : home.isParent && !account.isParent ? "subaccount" : null;
  if (level === "subaccount")
    facts.push(
      sharesAccess(admin, account)
        ? `Can open ${account.name}.`
        : `Cannot open ${account.name}: no access tag in common.`,
    );
  if (level === null || !isAction(requested)) return facts;
  const action = actionOnObject(requested, target);
  const role = roleAt(admin, level);
  const capability = ACTIONS[action].capability;
  const column = (ROLES as readonly string[]).indexOf(role);
  const row = PERMISSIONS_TABLE.find(([name]) => name === capability);
  const cell = column < 0 ? undefined : row?.[column + 1];
  const part = `To ${ACTIONS[action].description} is part of "${CAPABILITIES[capability]}"`;
  facts.push(
    cell === undefined || !isRole(role)
      ? `${part}; "${role}" is not one of the seven roles, so it holds none of it.`
      : `${part}; ${rolePeople(role)} have ${CELL_WORDS[cell]}.`,
  );
  return facts;
}
