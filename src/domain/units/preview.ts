import { decide } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { Invalid, NotFound } from "../errors.js";
import { MAX_IDS } from "./fields.js";

/** Names are listed up to this many per kind; `truncated` says when there are more. */
export const MAX_PREVIEW_NAMES = 1000;

export interface UnitPreviewQuery {
  admin_id: string;
  /** The units the admin would be in (none with `all`). */
  unit_ids?: string[];
  /** "Allow access to all groups and applications": the admin would be global (R-UNIT-4). */
  all?: boolean;
  /** R-UNIT-7: "on request their names". */
  details?: boolean;
}

export interface ScopePreview {
  /** Every object of the account, now and as they are added. */
  all: boolean;
  count: number;
  /** With details only. */
  items?: { id: string; name: string }[];
  truncated?: boolean;
}

export interface UnitPreview {
  admin_id: string;
  restricted: boolean;
  unit_ids: string[];
  groups: ScopePreview;
  applications: ScopePreview;
  /** What saving this assignment would meet (R-UNIT-8h, R-ROLE-6), or null when it may be saved. */
  refusal: { rule: string; reason: string } | null;
}

/**
 * R-UNIT-7: before saving an admin's units, how many groups and applications they would manage
 * (the union of the units', R-UNIT-4; "all" where a unit or the choice says so), and on request
 * their names. Computed from the database; nothing is written.
 */
export async function previewUnits(
  ctx: UseCaseContext,
  query: UnitPreviewQuery,
): Promise<UnitPreview> {
  ctx.authorize("units:manage");
  const all = query.all ?? false;
  const requested = [...new Set(query.unit_ids ?? [])].sort();
  if (all && requested.length > 0)
    throw new Invalid("unit_ids", "must be empty when all is true: a global admin is in no unit");
  if (requested.length > MAX_IDS) throw new Invalid("unit_ids", `at most ${MAX_IDS} ids`);
  const admin = await ctx.tx
    .selectFrom("admins")
    .select("id")
    .where("account_id", "=", ctx.accountId)
    .where("id", "=", query.admin_id)
    .executeTakeFirst();
  // The subject of the preview, like a path's id: absent when not of this account (R-TEN-2, R-SUB-6).
  if (!admin) throw new NotFound("administrator", query.admin_id);
  const units =
    requested.length === 0
      ? []
      : await ctx.tx
          .selectFrom("admin_units")
          .select(["id", "all_groups", "all_applications"])
          .where("account_id", "=", ctx.accountId)
          .where("id", "in", requested)
          .execute();
  const missing = requested.filter((id) => !units.some((unit) => unit.id === id));
  if (missing.length > 0)
    throw new Invalid("unit_ids", `no unit ${missing.join(", ")} in this account`);

  const details = query.details ?? false;
  const allGroups = all || units.some((unit) => unit.all_groups);
  const allApps = all || units.some((unit) => unit.all_applications);
  const [groups, applications] = await Promise.all([
    scopeOf(ctx, "groups", allGroups, requested, details),
    scopeOf(ctx, "applications", allApps, requested, details),
  ]);
  const decision = decide(ctx.snapshot, ctx.caller.principal, "admins:update", {
    accountId: ctx.accountId,
    object: { kind: "admin", id: admin.id },
    adminChange: all
      ? { restricted: false, unitIds: [] }
      : { restricted: true, unitIds: requested },
  });
  return {
    admin_id: admin.id,
    restricted: !all,
    unit_ids: requested,
    groups,
    applications,
    refusal: decision.allow
      ? null
      : { rule: decision.rule, reason: decision.reason.replace(`${decision.rule}: `, "") },
  };
}

/** The groups (or applications) of the units, united; every one of the account where `all`. */
async function scopeOf(
  ctx: UseCaseContext,
  table: "groups" | "applications",
  all: boolean,
  unitIds: readonly string[],
  details: boolean,
): Promise<ScopePreview> {
  if (!all && unitIds.length === 0)
    return details ? { all, count: 0, items: [] } : { all, count: 0 };
  let rows = ctx.tx.selectFrom(table).where("account_id", "=", ctx.accountId);
  if (!all) {
    const ids = [...unitIds];
    rows = rows.where("id", "in", (eb) =>
      table === "groups"
        ? eb.selectFrom("admin_unit_groups").select("group_id").where("unit_id", "in", ids)
        : eb
            .selectFrom("admin_unit_applications")
            .select("application_id")
            .where("unit_id", "in", ids),
    );
  }
  const counted = await rows
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const count = Number(counted.n);
  if (!details) return { all, count };
  const items = await rows
    .select(["id", "name"])
    .orderBy("name")
    .orderBy("id")
    .limit(MAX_PREVIEW_NAMES)
    .execute();
  return { all, count, items, truncated: count > items.length };
}
