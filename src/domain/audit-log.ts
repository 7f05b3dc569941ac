import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import { csvCell, unitScope } from "../authz/index.js";
import type { Executor } from "../db/executor.js";
import type { Database } from "../db/schema.js";
import type { UseCaseContext } from "./context.js";
import { Invalid } from "./errors.js";
import {
  afterCursor,
  cursorOf,
  cursorTime,
  type LogOrder,
  pageOf,
  parseAfter,
} from "./log-keyset.js";
import { type Cursor, containsPattern, type Page } from "./paging.js";

export interface AuditLogFilter {
  /** An admin's id (exact), or part of the actor's name (an admin's email), case-insensitive. */
  actor?: string;
  /** Exact: admin_create, admin_switch_account, access_denied, ... */
  action?: string;
  /** The object's id, exact. */
  object?: string;
  /** The account whose log to read: the session's account, or a subaccount the caller can access. */
  account?: string;
  /** ISO 8601 times: from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

export interface AuditRecordView {
  id: string;
  created_at: string;
  account_id: string | null;
  actor: { kind: "admin" | "application" | "system"; id: string | null; name: string };
  action: string;
  object: { kind: string; id: string; name: string | null } | null;
  before: unknown;
  after: unknown;
  rule: string | null;
  ip: string | null;
  user_agent: string | null;
}

/**
 * A filter, authorized and resolved: what one query (or a CSV's run of queries) reads. `scope` is
 * R-UNIT-8g's limit for a restricted admin (null: every record of the account).
 */
export interface AuditQuery {
  accountId: string;
  actorId?: string;
  actorText?: string;
  action?: string;
  objectId?: string;
  from?: Date;
  to?: Date;
  scope: {
    allGroups: boolean;
    allApplications: boolean;
    groupIds: string[];
    applicationIds: string[];
  } | null;
}

const ADMIN_ID = /^DE[0-9A-Z]{18}$/;

function parseTime(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new Invalid(field, "must be an ISO 8601 time such as 2025-01-31T00:00:00Z");
  return time;
}

/**
 * R-AUD-1, R-ROLE-3 ("Administrator Actions" is among the reports Help Desk and User Managers keep),
 * R-UNIT-8g: authorizes reading the Administrator Actions log of one account and resolves the filter.
 */
export function prepareAuditQuery(ctx: UseCaseContext, filter: AuditLogFilter): AuditQuery {
  const accountId = filter.account ?? ctx.accountId;
  ctx.authorize("reports:view_administrator_actions", { accountId });
  const from = parseTime("from", filter.from);
  const to = parseTime("to", filter.to);
  const principal = ctx.caller.principal;
  const scope =
    principal.kind === "admin" ? unitScope(ctx.snapshot, principal.adminId, accountId) : null;
  const actor = filter.actor?.trim();
  return {
    accountId,
    ...(actor ? (ADMIN_ID.test(actor) ? { actorId: actor } : { actorText: actor }) : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.object ? { objectId: filter.object } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    scope:
      scope === null || scope.all
        ? null
        : {
            allGroups: scope.allGroups,
            allApplications: scope.allApplications,
            groupIds: [...scope.groupIds],
            applicationIds: [...scope.applicationIds],
          },
  };
}

type LogBuilder = ExpressionBuilder<Database & { l: Database["audit_log"] }, "l">;

/**
 * R-UNIT-8g, in SQL: a restricted admin sees the records about users in their units' groups (and
 * about those users' phones and tokens), about their units' groups and applications, and nothing
 * else (records about other objects, or none).
 */
function inScope(eb: LogBuilder, scope: NonNullable<AuditQuery["scope"]>): Expression<SqlBool> {
  const kind = (name: string) => eb("l.object_kind", "=", name);
  const users = scope.allGroups
    ? kind("user")
    : scope.groupIds.length === 0
      ? sql<SqlBool>`false`
      : eb.and([
          kind("user"),
          eb.exists(
            eb
              .selectFrom("group_members as gm")
              .select("gm.user_id")
              .whereRef("gm.user_id", "=", "l.object_id")
              .where("gm.group_id", "in", scope.groupIds),
          ),
        ]);
  // R-UNIT-8f: a phone's or token's records, while it belongs to a user in the caller's units.
  const devices = (
    [
      ["phone", "user_phones", "phone_id"],
      ["hardware_token", "user_hardware_tokens", "token_id"],
    ] as const
  ).map(([name, link, column]) =>
    scope.allGroups
      ? kind(name)
      : scope.groupIds.length === 0
        ? sql<SqlBool>`false`
        : eb.and([
            kind(name),
            sql<SqlBool>`exists (select 1 from ${sql.table(link)} d
              join group_members gm on gm.user_id = d.user_id
              where ${sql.ref(`d.${column}`)} = l.object_id and gm.group_id in (${sql.join(scope.groupIds)}))`,
          ]),
  );
  const groups = scope.allGroups
    ? kind("group")
    : scope.groupIds.length === 0
      ? sql<SqlBool>`false`
      : eb.and([kind("group"), eb("l.object_id", "in", scope.groupIds)]);
  const applications = scope.allApplications
    ? kind("application")
    : scope.applicationIds.length === 0
      ? sql<SqlBool>`false`
      : eb.and([kind("application"), eb("l.object_id", "in", scope.applicationIds)]);
  return eb.or([users, ...devices, groups, applications]);
}

interface Row {
  id: number;
  cursor_time: string;
  created_at: Date;
  account_id: string | null;
  actor_kind: "admin" | "application" | "system";
  actor_id: string | null;
  actor_name: string;
  action: string;
  object_kind: string | null;
  object_id: string | null;
  object_name: string | null;
  before: unknown;
  after: unknown;
  rule: string | null;
  ip: string | null;
  user_agent: string | null;
}

/**
 * One page by (created_at, id), newest first (the panel) or oldest first (Duo's v1 log, which a
 * client polls forward from `mintime`): both read the index audit_log_by_account_time.
 */
export async function fetchAuditRecords(
  executor: Executor,
  query: AuditQuery,
  limit: number,
  after?: Cursor,
  order: LogOrder = "newest",
): Promise<Row[]> {
  let rows = executor
    .selectFrom("audit_log as l")
    .selectAll("l")
    .select(cursorTime("l").as("cursor_time"))
    .where("l.account_id", "=", query.accountId);
  if (query.actorId !== undefined) rows = rows.where("l.actor_id", "=", query.actorId);
  if (query.actorText !== undefined)
    rows = rows.where("l.actor_name", "ilike", containsPattern(query.actorText));
  if (query.action !== undefined) rows = rows.where("l.action", "=", query.action);
  if (query.objectId !== undefined) rows = rows.where("l.object_id", "=", query.objectId);
  if (query.from !== undefined) rows = rows.where("l.created_at", ">=", query.from);
  if (query.to !== undefined) rows = rows.where("l.created_at", "<", query.to);
  const scope = query.scope;
  if (scope !== null) rows = rows.where((eb) => inScope(eb, scope));
  if (after) rows = rows.where(afterCursor("l", after, order));
  const direction = order === "newest" ? "desc" : "asc";
  return (await rows
    .orderBy("l.created_at", direction)
    .orderBy("l.id", direction)
    .limit(limit)
    .execute()) as Row[];
}

function toView(row: Row): AuditRecordView {
  return {
    id: String(row.id),
    created_at: new Date(row.created_at).toISOString(),
    account_id: row.account_id,
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    action: row.action,
    object:
      row.object_kind !== null && row.object_id !== null
        ? { kind: row.object_kind, id: row.object_id, name: row.object_name }
        : null,
    // jsonb: both drivers hand it back parsed.
    before: row.before ?? null,
    after: row.after ?? null,
    rule: row.rule,
    ip: row.ip,
    user_agent: row.user_agent,
  };
}

/** The Administrator Actions log, filtered, one page at a time (keyset: created_at desc, id desc). */
export async function listAuditLog(
  ctx: UseCaseContext,
  filter: AuditLogFilter & { limit: number; after?: string },
): Promise<Page<AuditRecordView>> {
  const after = parseAfter(filter.after);
  const query = prepareAuditQuery(ctx, filter);
  const page = pageOf(
    await fetchAuditRecords(ctx.tx, query, filter.limit + 1, after),
    filter.limit,
  );
  return { items: page.rows.map(toView), next: page.next };
}

const CSV_HEADER = [
  "time",
  "account_id",
  "actor_kind",
  "actor_id",
  "actor",
  "action",
  "object_kind",
  "object_id",
  "object",
  "before",
  "after",
  "rule",
  "ip",
  "user_agent",
];
const CSV_BATCH = 500;

function csvLine(cells: readonly (string | null)[]): string {
  return `${cells.map((cell) => csvCell(cell ?? "")).join(",")}\r\n`;
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/**
 * The same filter as CSV, streamed: the header, then the records in batches read by keyset, so a
 * long log never sits in memory. `query` was authorized by prepareAuditQuery.
 */
export async function* auditLogCsv(executor: Executor, query: AuditQuery): AsyncGenerator<string> {
  yield csvLine(CSV_HEADER);
  let after: Cursor | undefined;
  for (;;) {
    const rows = await fetchAuditRecords(executor, query, CSV_BATCH, after);
    for (const row of rows) {
      const view = toView(row);
      yield csvLine([
        view.created_at,
        view.account_id,
        view.actor.kind,
        view.actor.id,
        view.actor.name,
        view.action,
        view.object?.kind ?? null,
        view.object?.id ?? null,
        view.object?.name ?? null,
        json(view.before),
        json(view.after),
        view.rule,
        view.ip,
        view.user_agent,
      ]);
    }
    const last = rows.at(-1);
    if (rows.length < CSV_BATCH || !last) return;
    after = cursorOf(last);
  }
}

/** The CSV's file name, with the date it was made. */
export function auditLogFilename(now = new Date()): string {
  return `administrator-actions-${now.toISOString().slice(0, 10)}.csv`;
}
