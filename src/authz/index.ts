/** The authorization engine: pure, no I/O, imports nothing from other layers (DESIGN.md). */
export {
  ACTION_NAMES,
  ACTIONS,
  type Action,
  actionOnObject,
  CAPABILITIES,
  type Capability,
  isAction,
} from "./actions.js";
export { decide } from "./decide.js";
export { type Explanation, explain } from "./explain.js";
export * from "./model.js";
export {
  accessibleSubaccounts,
  configuredRole,
  configuredScope,
  configuredSubaccounts,
  effectiveRole,
  unitScope,
} from "./queries.js";
export { LIMITS, PERMISSIONS_TABLE, ROLE_ACTIONS } from "./roles.js";
export { UNRESTRICTED, type UnitScope } from "./scope.js";
export {
  type AccessDelta,
  applyChange,
  type ModelChange,
  type ScopeDelta,
  type Simulation,
  simulate,
} from "./simulate.js";
export { type CompiledAccount, compile, type Snapshot } from "./snapshot.js";
export { accessSummaryRows, csvCell } from "./summary.js";
export * from "./vocabulary.js";
