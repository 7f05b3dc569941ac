import {
  ACTION_NAMES,
  ACTIONS,
  type Action,
  type Capability,
  isApiApplication,
} from "./actions.js";
import { ADMIN_ACTIONS } from "./admin-rules.js";
import type { Decision, Target } from "./model.js";
import { ROLE_DENIALS, SETTING_ACTIONS } from "./role-check.js";
import { ROLES } from "./vocabulary.js";

/** R-PLAN-1, R-PLAN-3: actions about delegation that do not exist while an account is Free. */
export const PAID_ONLY: Partial<Record<Action, string>> = {
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
 * Everything decide() asks about one action, gathered once at module load: a decision then reads
 * one record found by one Map lookup, instead of asking six sets and two nested maps (the profile
 * of the first version spent most of its time in those lookups).
 */
export interface ActionFacts {
  readonly name: Action;
  readonly capability: Capability;
  readonly parentOnly: boolean;
  readonly paidRule: string | undefined;
  readonly parentOwnerOnly: boolean;
  /** R-ROLE-4: the answer also depends on the account's settings. */
  readonly settings: boolean;
  /** The object is an administrator (R-TEN-2 check) or the action changes one (R-ROLE-5..9). */
  readonly aboutAdmins: boolean;
  /** Indexed like ROLES: the role's refusal (R-ROLE-2, R-ROLE-3), or undefined where it may. */
  readonly denials: readonly (Decision | undefined)[];
  /** R-ROLE-2: for an application action, its twin on the Admin API / Accounts API types. */
  readonly apiTwin: ActionFacts | undefined;
}

function factsOf(name: Action, apiTwin: ActionFacts | undefined): ActionFacts {
  return Object.freeze({
    name,
    capability: ACTIONS[name].capability,
    parentOnly: PARENT_ONLY.has(name),
    paidRule: PAID_ONLY[name],
    parentOwnerOnly: PARENT_OWNER_ONLY.has(name),
    settings: SETTING_ACTIONS.has(name),
    aboutAdmins: ACTIONS[name].object === "admin" || ADMIN_ACTIONS.has(name),
    denials: Object.freeze(ROLES.map((role) => ROLE_DENIALS.get(role)?.get(name))),
    apiTwin,
  });
}

const API_TWIN = factsOf("api_applications:manage", undefined);

export const ACTION_FACTS: ReadonlyMap<string, ActionFacts> = new Map(
  ACTION_NAMES.map((name) => [
    name,
    name === "api_applications:manage"
      ? API_TWIN
      : factsOf(name, ACTIONS[name].capability === "applications" ? API_TWIN : undefined),
  ]),
);

/** R-ROLE-2: the facts of the action as the object makes it (see actionOnObject). */
export function factsOnObject(facts: ActionFacts, target: Target): ActionFacts {
  return facts.apiTwin !== undefined && isApiApplication(target) ? facts.apiTwin : facts;
}
