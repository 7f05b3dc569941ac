import { logScopeOf } from "../auth-logs/scope.js";
import type { UseCaseContext } from "../context.js";
import type { ImpactRow } from "./impact.js";

/** One saved policy change in the Policy Impact report, with what it changed in recent logins. */
export interface ImpactRecord {
  id: string;
  created_at: string;
  action: "policy_create" | "policy_update" | "policy_delete";
  policy: { key: string; name: string };
  actor: string;
  days: number;
  /** Logins replayed; null for a restricted admin, who sees only their units' part of them. */
  attempts: number | null;
  changed_attempts: number;
  changes: ImpactRow[];
}

/**
 * R-ROLE-3's Policy Impact report (R-POL-3 for changes already made): each saved policy change,
 * newest first, with who would have come out differently in the 30 days before it. A restricted
 * admin sees only the users and applications of their units (R-UNIT-8g), and counts of those.
 */
export async function listPolicyImpacts(
  ctx: UseCaseContext,
  page: { limit: number; offset: number },
): Promise<{ items: ImpactRecord[]; total: number }> {
  ctx.authorize("reports:view_policy_impact");
  const [rows, count] = await Promise.all([
    ctx.tx
      .selectFrom("policy_impacts")
      .selectAll()
      .where("account_id", "=", ctx.accountId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    ctx.tx
      .selectFrom("policy_impacts")
      .select(({ fn }) => fn.countAll<string>().as("n"))
      .where("account_id", "=", ctx.accountId)
      .executeTakeFirstOrThrow(),
  ]);
  const scope = logScopeOf(ctx, ctx.accountId);
  const inScopeUsers = new Set<string>();
  if (scope !== null && !scope.allGroups && scope.groupIds.length > 0) {
    const userIds = [
      ...new Set(
        rows.flatMap((row) =>
          (row.changes as ImpactRow[]).flatMap((change) =>
            change.user.id ? [change.user.id] : [],
          ),
        ),
      ),
    ];
    if (userIds.length > 0)
      for (const member of await ctx.tx
        .selectFrom("group_members")
        .select("user_id")
        .where("user_id", "in", userIds)
        .where("group_id", "in", scope.groupIds)
        .execute())
        inScopeUsers.add(member.user_id);
  }
  const visible = (change: ImpactRow) =>
    scope === null ||
    scope.allApplications ||
    scope.applicationIds.includes(change.application.id) ||
    (change.user.id !== null && (scope.allGroups || inScopeUsers.has(change.user.id)));
  const items = rows.map((row): ImpactRecord => {
    const changes = (row.changes as ImpactRow[]).filter(visible);
    return {
      id: String(row.id),
      created_at: new Date(row.created_at).toISOString(),
      action: row.action,
      policy: { key: row.policy_key, name: row.policy_name },
      actor: row.actor_name,
      days: row.days,
      attempts: scope === null ? row.attempts : null,
      changed_attempts:
        scope === null
          ? row.changed_attempts
          : changes.reduce((sum, change) => sum + change.attempts, 0),
      changes,
    };
  });
  return { items, total: Number(count.n) };
}
