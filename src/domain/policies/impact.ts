import { sql } from "kysely";
import type { UserStanding } from "../../authn/access.js";
import {
  decidePolicy,
  effectivePolicy,
  type PolicyAccess,
  type PolicyLayer,
  type PolicyLevel,
} from "../../authn/policy.js";
import type { PolicySections } from "../../authn/policy-sections.js";
import type { UserStatus } from "../../db/schema.js";
import { authEventInScope, logScopeOf } from "../auth-logs/scope.js";
import type { UseCaseContext } from "../context.js";
import type { Placement } from "./read.js";
import { sectionsOf } from "./read.js";

/**
 * R-POL-3, issue 16 item 5: before a policy change is saved, the account's recent authentications
 * (the last 30 days of the log) are decided again under the policies as they are and as the change
 * would make them, and whoever would come out differently is listed, by application and user. The
 * attempts are taken together by (user, application, address): one decision per kind of attempt,
 * however many there were, so the replay costs what the distinct attempts cost (bench/policies.ts).
 * Each is decided on the user as they stand now (status, devices, groups): a preview says what the
 * change would do from now on to the people who log in, not what it would have done then.
 */

/** An outcome in a preview: what the decision asks of the person. */
export type ImpactOutcome = "denied" | "must enroll" | "no second factor" | "second factor";

export interface ImpactRow {
  application: { id: string; name: string };
  user: { id: string | null; username: string };
  before: ImpactOutcome;
  after: ImpactOutcome;
  /** The logged attempts of this user on this application that would come out differently. */
  attempts: number;
  last_attempt_at: string;
}

export interface PolicyImpact {
  days: number;
  /** Attempts replayed, and how many of them would come out differently. */
  attempts: number;
  changed_attempts: number;
  changes: ImpactRow[];
}

/** How far back a preview replays. */
export const IMPACT_DAYS = 30;
/** A preview lists at most this many users and applications; the counts cover every one. */
const MAX_ROWS = 1000;

interface PolicyRowAll {
  id: string;
  name: string;
  is_global: boolean;
  sections: unknown;
}

/** The account's policies as a login resolves them: the global one, by application, by group. */
interface PolicyIndex {
  global: PolicyLayer;
  byApplication: Map<string, PolicyLayer>;
  /** An application's group policies, in order: a user gets the first of their groups'. */
  byGroup: Map<string, { groupId: string; layer: PolicyLayer }[]>;
}

const layerOf = (row: PolicyRowAll, level: PolicyLevel): PolicyLayer => ({
  ref: { key: row.id, name: row.name, level },
  sections: sectionsOf(row),
});

async function loadIndex(ctx: UseCaseContext): Promise<{
  index: PolicyIndex;
  rows: Map<string, PolicyRowAll>;
  applications: { application_id: string; policy_id: string }[];
  groups: { application_id: string; group_id: string; policy_id: string; position: number }[];
}> {
  const [policies, applications, groups] = await Promise.all([
    ctx.tx
      .selectFrom("policies")
      .select(["id", "name", "is_global", "sections"])
      .where("account_id", "=", ctx.accountId)
      .execute(),
    ctx.tx
      .selectFrom("application_policies")
      .select(["application_id", "policy_id"])
      .where("account_id", "=", ctx.accountId)
      .execute(),
    ctx.tx
      .selectFrom("group_policies")
      .select(["application_id", "group_id", "policy_id", "position"])
      .where("account_id", "=", ctx.accountId)
      .orderBy("application_id")
      .orderBy("position")
      .orderBy("group_id")
      .execute(),
  ]);
  const rows = new Map(policies.map((row) => [row.id, row]));
  return { index: buildIndex(rows, applications, groups), rows, applications, groups };
}

function buildIndex(
  rows: Map<string, PolicyRowAll>,
  applications: readonly { application_id: string; policy_id: string }[],
  groups: readonly { application_id: string; group_id: string; policy_id: string }[],
): PolicyIndex {
  const globalRow = [...rows.values()].find((row) => row.is_global);
  const global: PolicyLayer = globalRow
    ? layerOf(globalRow, "global")
    : { ref: { key: "global", name: "Global Policy", level: "global" }, sections: {} };
  const byApplication = new Map<string, PolicyLayer>();
  for (const { application_id, policy_id } of applications) {
    const row = rows.get(policy_id);
    if (row) byApplication.set(application_id, layerOf(row, "application"));
  }
  const byGroup = new Map<string, { groupId: string; layer: PolicyLayer }[]>();
  for (const { application_id, group_id, policy_id } of groups) {
    const row = rows.get(policy_id);
    if (!row) continue;
    const list = byGroup.get(application_id) ?? [];
    list.push({ groupId: group_id, layer: layerOf(row, "group") });
    byGroup.set(application_id, list);
  }
  return { global, byApplication, byGroup };
}

