import { ACTIONS, type Action } from "./actions.js";
import type { Decision, Target } from "./model.js";
import { denial } from "./role-check.js";
import type { CompiledAdmin, UnitScope } from "./snapshot.js";

export type { UnitScope };

export const UNRESTRICTED: UnitScope = Object.freeze({
  all: true,
  allGroups: true,
  allApplications: true,
  groupIds: new Set<string>(),
  applicationIds: new Set<string>(),
});

/** Account-wide changes a restricted admin cannot make, whatever the role (R-UNIT-8e, decision under R-UNIT-4). */
export const ACCOUNT_WIDE: ReadonlySet<Action> = new Set([
  "directory:sync_full",
  "directory:configure",
  "users:bulk_enroll",
  "settings:modify",
  "sso_sources:manage",
  "sso:enable",
  "passwordless:activate",
  "trust_monitor:process",
]);

/** R-UNIT-4..8: a restricted admin acts only on the groups, users and applications of their units. */
export function checkScope(
  admin: CompiledAdmin,
  action: Action,
  target: Target,
): Decision | undefined {
  if (action === "profile:edit") return undefined;
  if (admin.units.length === 0) {
    return denial(
      "R-UNIT-5",
      "You are restricted to administrative units but belong to none, so you can open only your own profile.",
    );
  }
  const scope = admin.scope;
  if (ACCOUNT_WIDE.has(action)) {
    return denial(
      action.startsWith("directory:") ? "R-UNIT-8e" : "R-UNIT-4",
      `Administrators restricted to administrative units cannot ${ACTIONS[action].description}: it affects the whole account.`,
    );
  }
  const object = target.object;
  if (target.groupId !== undefined && !groupInScope(scope, target.groupId)) {
    return denial("R-UNIT-8b", `Group ${target.groupId} is not in your administrative units.`);
  }
  if (!object) return undefined;
  switch (object.kind) {
    case "user": {
      if (object.id === undefined) {
        // R-UNIT-8a: a new user goes into at least one group of the admin's units, and only such groups.
        if ((object.groupIds?.length ?? 0) === 0 || !everyGroupInScope(scope, object.groupIds)) {
          return denial(
            "R-UNIT-8a",
            "A user you create must go into at least one group of your administrative units, and into no other group.",
          );
        }
        return undefined;
      }
      // "All users" covers every user, one in no group too (R-UNIT-8a), as the lists show them.
      return scope.allGroups || someGroupInScope(scope, object.groupIds)
        ? undefined
        : denial(
            "R-UNIT-8a",
            `User ${object.id} is in none of the groups of your administrative units.`,
          );
    }
    case "group":
      // R-UNIT-6: a new group joins the creator's units.
      return object.id === undefined || groupInScope(scope, object.id)
        ? undefined
        : denial("R-UNIT-8b", `Group ${object.id} is not in your administrative units.`);
    case "application":
      return object.id === undefined || appInScope(scope, object.id)
        ? undefined
        : denial("R-UNIT-8c", `Application ${object.id} is not in your administrative units.`);
    case "policy": {
      const mutating = action !== "policies:create";
      if (object.global && mutating)
        return denial(
          "R-UNIT-8d",
          "Administrators restricted to administrative units can read the global policy but not change it.",
        );
      if (
        !object.applicationIds.every((id) => appInScope(scope, id)) ||
        !everyGroupInScope(scope, object.groupIds)
      ) {
        return denial(
          "R-UNIT-8d",
          "This policy applies to applications or groups outside your administrative units; make a copy of it instead.",
        );
      }
      return undefined;
    }
    case "admin":
      return undefined;
  }
}

function groupInScope(scope: UnitScope, id: string): boolean {
  return scope.allGroups || scope.groupIds.has(id);
}

function appInScope(scope: UnitScope, id: string): boolean {
  return scope.allApplications || scope.applicationIds.has(id);
}

// Objects may come from outside the type system (a malformed request): no list means no group, never a throw.
function someGroupInScope(scope: UnitScope, ids: readonly string[] | undefined): boolean {
  for (const id of ids ?? []) if (groupInScope(scope, id)) return true;
  return false;
}

function everyGroupInScope(scope: UnitScope, ids: readonly string[] | undefined): boolean {
  for (const id of ids ?? []) if (!groupInScope(scope, id)) return false;
  return true;
}
