import { DEFAULT_GLOBAL_SECTIONS, type PolicySections } from "../../authn/policy-sections.js";
import type { TargetObject } from "../../authz/index.js";
import { decide } from "../../authz/index.js";
import type { Executor } from "../../db/executor.js";
import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";

/**
 * A policy as Duo's Admin API v2 shows it (research/duo-api.md §4.6), with where it is applied in
 * the shape Duo's PUT takes it: the applications it is the policy of, and the groups within
 * applications it is the policy for.
 */
export interface PolicyView {
  policy_key: string;
  policy_name: string;
  is_global_policy: boolean;
  sections: PolicySections;
  apply_to_apps: { apply_list: string[] };
  apply_to_groups_in_apps: {
    apply_group_policies_list: { app_integration_key: string; group_id_list: string[] }[];
  };
}

export interface PolicyRow {
  id: string;
  name: string;
  is_global: boolean;
  sections: unknown;
}

/** Where a policy is applied: its applications, and its groups by application. */
export interface Placement {
  applicationIds: string[];
  groups: { applicationId: string; groupId: string }[];
}

/** Duo's alias for the account's global policy in a path: `/admin/v2/policies/global`. */
export const GLOBAL_ALIAS = "global";

/** Where each of `policyIds` is applied: two statements, however many policies. */
async function placementsOf(
  executor: Executor,
  policyIds: readonly string[],
): Promise<Map<string, Placement>> {
  const placements = new Map<string, Placement>(
    policyIds.map((id) => [id, { applicationIds: [], groups: [] }]),
  );
  if (policyIds.length === 0) return placements;
  const [applications, groups] = await Promise.all([
    executor
      .selectFrom("application_policies")
      .select(["policy_id", "application_id"])
      .where("policy_id", "in", policyIds)
      .orderBy("application_id")
      .execute(),
    executor
      .selectFrom("group_policies")
      .select(["policy_id", "application_id", "group_id"])
      .where("policy_id", "in", policyIds)
      .orderBy("application_id")
      .orderBy("position")
      .orderBy("group_id")
      .execute(),
  ]);
  for (const row of applications)
    placements.get(row.policy_id)?.applicationIds.push(row.application_id);
  for (const row of groups)
    placements
      .get(row.policy_id)
      ?.groups.push({ applicationId: row.application_id, groupId: row.group_id });
  return placements;
}

export async function placementOf(executor: Executor, policyId: string): Promise<Placement> {
  return (await placementsOf(executor, [policyId])).get(policyId) as Placement;
}

/** The policy as the engine decides on it (R-UNIT-8d): where it applies. */
export function policyObject(
  row: Pick<PolicyRow, "id" | "is_global">,
  placement: Placement,
): TargetObject & { kind: "policy" } {
  return {
    kind: "policy",
    id: row.id,
    global: row.is_global,
    applicationIds: placement.applicationIds,
    groupIds: [...new Set(placement.groups.map((group) => group.groupId))],
  };
}

/**
 * A policy's sections as they apply: a custom policy's as stored; the global policy sets every
 * section, and one it has never had written (a new account's is stored as `{}`, 0013_policies.sql)
 * is its default, as logins apply it.
 */
export function sectionsOf(row: Pick<PolicyRow, "is_global" | "sections">): PolicySections {
  const stored = (row.sections ?? {}) as PolicySections;
  return row.is_global ? { ...DEFAULT_GLOBAL_SECTIONS, ...stored } : stored;
}

export function policyView(row: PolicyRow, placement: Placement): PolicyView {
  const byApplication = new Map<string, string[]>();
  for (const { applicationId, groupId } of placement.groups)
    byApplication.set(applicationId, [...(byApplication.get(applicationId) ?? []), groupId]);
  return {
    policy_key: row.id,
    policy_name: row.name,
    is_global_policy: row.is_global,
    sections: sectionsOf(row),
    apply_to_apps: { apply_list: placement.applicationIds },
    apply_to_groups_in_apps: {
      apply_group_policies_list: [...byApplication].map(([app, groups]) => ({
        app_integration_key: app,
        group_id_list: groups,
      })),
    },
  };
}

/**
 * Reading policies is for the roles that work with them: who may create policies (Owner,
 * Administrator) or apply them (and Application Manager), R-ROLE-2. Anyone else is refused as the
 * engine refuses applying one.
 */
export function authorizeRead(ctx: UseCaseContext): void {
  const target = {
    accountId: ctx.accountId,
    object: policyObject({ id: "", is_global: false }, { applicationIds: [], groups: [] }),
  };
  for (const action of ["policies:create", "policies:assign"] as const)
    if (decide(ctx.snapshot, ctx.caller.principal, action, target).allow) return;
  ctx.authorize("policies:assign");
}

/** The policy `key` names in this account ("global" for the global policy); else not found. */
export async function policyRow(ctx: UseCaseContext, key: string): Promise<PolicyRow> {
  let query = ctx.tx
    .selectFrom("policies")
    .select(["id", "name", "is_global", "sections"])
    .where("account_id", "=", ctx.accountId);
  query = key === GLOBAL_ALIAS ? query.where("is_global", "=", true) : query.where("id", "=", key);
  const row = await query.executeTakeFirst();
  if (row === undefined) throw new NotFound("policy", key, `Policy ${key} not found`);
  return row;
}

export async function getPolicy(ctx: UseCaseContext, key: string): Promise<PolicyView> {
  authorizeRead(ctx);
  const row = await policyRow(ctx, key);
  return policyView(row, await placementOf(ctx.tx, row.id));
}

/** The account's policies, the global one first, then by name; one page of them. */
export async function listPolicies(
  ctx: UseCaseContext,
  page: { limit: number; offset: number },
): Promise<{ policies: PolicyView[]; total: number }> {
  authorizeRead(ctx);
  const [rows, count] = await Promise.all([
    ctx.tx
      .selectFrom("policies")
      .select(["id", "name", "is_global", "sections"])
      .where("account_id", "=", ctx.accountId)
      .orderBy("is_global", "desc")
      .orderBy("name")
      .orderBy("id")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    ctx.tx
      .selectFrom("policies")
      .select(({ fn }) => fn.countAll<string>().as("n"))
      .where("account_id", "=", ctx.accountId)
      .executeTakeFirstOrThrow(),
  ]);
  const placements = await placementsOf(
    ctx.tx,
    rows.map((row) => row.id),
  );
  const policies = rows.map((row) => policyView(row, placements.get(row.id) as Placement));
  return { policies, total: Number(count.n) };
}