/** The index as the change would leave it: the policy's sections and where it applies, replaced. */
function proposedIndex(
  loaded: Awaited<ReturnType<typeof loadIndex>>,
  policyId: string,
  name: string,
  sections: PolicySections,
  next: Placement,
): PolicyIndex {
  const old = loaded.rows.get(policyId);
  const rows = new Map(loaded.rows);
  rows.set(policyId, { id: policyId, name, is_global: old?.is_global ?? false, sections });
  const nextApps = new Set(next.applicationIds);
  const applications = [
    // An application the policy is applied to now has it, whichever it had.
    ...loaded.applications.filter(
      (row) => row.policy_id !== policyId && !nextApps.has(row.application_id),
    ),
    ...next.applicationIds.map((application_id) => ({ application_id, policy_id: policyId })),
  ];
  const key = (applicationId: string, groupId: string) => `${applicationId} ${groupId}`;
  const nextGroups = new Set(next.groups.map((group) => key(group.applicationId, group.groupId)));
  const kept = loaded.groups.filter(
    (row) =>
      (row.policy_id === policyId && nextGroups.has(key(row.application_id, row.group_id))) ||
      (row.policy_id !== policyId && !nextGroups.has(key(row.application_id, row.group_id))),
  );
  const keptKeys = new Set(kept.map((row) => key(row.application_id, row.group_id)));
  const added = next.groups
    .filter((group) => !keptKeys.has(key(group.applicationId, group.groupId)))
    .map((group) => ({
      application_id: group.applicationId,
      group_id: group.groupId,
      policy_id: policyId,
      // A group newly given a policy comes after the application's others (write.ts).
      position: Number.MAX_SAFE_INTEGER,
    }));
  const groups = [...kept, ...added].sort(
    (a, b) =>
      a.application_id.localeCompare(b.application_id) ||
      a.position - b.position ||
      a.group_id.localeCompare(b.group_id),
  );
  return buildIndex(rows, applications, groups);
}

function decide(
  index: PolicyIndex,
  applicationId: string,
  user: (UserStanding & { groups: ReadonlySet<string> }) | null,
  ip: string | null,
  now: Date,
): PolicyAccess {
  const group = index.byGroup
    .get(applicationId)
    ?.find((entry) => user?.groups.has(entry.groupId) === true)?.layer;
  const policy = effectivePolicy(index.global, index.byApplication.get(applicationId), group);
  return decidePolicy(policy, { user, ip, now });
}

function outcomeOf(access: PolicyAccess): ImpactOutcome {
  switch (access.kind) {
    case "auth":
      return "second factor";
    case "allow":
      return "no second factor";
    case "deny":
      return "denied";
    case "enroll":
      return "must enroll";
  }
}

interface AttemptKind {
  user_id: string | null;
  username: string;
  application_id: string;
  application_name: string;
  access_ip: string | null;
  attempts: string | number;
  last_at: Date | string;
}

interface UserFacts {
  id: string;
  status: UserStatus;
  locked_until: Date | string | null;
  enrolled: boolean;
  group_ids: string[];
}

/** The logged attempts since `since`, taken together by (user, name, application, address). */
function attemptKinds(ctx: UseCaseContext, since: Date) {
  let query = ctx.tx
    .selectFrom("authentication_log as l")
    .innerJoin("applications as a", (join) =>
      join.onRef("a.id", "=", "l.application_id").onRef("a.account_id", "=", "l.account_id"),
    )
    .select([
      "l.user_id",
      "l.username",
      "l.application_id",
      sql<string>`min(a.name)`.as("application_name"),
      "l.access_ip",
      sql<string>`count(*)`.as("attempts"),
      sql<Date>`max(l.created_at)`.as("last_at"),
    ])
    .where("l.account_id", "=", ctx.accountId)
    .where("l.event_type", "=", "authentication")
    .where("l.created_at", ">=", since);
  // R-UNIT-8g: a restricted admin's preview replays only the attempts their log shows them.
  const scope = logScopeOf(ctx, ctx.accountId);
  if (scope !== null) query = query.where(authEventInScope("l", scope));
  // By name too: attempts under names nobody has are as many people as names.
  return query
    .groupBy(["l.user_id", "l.username", "l.application_id", "l.access_ip"])
    .execute() as Promise<AttemptKind[]>;
}

