import { sql } from "kysely";
import {
  DEFAULT_GLOBAL_SECTIONS,
  type PolicySections,
  parseSections,
  SECTION_NAMES,
  type SectionName,
} from "../../authn/policy-sections.js";
import { newId } from "../../db/ids.js";
import type { UseCaseContext } from "../context.js";
import { Invalid, NotFound } from "../errors.js";
import { impactOf, recordImpact } from "./impact.js";
import {
  type Placement,
  type PolicyRow,
  type PolicyView,
  placementOf,
  policyObject,
  policyRow,
  policyView,
  sectionsOf,
} from "./read.js";

/**
 * R-POL-1 and R-ROLE-2's policy rows, with R-UNIT-8d for restricted admins: Owners and
 * Administrators create, edit, delete and copy policies and edit the global one; who may apply
 * policies (Application Managers too) applies existing ones to applications and to groups within
 * them. Every change is checked whole before anything is written, and logged once.
 */

/** Where to apply a policy, and where to stop applying it (Duo's PUT `apply_to_*` shapes). */
export interface PlacementChange {
  applyToApps?: string[];
  unapplyFromApps?: string[];
  applyToGroups?: { applicationId: string; groupIds: string[] }[];
  unapplyFromGroups?: { applicationId: string; groupIds: string[] }[];
}

export interface PolicyChange extends PlacementChange {
  name?: string;
  /** Duo's `sections`, unchecked: parsed here (a null section is removed). */
  sections?: unknown;
  /** Duo's `sections_to_delete`. */
  sectionsToDelete?: string[];
}

function parseName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100)
    throw new Invalid("policy_name", "must be 1 to 100 characters");
  return trimmed;
}

async function requireFreeName(ctx: UseCaseContext, name: string, exceptId?: string) {
  let query = ctx.tx
    .selectFrom("policies")
    .select("id")
    .where("account_id", "=", ctx.accountId)
    .where(sql<string>`lower(name)`, "=", name.toLowerCase());
  if (exceptId !== undefined) query = query.where("id", "<>", exceptId);
  if (await query.executeTakeFirst())
    throw new Invalid("policy_name", `another policy of this account is named "${name}"`);
}

/** The sections after a change: parsed, merged over the current ones, deletions applied. */
function mergedSections(
  current: PolicySections,
  change: PolicyChange,
  isGlobal: boolean,
): PolicySections {
  const parsed =
    change.sections === undefined
      ? { sections: {}, deleted: [] as SectionName[], problems: [] }
      : parseSections(change.sections);
  const toDelete = [...parsed.deleted];
  for (const name of change.sectionsToDelete ?? []) {
    if (!(SECTION_NAMES as readonly string[]).includes(name))
      throw new Invalid("sections_to_delete", `"${name}" is not a section Gatehouse enforces`);
    toDelete.push(name as SectionName);
  }
  const [problem] = parsed.problems;
  if (problem !== undefined)
    throw new Invalid(
      problem.field,
      parsed.problems.length === 1
        ? problem.message
        : `${problem.message} (and ${parsed.problems.length - 1} more: ${parsed.problems
            .slice(1)
            .map((p) => p.field)
            .join(", ")})`,
    );
  const merged: PolicySections = { ...current, ...parsed.sections };
  for (const name of toDelete)
    if (isGlobal)
      // The global policy sets every section: "deleting" one restores its default.
      (merged as Record<string, unknown>)[name] = DEFAULT_GLOBAL_SECTIONS[name];
    else delete merged[name];
  return merged;
}

