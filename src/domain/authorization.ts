import {
  compile,
  type Decision,
  decide,
  type Principal,
  type Snapshot,
  type Target,
} from "../authz/index.js";
import type { Executor } from "../db/executor.js";
import { loadTenantModel } from "../db/queries/tenant-model.js";
import { Forbidden, NotFound } from "./errors.js";

interface CachedSnapshot {
  version: number;
  snapshot: Snapshot;
}

/**
 * Compiled snapshots per tenant, keyed by the parent's `authz_version`. Every request reads the
 * version (one primary-key lookup) in its own transaction, so a decision is never taken on rules
 * older than the transaction it runs in, on one instance or many: a trigger bumps the version in
 * the same transaction as any change to what the engine reads (migration 0003). This is stricter
 * than broadcasting bumps with LISTEN/NOTIFY, whose listeners would decide on stale rules until
 * the notification arrived.
 */
export class SnapshotCache {
  readonly #byTenant = new Map<string, CachedSnapshot>();

  /**
   * The snapshot of the tenant `accountId` belongs to, as this transaction sees it, in one query for
   * the tenant and its version. `forUpdate` locks the tenant's row: writers of a tenant serialise.
   */
  async loadFor(
    tx: Executor,
    accountId: string,
    options: { forUpdate: boolean; cacheable: boolean },
  ): Promise<{ tenantId: string; snapshot: Snapshot }> {
    let query = tx
      .selectFrom("accounts as a")
      .innerJoin("accounts as t", "t.id", "a.tenant_id")
      .select(["t.id as tenant_id", "t.authz_version"])
      .where("a.id", "=", accountId);
    if (options.forUpdate) query = query.forUpdate("t");
    const row = await query.executeTakeFirst();
    if (!row) throw new NotFound("account", accountId);
    const snapshot = await this.#snapshot(tx, row.tenant_id, Number(row.authz_version), options);
    return { tenantId: row.tenant_id, snapshot };
  }

  /** The tenant's snapshot as this transaction sees it. `forUpdate` serialises writers per tenant. */
  async load(
    tx: Executor,
    tenantId: string,
    options: { forUpdate: boolean; cacheable: boolean },
  ): Promise<Snapshot> {
    let query = tx.selectFrom("accounts").select("authz_version").where("id", "=", tenantId);
    if (options.forUpdate) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) throw new NotFound("account", tenantId);
    return this.#snapshot(tx, tenantId, Number(row.authz_version), options);
  }

  /**
   * The tenant's snapshot at `version`, which the caller read itself, in its own query, from the
   * tenant's row in this transaction (the Duo door reads it with the integration's credentials).
   */
  async at(
    tx: Executor,
    tenantId: string,
    version: number,
    options: { cacheable: boolean },
  ): Promise<Snapshot> {
    return this.#snapshot(tx, tenantId, version, options);
  }

  async #snapshot(
    tx: Executor,
    tenantId: string,
    version: number,
    options: { cacheable: boolean },
  ): Promise<Snapshot> {
    const cached = this.#byTenant.get(tenantId);
    if (cached?.version === version) return cached.snapshot;
    const snapshot = compile(await loadTenantModel(tx, tenantId));
    // A snapshot read after this transaction's own uncommitted writes must not outlive it.
    if (options.cacheable && (cached === undefined || cached.version < version))
      this.#byTenant.set(tenantId, { version, snapshot });
    return snapshot;
  }
}

/** decide(), turned into an exception that names the rule (R-AUD-2). */
export function authorizeOrThrow(
  snapshot: Snapshot,
  principal: Principal,
  action: string,
  target: Target,
): Decision {
  const decision = decide(snapshot, principal, action, target);
  if (!decision.allow) throw forbiddenBy(decision);
  return decision;
}

/** The refusal as the domain's error: the rule apart, the sentence without its "R-...: " prefix. */
export function forbiddenBy(decision: Decision): Forbidden {
  return new Forbidden(decision.rule, stripRule(decision));
}

function stripRule(decision: Decision): string {
  const prefix = `${decision.rule}: `;
  return decision.reason.startsWith(prefix)
    ? decision.reason.slice(prefix.length)
    : decision.reason;
}
