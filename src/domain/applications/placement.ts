import { decide } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { Invalid } from "../errors.js";
import { scopeOf, unitsOfRestrictedCaller } from "../groups/unit-scope.js";

/**
 * Which administrative unit a new application joins (R-UNIT-3: one at most). A restricted admin's
 * always joins one of their own units (R-UNIT-6), the one they choose or else the first of theirs
 * by name, so that it stays in their scope. A global admin's joins none unless one is named; naming
 * one assigns an application to a unit, which only Owners do (R-UNIT-1, units:manage).
 */

export interface UnitChoice {
  id: string;
  name: string;
}

export interface UnitChoices {
  /** The units the caller may put a new application in, by name. */
  units: UnitChoice[];
  /** A restricted admin's application must go in one of their units (the first, unless chosen). */
  required: boolean;
}

function byName(a: UnitChoice, b: UnitChoice): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1;
}

/** The account's units that hold chosen applications: a unit of "all applications" holds every one anyway. */
function assignableUnits(ctx: UseCaseContext): UnitChoice[] {
  return [...ctx.snapshot.units.values()]
    .filter((unit) => unit.facts.accountId === ctx.accountId && !unit.facts.allApplications)
    .map((unit) => ({ id: unit.facts.id, name: unit.facts.name }))
    .sort(byName);
}

/** What "Protect an Application" offers the caller as its unit. */
export function unitChoices(ctx: UseCaseContext): UnitChoices {
  ctx.authorize("applications:create");
  if (!scopeOf(ctx).all) return { units: unitsOfRestrictedCaller(ctx), required: true };
  const mayAssign = decide(ctx.snapshot, ctx.caller.principal, "units:manage", {
    accountId: ctx.accountId,
  }).allow;
  return { units: mayAssign ? assignableUnits(ctx) : [], required: false };
}

/** The unit a new application joins, `unitId` checked against what the caller may choose. */
export function unitForNewApplication(
  ctx: UseCaseContext,
  unitId: string | undefined,
): UnitChoice | undefined {
  if (!scopeOf(ctx).all) {
    const own = unitsOfRestrictedCaller(ctx);
    if (unitId === undefined) return own[0];
    const chosen = own.find((unit) => unit.id === unitId);
    if (!chosen)
      throw new Invalid(
        "unit_id",
        `must be one of your own units (${own.map((unit) => unit.name).join(", ")}): R-UNIT-6 keeps what you create in your scope`,
      );
    return chosen;
  }
  if (unitId === undefined) return undefined;
  ctx.authorize("units:manage");
  const unit = ctx.snapshot.units.get(unitId);
  if (!unit || unit.facts.accountId !== ctx.accountId)
    throw new Invalid("unit_id", `no administrative unit ${unitId} in this account`);
  if (unit.facts.allApplications)
    throw new Invalid(
      "unit_id",
      `${unit.facts.name} manages all applications already; choose a unit that manages chosen ones`,
    );
  return { id: unit.facts.id, name: unit.facts.name };
}