/** Checks that every application and group named is the account's; the placement after the change. */
async function plannedPlacement(
  ctx: UseCaseContext,
  current: Placement,
  change: PlacementChange,
): Promise<{ next: Placement; touched: Placement }> {
  const apps = [
    ...(change.applyToApps ?? []),
    ...(change.unapplyFromApps ?? []),
    ...(change.applyToGroups ?? []).map((entry) => entry.applicationId),
    ...(change.unapplyFromGroups ?? []).map((entry) => entry.applicationId),
  ];
  const groups = [...(change.applyToGroups ?? []), ...(change.unapplyFromGroups ?? [])].flatMap(
    (entry) => entry.groupIds,
  );
  if (apps.length > 0) {
    const found = await ctx.tx
      .selectFrom("applications")
      .select(["id", "type"])
      .where("account_id", "=", ctx.accountId)
      .where("id", "in", [...new Set(apps)])
      .execute();
    const missing = apps.find((id) => !found.some((row) => row.id === id));
    if (missing !== undefined) throw new NotFound("application", missing);
    const api = found.find((row) => row.type === "adminapi" || row.type === "accountsapi");
    if (api !== undefined)
      throw new Invalid(
        "apply_to_apps",
        `${api.id} is an API application: policies decide logins, and nobody logs in to it`,
      );
  }
  if (groups.length > 0) {
    const found = await ctx.tx
      .selectFrom("groups")
      .select("id")
      .where("account_id", "=", ctx.accountId)
      .where("id", "in", [...new Set(groups)])
      .execute();
    const missing = groups.find((id) => !found.some((row) => row.id === id));
    if (missing !== undefined) throw new NotFound("group", missing);
  }
  const unapplied = new Set(change.unapplyFromApps ?? []);
  const applicationIds = [
    ...new Set([
      ...current.applicationIds.filter((id) => !unapplied.has(id)),
      ...(change.applyToApps ?? []),
    ]),
  ].sort();
  const key = (applicationId: string, groupId: string) => `${applicationId} ${groupId}`;
  const removed = new Set(
    (change.unapplyFromGroups ?? []).flatMap((entry) =>
      entry.groupIds.map((groupId) => key(entry.applicationId, groupId)),
    ),
  );
  const added = (change.applyToGroups ?? []).flatMap((entry) =>
    entry.groupIds.map((groupId) => ({ applicationId: entry.applicationId, groupId })),
  );
  const seen = new Set<string>();
  const nextGroups = [
    ...current.groups.filter((group) => !removed.has(key(group.applicationId, group.groupId))),
    ...added,
  ].filter((group) => {
    const k = key(group.applicationId, group.groupId);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return {
    next: { applicationIds, groups: nextGroups },
    touched: {
      applicationIds: [...new Set(apps)],
      groups: [
        ...added,
        ...(change.unapplyFromGroups ?? []).flatMap((entry) =>
          entry.groupIds.map((groupId) => ({ applicationId: entry.applicationId, groupId })),
        ),
      ],
    },
  };
}

const changesPlacement = (change: PlacementChange) =>
  [change.applyToApps, change.unapplyFromApps, change.applyToGroups, change.unapplyFromGroups].some(
    (list) => list !== undefined && list.length > 0,
  );

/** Another policy that applying this one took an application or a group from. */
interface Displaced {
  policy_id: string;
  application_id: string;
  group_id?: string;
}

/**
 * Writes the placement: this policy's applications and groups become exactly `next`. Applying it
 * where another policy was replaces that one there (an application, or a group within one, has
 * one policy), which the caller's record names. A group newly given a policy comes after the
 * application's other group policies: a user in several such groups gets the first's.
 */
async function writePlacement(
  ctx: UseCaseContext,
  policyId: string,
  current: Placement,
  next: Placement,
): Promise<Displaced[]> {
  const key = (group: { applicationId: string; groupId: string }) =>
    `${group.applicationId} ${group.groupId}`;
  const keep = new Set(next.groups.map(key));
  const had = new Set(current.groups.map(key));
  const droppedApps = current.applicationIds.filter((id) => !next.applicationIds.includes(id));
  const addedApps = next.applicationIds.filter((id) => !current.applicationIds.includes(id));
  const droppedGroups = current.groups.filter((group) => !keep.has(key(group)));
  const addedGroups = next.groups.filter((group) => !had.has(key(group)));
  if (droppedApps.length > 0)
    await ctx.tx
      .deleteFrom("application_policies")
      .where("policy_id", "=", policyId)
      .where("application_id", "in", droppedApps)
      .execute();
  for (const group of droppedGroups)
    await ctx.tx
      .deleteFrom("group_policies")
      .where("policy_id", "=", policyId)
      .where("application_id", "=", group.applicationId)
      .where("group_id", "=", group.groupId)
      .execute();
  const displaced: Displaced[] = [];
  if (addedApps.length > 0) {
    const taken = await ctx.tx
      .selectFrom("application_policies")
      .select(["policy_id", "application_id"])
      .where("application_id", "in", addedApps)
      .execute();
    displaced.push(...taken);
    await ctx.tx
      .insertInto("application_policies")
      .values(
        addedApps.map((applicationId) => ({
          application_id: applicationId,
          account_id: ctx.accountId,
          policy_id: policyId,
        })),
      )
      .onConflict((conflict) =>
        conflict.column("application_id").doUpdateSet({ policy_id: policyId }),
      )
      .execute();
  }
  for (const group of addedGroups) {
    const taken = await ctx.tx
      .selectFrom("group_policies")
      .select(["policy_id", "application_id", "group_id"])
      .where("application_id", "=", group.applicationId)
      .where("group_id", "=", group.groupId)
      .executeTakeFirst();
    if (taken) displaced.push(taken);
    const last = await ctx.tx
      .selectFrom("group_policies")
      .select(({ fn }) => fn.max("position").as("position"))
      .where("application_id", "=", group.applicationId)
      .executeTakeFirst();
    const position =
      last?.position === null || last?.position === undefined ? 0 : last.position + 1;
    await ctx.tx
      .insertInto("group_policies")
      .values({
        application_id: group.applicationId,
        group_id: group.groupId,
        account_id: ctx.accountId,
        policy_id: policyId,
        position,
      })
      .onConflict((conflict) =>
        conflict
          .columns(["application_id", "group_id"])
          .doUpdateSet({ policy_id: policyId, position }),
      )
      .execute();
  }
  return displaced;
}

/** POST /admin/v2/policies: a new custom policy, with the sections it sets, applied where asked. */
export async function createPolicy(
  ctx: UseCaseContext,
  change: PolicyChange & { name: string },
): Promise<PolicyView> {
  const id = newId("policy");
  const row = { id, is_global: false };
  ctx.authorize("policies:create", {
    object: policyObject(row, { applicationIds: [], groups: [] }),
  });
  const name = parseName(change.name);
  await requireFreeName(ctx, name);
  const sections = mergedSections({}, change, false);
  const empty: Placement = { applicationIds: [], groups: [] };
  const { next, touched } = await plannedPlacement(ctx, empty, change);
  if (changesPlacement(change))
    // R-UNIT-8d: decided on the places applied to or removed from.
    ctx.authorize("policies:assign", { object: policyObject(row, touched) });
  const impact = await impactOf(ctx, { id, name, sections, next });
  await ctx.tx
    .insertInto("policies")
    .values({ id, account_id: ctx.accountId, name, sections: JSON.stringify(sections) })
    .execute();
  const replaced = await writePlacement(ctx, id, empty, next);
  const view = policyView({ id, name, is_global: false, sections }, next);
  await ctx.audit({
    action: "policy_create",
    object: { kind: "policy", id, name },
    after: { sections, applied_to: next, ...(replaced.length > 0 ? { replaced } : {}) },
  });
  await recordImpact(ctx, "policy_create", { id, name }, impact);
  return view;
}

/** An update checked and authorized, not yet written: what it would make of the policy. */
export interface PlannedUpdate {
  row: PolicyRow;
  name: string;
  before: PolicySections;
  sections: PolicySections;
  current: Placement;
  next: Placement;
  /** Nothing would change. */
  idle: boolean;
}

/**
 * An update's checks and authorization, as saving it would make them (policies:update, decided on
 * where the policy applies now: R-UNIT-8d; policies:assign, decided on the applications and groups
 * it is applied to or removed from), and the policy it would make. Writes nothing: a preview of
 * its impact (impact.ts) takes exactly what saving would.
 */
export async function planUpdate(
  ctx: UseCaseContext,
  key: string,
  change: PolicyChange,
): Promise<PlannedUpdate> {
  const row = await policyRow(ctx, key);
  const current = await placementOf(ctx.tx, row.id);
  const editsPolicy =
    change.name !== undefined ||
    change.sections !== undefined ||
    (change.sectionsToDelete ?? []).length > 0;
  if (editsPolicy) ctx.authorize("policies:update", { object: policyObject(row, current) });
  if (row.is_global && changesPlacement(change))
    throw new Invalid(
      (change.applyToGroups ?? change.unapplyFromGroups) === undefined
        ? "apply_to_apps"
        : "apply_to_groups_in_apps",
      "the global policy applies wherever no other policy does; it is not applied to anything",
    );
  const before = sectionsOf(row);
  if (!editsPolicy && !changesPlacement(change))
    return { row, name: row.name, before, sections: before, current, next: current, idle: true };
  const name = change.name === undefined ? row.name : parseName(change.name);
  if (name !== row.name) await requireFreeName(ctx, name, row.id);
  const sections = mergedSections(before, change, row.is_global);
  const { next, touched } = await plannedPlacement(ctx, current, change);
  if (changesPlacement(change))
    // R-UNIT-8d: decided on the places applied to or removed from.
    ctx.authorize("policies:assign", { object: policyObject(row, touched) });
  return { row, name, before, sections, current, next, idle: false };
}

/**
 * PUT /admin/v2/policies/{key}: the name and sections, and where the policy applies (planUpdate's
 * checks), written with one record.
 */
export async function updatePolicy(
  ctx: UseCaseContext,
  key: string,
  change: PolicyChange,
): Promise<PolicyView> {
  const plan = await planUpdate(ctx, key, change);
  const { row, name, before, sections, current, next } = plan;
  if (plan.idle) return policyView(row, current);
  // R-POL-3: worked out on the policies as they are, before this change is written.
  const impact = await impactOf(ctx, { id: row.id, name, sections, next });
  await ctx.tx
    .updateTable("policies")
    .set({ name, sections: JSON.stringify(sections), updated_at: new Date() })
    .where("id", "=", row.id)
    .execute();
  const replaced = changesPlacement(change) ? await writePlacement(ctx, row.id, current, next) : [];
  await ctx.audit({
    action: "policy_update",
    object: { kind: "policy", id: row.id, name },
    before: { name: row.name, sections: before, applied_to: current },
    after: { name, sections, applied_to: next, ...(replaced.length > 0 ? { replaced } : {}) },
  });
  await recordImpact(ctx, "policy_update", { id: row.id, name }, impact);
  return policyView({ ...row, name, sections }, next);
}

/** DELETE /admin/v2/policies/{key}: a custom policy, and with it its applications and groups. */
export async function deletePolicy(ctx: UseCaseContext, key: string): Promise<void> {
  const row = await policyRow(ctx, key);
  const placement = await placementOf(ctx.tx, row.id);
  ctx.authorize("policies:delete", { object: policyObject(row, placement) });
  if (row.is_global) throw new Invalid("policy_key", "the global policy cannot be deleted");
  const impact = await impactOf(ctx, {
    id: row.id,
    name: row.name,
    sections: {},
    next: { applicationIds: [], groups: [] },
  });
  await ctx.tx.deleteFrom("policies").where("id", "=", row.id).execute();
  await ctx.audit({
    action: "policy_delete",
    object: { kind: "policy", id: row.id, name: row.name },
    before: { sections: row.sections, applied_to: placement },
  });
  await recordImpact(ctx, "policy_delete", { id: row.id, name: row.name }, impact);
}

/**
 * POST /admin/v2/policies/copy: new policies with the source's sections, applied nowhere. R-UNIT-8d:
 * a restricted admin may copy a policy they could not edit.
 */
export async function copyPolicy(
  ctx: UseCaseContext,
  key: string,
  names: string[],
): Promise<PolicyView[]> {
  if (names.length === 0 || names.length > 100)
    throw new Invalid("new_policy_names_list", "must name 1 to 100 new policies");
  const source = await policyRow(ctx, key);
  const copies: PolicyView[] = [];
  const parsed = names.map(parseName);
  const duplicate = parsed.find(
    (name, i) => parsed.findIndex((other) => other.toLowerCase() === name.toLowerCase()) !== i,
  );
  if (duplicate !== undefined)
    throw new Invalid("new_policy_names_list", `"${duplicate}" is named twice`);
  for (const name of parsed)
    copies.push(await createPolicy(ctx, { name, sections: sectionsOf(source) }));
  return copies;
}
