import {
  decide,
  explain,
  isAction,
  type ModelChange,
  type Principal,
  type Simulation,
  simulate,
  type TargetObject,
} from "../authz/index.js";
import { loadObjectFacts, type ObjectKind } from "../db/queries/object-facts.js";
import { forbiddenBy } from "./authorization.js";
import type { UseCaseContext } from "./context.js";
import { Invalid, NotFound } from "./errors.js";

export interface ExplainQuery {
  /** Another admin of the tenant (Owners: "admins:view" on that admin); absent: the caller. */
  admin_id?: string;
  action: string;
  /** Where the action would happen; absent: the account the session acts in. */
  account_id?: string;
  /** The object, loaded with the facts unit scope needs (a user's groups, an application's type). */
  object?: { kind: ObjectKind; id: string };
}

export interface ExplainView {
  allow: boolean;
  rule: string;
  reason: string;
  /** The chain of facts behind the decision, in the order decide() weighs them. */
  facts: string[];
  /** R-UNIT-4: the subject acts under administrative units in that account. */
  restricted_to_units: boolean;
}

function callerId(ctx: UseCaseContext): string {
  const principal = ctx.caller.principal;
  if (principal.kind !== "admin") throw new Error("explain is for administrators");
  return principal.adminId;
}

/**
 * R-AUD-2: why the engine allows or denies an action: for the caller themself (every admin may ask
 * "why can't I"), or, for an admin who may view administrators (Owners, R-ROLE-5), for another
 * administrator, decided in that admin's own account (R-TEN-2). A read: no audit record.
 */
export async function explainDecision(
  ctx: UseCaseContext,
  query: ExplainQuery,
): Promise<ExplainView> {
  const self = callerId(ctx);
  if (!isAction(query.action))
    throw new Invalid(
      "action",
      `unknown action "${query.action}"; \`gatehouse actions\` lists them`,
    );
  const subjectId = query.admin_id ?? self;
  if (subjectId !== self) {
    const subject = ctx.snapshot.admins.get(subjectId);
    if (!subject) throw new NotFound("administrator", subjectId);
    ctx.authorize("admins:view", {
      accountId: subject.home.id,
      object: { kind: "admin", id: subjectId },
    });
  }
  const accountId = query.account_id ?? ctx.accountId;
  if (!ctx.snapshot.accounts.has(accountId)) throw new NotFound("account", accountId);
  let object: TargetObject | undefined;
  if (query.object) {
    // An object is looked up only in an account the caller can enter, so asking cannot probe
    // what another account holds (R-TEN-2, R-TAG-2).
    const entry = decide(ctx.snapshot, ctx.caller.principal, "accounts:switch", { accountId });
    if (!entry.allow) throw forbiddenBy(entry);
    object = await loadObjectFacts(ctx.tx, accountId, query.object.kind, query.object.id);
    if (!object) throw new NotFound(query.object.kind, query.object.id);
  }
  const principal: Principal = { kind: "admin", adminId: subjectId };
  const { decision, facts, restrictedToUnits } = explain(ctx.snapshot, principal, query.action, {
    accountId,
    object,
  });
  return {
    allow: decision.allow,
    rule: decision.rule,
    reason: decision.reason,
    facts,
    restricted_to_units: restrictedToUnits,
  };
}

/**
 * Several questions in one request, each answered as explainDecision answers it alone: the panel's
 * navigation asks one per page whenever the session changes account.
 */
export async function explainDecisions(
  ctx: UseCaseContext,
  queries: readonly ExplainQuery[],
): Promise<ExplainView[]> {
  const views: ExplainView[] = [];
  for (const query of queries) views.push(await explainDecision(ctx, query));
  return views;
}

/**
 * The preview of a delegation change: who would gain and lose which access, computed by the engine
 * on a copy of the model, so it cannot disagree with what will be decided. It shows the whole
 * tenant's access map, so it needs "tags:manage": an Owner acting at the parent (R-SUB-4; tags,
 * subaccount roles and units are all Owner-only delegation, R-ROLE-2 row "Manage administrative
 * units and access tags, edit subaccount roles"). Nothing is saved; no audit record. Access is
 * the configured one, each entry with the admin's status (R-SUM-1 Decision), so a change to a
 * pending admin previews as what they will get on activation.
 */
export function simulateChange(ctx: UseCaseContext, change: ModelChange): Simulation {
  const self = callerId(ctx);
  ctx.authorize("tags:manage", { accountId: ctx.snapshot.parent.id });
  const snapshot = ctx.snapshot;
  switch (change.kind) {
    case "admin":
      if (!snapshot.admins.has(change.adminId)) throw new NotFound("administrator", change.adminId);
      for (const unitId of change.unitIds ?? [])
        if (!snapshot.units.has(unitId)) throw new NotFound("administrative unit", unitId);
      break;
    case "subaccount": {
      const sub = snapshot.accounts.get(change.accountId);
      if (!sub || sub.isParent) throw new NotFound("subaccount", change.accountId);
      break;
    }
    case "unit":
      if (!snapshot.units.has(change.unitId))
        throw new NotFound("administrative unit", change.unitId);
      for (const adminId of change.adminIds ?? [])
        if (!snapshot.admins.has(adminId)) throw new NotFound("administrator", adminId);
      break;
    case "parent":
      break;
  }
  return simulate(snapshot, change, self);
}
