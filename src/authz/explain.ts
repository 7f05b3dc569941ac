import { ACTIONS, actionOnObject, CAPABILITIES, isAction } from "./actions.js";
import { grantFor } from "./application.js";
import { decide } from "./decide.js";
import type { Decision, Principal, Target } from "./model.js";
import { roleAt, sharesAccess } from "./reach.js";
import { PERMISSIONS_TABLE } from "./roles.js";
import type { CompiledAccount, CompiledAdmin, Snapshot } from "./snapshot.js";
import { ROLES } from "./vocabulary.js";

/** A decision with the chain of facts behind it, in the order decide() weighs them (DESIGN.md). */
export interface Explanation {
  decision: Decision;
  facts: string[];
}

const CELL_WORDS: Record<string, string> = {
  "✅": "✅",
  "✅*": "✅* (limited, R-ROLE-3)",
  "": "empty",
};

/**
 * Why decide() answered as it did: who asks, where, which R-ROLE-2 cell applies, and the deciding
 * rule last. It reads the same snapshot and calls decide() itself, so it cannot tell another story.
 *
 * @example
 * explain(snapshot, { kind: "admin", adminId: "DE1" }, "users:view", { accountId: "DA2" }).facts
 * // ["ann@msp.example is a parent-level administrator of Acme MSP (Premier), status Active", ...]
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
  if (principal.kind === "admin") {
    const admin = snapshot.admins.get(principal.adminId);
    if (admin) facts.push(...adminFacts(admin, account, action, target));
    else facts.push(`R-TEN-2: there is no administrator ${principal.adminId} in this tenant`);
  } else if (principal.kind === "application") {
    facts.push(
      `application ${principal.id} (${principal.type}) of ${snapshot.accounts.get(principal.accountId)?.name ?? principal.accountId}, grants [${principal.grants.join(", ")}]`,
    );
    if (isAction(action)) {
      const grant = grantFor(actionOnObject(action, target));
      facts.push(`R-TEN-5: ${action} needs ${grant ? `the grant ${grant}` : "the panel"}`);
    }
  } else facts.push(`the system (${principal.kind === "system" ? "directory sync or CLI" : "?"})`);
  facts.push(`${decision.allow ? "allowed" : "denied"}: ${decision.reason}`);
  return { decision, facts };
}

function accountWords(account: CompiledAccount): string {
  const kind = account.isParent ? "the parent account" : `subaccount with tags ${account.tagText}`;
  return `${account.name} (${kind}, ${account.edition})`;
}

function adminFacts(
  admin: CompiledAdmin,
  account: CompiledAccount | undefined,
  requested: string,
  target: Target,
): string[] {
  const f = admin.facts;
  const home = admin.home;
  const facts = [
    `${f.email} is ${home.isParent ? "a parent-level administrator" : "an administrator"} of ${accountWords(home)}, status ${f.status}`,
    `role ${f.role}${home.isParent ? `, subaccount role ${f.subaccountRole ?? `(none: ${f.role}, R-SUB-3)`}, tags ${admin.tagText}` : ""}`,
  ];
  if (home.edition === "Free")
    facts.push("R-PLAN-1: the home account is Free, so the admin acts as an Owner");
  if (admin.restrictedAtHome) {
    const names = admin.units.map((unit) => unit.facts.name);
    facts.push(`R-UNIT-4: restricted to units [${names.join(", ")}] in ${home.name}`);
  }
  if (!account) return [...facts, `R-TEN-2: account ${target.accountId} is not in this tenant`];
  facts.push(`acting in ${accountWords(account)}`);
  const level =
    account === home ? "home" : home.isParent && !account.isParent ? "subaccount" : null;
  if (level === "subaccount")
    facts.push(
      `R-TAG-2: ${sharesAccess(admin, account) ? "can" : "cannot"} access ${account.name}`,
    );
  if (level === null || !isAction(requested)) return facts;
  const action = actionOnObject(requested, target);
  const role = roleAt(admin, level);
  const capability = ACTIONS[action].capability;
  const column = (ROLES as readonly string[]).indexOf(role);
  const row = PERMISSIONS_TABLE.find(([name]) => name === capability);
  const cell = column < 0 ? undefined : row?.[column + 1];
  facts.push(
    `${action} is in the row "${CAPABILITIES[capability]}"; for ${role} the cell is ${cell === undefined ? "missing (R-ROLE-1)" : CELL_WORDS[cell]}`,
  );
  return facts;
}
