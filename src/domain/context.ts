import type { Action, Decision, Principal, Snapshot, Target } from "../authz/index.js";
import type { Executor } from "../db/executor.js";
import type { DatabaseHandle } from "../db/open.js";
import type { SecretBox } from "../db/secrets.js";
import { type Actor, type AuditEntry, recordAction } from "./audit.js";
import type { ClientInfo } from "./auth/client.js";
import { authorizeOrThrow, type SnapshotCache } from "./authorization.js";
import { Forbidden } from "./errors.js";

/** What every use case may reach: storage, the secret box, the snapshot cache. One per process. */
export interface Services {
  database: DatabaseHandle;
  secrets: SecretBox;
  snapshots: SnapshotCache;
}

/** Who is asking, and from where. */
export interface Caller {
  principal: Principal;
  actor: Actor;
  /** The account the principal belongs to: denied attempts are logged there (R-AUD-1). */
  homeAccountId: string;
  client?: ClientInfo;
}

/** What the audit writer fills in itself: who, from where, and (by default) in which account. */
export type AuditRecord = Omit<AuditEntry, "actor" | "ip" | "userAgent" | "accountId"> & {
  accountId?: string;
};

/**
 * One use case's world (DESIGN "The request path"): the caller, the account it acts in, one
 * transaction, the tenant's snapshot as that transaction sees it, and the audit writer.
 */
export interface UseCaseContext {
  services: Services;
  /** The write's transaction; for a read, the database itself (see runUseCase). */
  tx: Executor;
  caller: Caller;
  /** The account the use case acts in: the session's current account, or the API's account_id. */
  accountId: string;
  tenantId: string;
  snapshot: Snapshot;
  /** decide() for this caller; throws Forbidden naming the rule. The target's account defaults to ctx.accountId. */
  authorize(action: Action, target?: Omit<Target, "accountId"> & { accountId?: string }): Decision;
  /** R-AUD-1: one record, in this transaction. */
  audit(record: AuditRecord): Promise<void>;
}

export type UseCaseMode = "read" | "write";

/**
 * The tenant and snapshot one request already read for `accountId` (its route gate did). Another
 * read of the same request may decide on it instead of reading the version again: both reads see
 * the latest commits when they run, so this is the same as the two reads running a moment apart.
 * A write never takes it (it locks and reads the version in its own transaction), and a request
 * that has written reads afresh (its write may have changed the rules: see runUseCase's callers).
 */
export interface TenantState {
  accountId: string;
  tenantId: string;
  snapshot: Snapshot;
}

/** The state a use case's context was built on, for a later read of the same request. */
export function tenantStateOf(ctx: UseCaseContext): TenantState {
  return { accountId: ctx.accountId, tenantId: ctx.tenantId, snapshot: ctx.snapshot };
}

/**
 * Runs `work`: a write in one transaction that first locks the tenant's version row, so writers of
 * one tenant are serialised and each decides on the latest committed rules (this is what keeps
 * R-ROLE-9's last Owner under concurrent requests); a read outside any transaction, and unable to
 * log (it changes nothing). When `work` is refused, the transaction rolls back (nothing of the
 * attempt stays) and the denied attempt is logged on its own (R-AUD-1). A read given `loaded` for
 * its account decides on that state and reads no version (see TenantState).
 */
export async function runUseCase<T>(
  services: Services,
  caller: Caller,
  accountId: string,
  mode: UseCaseMode,
  work: (ctx: UseCaseContext) => Promise<T>,
  loaded?: TenantState,
): Promise<T> {
  let refused: { action: Action; target: Target } | undefined;
  const inContext = async (tx: Executor): Promise<T> => {
    const { tenantId, snapshot } =
      mode === "read" && loaded?.accountId === accountId
        ? loaded
        : await services.snapshots.loadFor(tx, accountId, {
            forUpdate: mode === "write",
            cacheable: true,
          });
    const ctx: UseCaseContext = {
      services,
      tx,
      caller,
      accountId,
      tenantId,
      snapshot,
      authorize(action, target = {}) {
        const full: Target = { ...target, accountId: target.accountId ?? accountId };
        try {
          return authorizeOrThrow(snapshot, caller.principal, action, full);
        } catch (error) {
          refused = { action, target: full };
          throw error;
        }
      },
      async audit(record) {
        if (mode === "read") throw new Error("a read use case changes nothing, so it logs nothing");
        await recordAction(tx, {
          ...record,
          accountId: record.accountId ?? accountId,
          actor: caller.actor,
          ip: caller.client?.ip,
          userAgent: caller.client?.userAgent,
        });
      },
    };
    return work(ctx);
  };
  try {
    // A read needs no transaction: under READ COMMITTED each statement sees the latest commits
    // either way, and BEGIN and COMMIT are two round trips of three or four.
    return mode === "read"
      ? await inContext(services.database.db)
      : await services.database.db.transaction().execute(inContext);
  } catch (error) {
    if (error instanceof Forbidden && refused) await recordDenial(services, caller, refused, error);
    throw error;
  }
}

async function recordDenial(
  services: Services,
  caller: Caller,
  refused: { action: Action; target: Target },
  error: Forbidden,
): Promise<void> {
  const object = refused.target.object;
  await recordAction(services.database.db, {
    accountId: caller.homeAccountId,
    actor: caller.actor,
    action: "access_denied",
    object: object?.id ? { kind: object.kind, id: object.id } : undefined,
    after: { action: refused.action, account_id: refused.target.accountId, reason: error.reason },
    rule: error.rule,
    ip: caller.client?.ip,
    userAgent: caller.client?.userAgent,
  });
}
