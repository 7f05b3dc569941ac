import type { Executor } from "../db/executor.js";
import type { AuditLogTable } from "../db/schema.js";

export type Actor =
  | { kind: "admin"; id: string; name: string }
  | { kind: "application"; id: string; name: string }
  | { kind: "system"; name?: string };

export interface AuditEntry {
  /** Null only for a failed sign-in with an email no admin has: there is no account to log it in. */
  accountId: string | null;
  actor: Actor;
  /** Duo's action names where Duo has one: admin_create, admin_update, user_create, ... */
  action: string;
  object?: { kind: string; id: string; name?: string };
  before?: unknown;
  after?: unknown;
  rule?: string;
  ip?: string;
  userAgent?: string;
}

/** R-AUD-1: records one entry; pass the transaction of the change so both commit or neither. */
export async function recordAction(executor: Executor, entry: AuditEntry): Promise<void> {
  const row: Omit<AuditLogTable, "id" | "created_at"> = {
    account_id: entry.accountId,
    actor_kind: entry.actor.kind,
    actor_id: entry.actor.kind === "system" ? null : entry.actor.id,
    // Duo's log names API actions "API" and automatic ones "System".
    actor_name: entry.actor.name ?? "System",
    action: entry.action,
    object_kind: entry.object?.kind ?? null,
    object_id: entry.object?.id ?? null,
    object_name: entry.object?.name ?? null,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    rule: entry.rule ?? null,
    ip: entry.ip ?? null,
    user_agent: entry.userAgent ?? null,
  };
  await executor.insertInto("audit_log").values(row).execute();
}

/** The fields of `a` that differ from `b`, for the log's before and after. */
export function changedFields<T extends object>(a: T, b: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(a).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(b[key as keyof T]),
    ),
  ) as Partial<T>;
}
