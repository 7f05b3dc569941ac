import {
  type Action,
  type Decision,
  decide,
  type Target,
  UNRESTRICTED,
  type UnitScope,
  unitScope,
} from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";

/**
 * Unit scope as the use cases of users, groups and applications meet it (R-UNIT-4, R-UNIT-8a..c):
 * ids for SQL filters, the units a new object joins (R-UNIT-6), and "out of scope reads as absent".
 */

const NOTHING: UnitScope = Object.freeze({
  all: false,
  allGroups: false,
  allApplications: false,
  groupIds: new Set<string>(),
  applicationIds: new Set<string>(),
});

/**
 * What the caller manages in the account the use case acts in. API applications and the system act
 * on the whole account (R-TEN-5); an admin who cannot act there manages nothing.
 */
export function scopeOf(ctx: UseCaseContext): UnitScope {
  const principal = ctx.caller.principal;
  if (principal.kind !== "admin") return UNRESTRICTED;
  return unitScope(ctx.snapshot, principal.adminId, ctx.accountId) ?? NOTHING;
}

/** The ids of a scope's groups for `where group_id in (...)`: undefined = every group. */
export function scopedGroupIds(scope: UnitScope): string[] | undefined {
  return scope.allGroups ? undefined : [...scope.groupIds];
}

/** The ids of a scope's applications for `where id in (...)`: undefined = every application. */
export function scopedApplicationIds(scope: UnitScope): string[] | undefined {
  return scope.allApplications ? undefined : [...scope.applicationIds];
}

/**
 * R-UNIT-6: the units a new group or application joins: the caller's units, by name, when the
 * caller is restricted in this account; none for a global admin (the object is in scope anyway).
 */
export function unitsOfRestrictedCaller(ctx: UseCaseContext): { id: string; name: string }[] {
  const principal = ctx.caller.principal;
  if (principal.kind !== "admin" || scopeOf(ctx).all) return [];
  const admin = ctx.snapshot.admins.get(principal.adminId);
  return (admin?.units ?? [])
    .map((unit) => ({ id: unit.facts.id, name: unit.facts.name }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
}

/** The rules that refuse an object only because it lies outside the caller's units. */
const OUT_OF_SCOPE_RULES: ReadonlySet<string> = new Set(["R-UNIT-8a", "R-UNIT-8b", "R-UNIT-8c"]);

/**
 * ctx.authorize() on an existing object, except that an object outside the caller's units answers
 * NotFound, exactly as a missing one (R-UNIT-8a: not listed, counted or searchable; its existence
 * is not leaked). A refusal for any other reason (the role, R-ROLE-2/3) is Forbidden and logged.
 */
export function authorizeVisible(
  ctx: UseCaseContext,
  action: Action,
  target: Omit<Target, "accountId">,
  missing: { kind: string; id: string },
): Decision {
  const decision = decide(ctx.snapshot, ctx.caller.principal, action, {
    ...target,
    accountId: ctx.accountId,
  });
  if (!decision.allow && OUT_OF_SCOPE_RULES.has(decision.rule))
    throw new NotFound(missing.kind, missing.id);
  return ctx.authorize(action, target);
}
