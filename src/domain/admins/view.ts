import { sql } from "kysely";
import type { AdminStatus, Role } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";

/** An administrator as the Administrators page shows them (never a secret: no hash, no TOTP). */
export interface AdminView {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  role: Role;
  /** R-SUB-1: parent-level admins only; null for an admin added in a subaccount (R-SUB-5). */
  subaccount_role: Role | null;
  status: AdminStatus;
  /** R-TAG-1: case-sensitive, sorted. */
  tags: string[];
  /** R-UNIT-4: restricted admins act only within their units (sorted ids); R-UNIT-5: possibly none. */
  restricted_by_units: boolean;
  unit_ids: string[];
  /** R-ROLE-8 */
  directory_synced: boolean;
  /** R-ADM-5 */
  is_temporary: boolean;
  /** Duo's flag, shown as saved (research/duo-api.md §5); nothing in Gatehouse sets it yet. */
  password_change_required: boolean;
  last_sign_in_at: string | null;
  created_at: string;
}

/** The fields an edit may change, as the log records them before and after (R-AUD-1). */
export type AdminState = Pick<
  AdminView,
  | "name"
  | "phone"
  | "role"
  | "subaccount_role"
  | "status"
  | "tags"
  | "restricted_by_units"
  | "unit_ids"
  | "directory_synced"
>;

/** The admins of the account the use case acts in, with their tags and units (R-TEN-2: no other account's). */
export function selectAdmins(ctx: UseCaseContext) {
  return ctx.tx
    .selectFrom("admins as a")
    .select([
      "a.id",
      "a.email",
      "a.name",
      "a.phone",
      "a.role",
      "a.subaccount_role",
      "a.status",
      "a.restricted_by_units",
      "a.directory_synced",
      "a.is_temporary",
      "a.password_change_required",
      "a.last_sign_in_at",
      "a.created_at",
      sql<
        string[]
      >`coalesce((select array_agg(t.tag order by t.tag collate "C") from admin_tags t where t.admin_id = a.id), '{}')`.as(
        "tags",
      ),
      sql<
        string[]
      >`coalesce((select array_agg(u.unit_id order by u.unit_id) from admin_unit_admins u where u.admin_id = a.id), '{}')`.as(
        "unit_ids",
      ),
    ])
    .where("a.account_id", "=", ctx.accountId);
}

export type AdminRow = Awaited<
  ReturnType<ReturnType<typeof selectAdmins>["executeTakeFirstOrThrow"]>
>;

export function toAdminView(row: AdminRow): AdminView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    role: row.role,
    subaccount_role: row.subaccount_role,
    status: row.status,
    tags: row.tags,
    restricted_by_units: row.restricted_by_units,
    unit_ids: row.unit_ids,
    directory_synced: row.directory_synced,
    is_temporary: row.is_temporary,
    password_change_required: row.password_change_required,
    last_sign_in_at: row.last_sign_in_at ? new Date(row.last_sign_in_at).toISOString() : null,
    created_at: new Date(row.created_at).toISOString(),
  };
}

/**
 * One admin of ctx.accountId, without authorization (callers decide). An admin of another account
 * or tenant answers 404, exactly like one that does not exist: nothing of it leaks.
 */
export async function findAdmin(ctx: UseCaseContext, id: string): Promise<AdminView> {
  const row = await selectAdmins(ctx).where("a.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFound("administrator", id);
  return toAdminView(row);
}

export function stateOf(view: AdminView): AdminState {
  return {
    name: view.name,
    phone: view.phone,
    role: view.role,
    subaccount_role: view.subaccount_role,
    status: view.status,
    tags: view.tags,
    restricted_by_units: view.restricted_by_units,
    unit_ids: view.unit_ids,
    directory_synced: view.directory_synced,
  };
}

/** The log's object for an admin: Duo names admins by email. */
export function adminObject(admin: { id: string; email: string }) {
  return { kind: "admin", id: admin.id, name: admin.email };
}