/** The users' standing now, with what makes them enrolled (subject.ts canAuthenticate) in SQL. */
async function usersNow(ctx: UseCaseContext, ids: string[]): Promise<Map<string, UserFacts>> {
  const facts = new Map<string, UserFacts>();
  for (let i = 0; i < ids.length; i += 1000) {
    const batch = ids.slice(i, i + 1000);
    const { rows } = await sql<UserFacts>`
      select u.id, u.status, u.locked_until,
             coalesce((select array_agg(gm.group_id) from group_members gm where gm.user_id = u.id), '{}') as group_ids,
             (exists (select 1 from bypass_codes b where b.user_id = u.id
                        and (b.expires_at is null or b.expires_at > now())
                        and (b.remaining_uses is null or b.remaining_uses > 0))
              or exists (select 1 from webauthn_credentials w where w.user_id = u.id)
              or exists (select 1 from user_hardware_tokens ut join hardware_tokens t on t.id = ut.token_id
                          where ut.user_id = u.id and t.secret_enc is not null)
              or exists (select 1 from user_phones up join phones p on p.id = up.phone_id
                          where up.user_id = u.id and (p.totp_secret_enc is not null
                            or (s.sms_gateway_url is not null and p.number <> '' and p.type <> 'Landline')))
             ) as enrolled
        from users u join account_settings s on s.account_id = u.account_id
       where u.account_id = ${ctx.accountId} and u.id in (${sql.join(batch)})`.execute(ctx.tx);
    for (const row of rows) facts.set(row.id, row);
  }
  return facts;
}

/** Replays the log under `current` and `proposed`; who would come out differently. */
async function replay(
  ctx: UseCaseContext,
  current: PolicyIndex,
  proposed: PolicyIndex,
  now: Date,
): Promise<PolicyImpact> {
  const since = new Date(now.getTime() - IMPACT_DAYS * 86_400_000);
  const kinds = await attemptKinds(ctx, since);
  const userIds = [...new Set(kinds.flatMap((kind) => (kind.user_id ? [kind.user_id] : [])))];
  const users = await usersNow(ctx, userIds);
  const changed = new Map<string, ImpactRow>();
  let attempts = 0;
  let changedAttempts = 0;
  for (const kind of kinds) {
    const count = Number(kind.attempts);
    attempts += count;
    const facts = kind.user_id === null ? undefined : users.get(kind.user_id);
    // A user deleted since is nobody now, as a name nobody has.
    const user =
      facts === undefined
        ? null
        : {
            status: facts.status,
            lockedUntil: facts.locked_until === null ? null : new Date(facts.locked_until),
            enrolled: facts.enrolled,
            groups: new Set(facts.group_ids),
          };
    const before = outcomeOf(decide(current, kind.application_id, user, kind.access_ip, now));
    const after = outcomeOf(decide(proposed, kind.application_id, user, kind.access_ip, now));
    if (before === after) continue;
    changedAttempts += count;
    const key = `${kind.user_id ?? kind.username} ${kind.application_id} ${before} ${after}`;
    const lastAt = new Date(kind.last_at).toISOString();
    const row = changed.get(key);
    if (row) {
      row.attempts += count;
      if (lastAt > row.last_attempt_at) row.last_attempt_at = lastAt;
    } else
      changed.set(key, {
        application: { id: kind.application_id, name: kind.application_name },
        user: { id: kind.user_id, username: kind.username },
        before,
        after,
        attempts: count,
        last_attempt_at: lastAt,
      });
  }
  const changes = [...changed.values()]
    .sort(
      (a, b) =>
        b.attempts - a.attempts ||
        a.application.name.localeCompare(b.application.name) ||
        a.user.username.localeCompare(b.user.username),
    )
    .slice(0, MAX_ROWS);
  return { days: IMPACT_DAYS, attempts, changed_attempts: changedAttempts, changes };
}

/** A policy as a change would leave it: its sections and where it applies (nowhere: deleted). */
export interface ProposedPolicy {
  id: string;
  name: string;
  sections: PolicySections;
  next: Placement;
}

/**
 * R-POL-3: what leaving the policy as `proposed` would change in the last 30 days' logins, against
 * the policies as they are now in this transaction.
 */
export async function impactOf(
  ctx: UseCaseContext,
  proposed: ProposedPolicy,
  now = new Date(),
): Promise<PolicyImpact> {
  const loaded = await loadIndex(ctx);
  const index = proposedIndex(loaded, proposed.id, proposed.name, proposed.sections, proposed.next);
  return replay(ctx, loaded.index, index, now);
}

/** R-ROLE-3's Policy Impact report: a saved change and its impact, kept with the change. */
export async function recordImpact(
  ctx: UseCaseContext,
  action: "policy_create" | "policy_update" | "policy_delete",
  policy: { id: string; name: string },
  impact: PolicyImpact,
): Promise<void> {
  await ctx.tx
    .insertInto("policy_impacts")
    .values({
      account_id: ctx.accountId,
      action,
      policy_key: policy.id,
      policy_name: policy.name,
      actor_name: ctx.caller.actor.name ?? "Gatehouse",
      days: impact.days,
      attempts: impact.attempts,
      changed_attempts: impact.changed_attempts,
      changes: JSON.stringify(impact.changes),
    })
    .execute();
}
