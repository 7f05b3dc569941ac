import type { Role } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { Conflict, NotFound } from "../errors.js";
import { countRows } from "../paging.js";
import { deleteAdmin } from "./delete.js";
import { type AdminView, adminObject, findAdmin } from "./view.js";

/**
 * A pending activation: an activation link not used yet, of an admin still Pending Activation
 * (R-ADM-2). The link itself is a secret shown once; only its id and expiry are kept.
 */
export interface ActivationView {
  id: string;
  admin_id: string;
  email: string;
  name: string;
  role: Role;
  expires_at: string;
  created_at: string;
}

export interface ActivationQuery {
  limit: number;
  offset: number;
  /** Only this admin's. */
  admin_id?: string;
}

function selectActivations(ctx: UseCaseContext) {
  return ctx.tx
    .selectFrom("admin_activations as x")
    .innerJoin("admins as a", "a.id", "x.admin_id")
    .where("a.account_id", "=", ctx.accountId)
    .where("a.status", "=", "Pending Activation")
    .where("x.used_at", "is", null);
}

/**
 * The pending activations of the account the use case acts in (R-TEN-2), oldest first, by offset
 * (Duo's GET /admin/v1/admins/activations, research/duo-api.md §4.7), with their total.
 */
export async function listActivations(
  ctx: UseCaseContext,
  query: ActivationQuery,
): Promise<{ items: ActivationView[]; total: number }> {
  ctx.authorize("admins:view");
  let rows = selectActivations(ctx);
  if (query.admin_id !== undefined) rows = rows.where("a.id", "=", query.admin_id);
  const total = await countRows(rows);
  const found = await rows
    .select(["x.id", "x.admin_id", "a.email", "a.name", "a.role", "x.expires_at", "x.created_at"])
    .orderBy("x.created_at")
    .orderBy("x.id")
    .offset(query.offset)
    .limit(query.limit)
    .execute();
  return {
    items: found.map((row) => ({
      id: row.id,
      admin_id: row.admin_id,
      email: row.email,
      name: row.name,
      role: row.role,
      expires_at: new Date(row.expires_at).toISOString(),
      created_at: new Date(row.created_at).toISOString(),
    })),
    total,
  };
}

/**
 * Withdraws a pending activation: the admin it would activate never activated, so they go with
 * it, as Delete Administrator would remove them (the engine decides: R-ROLE-5, R-ROLE-9).
 */
export async function deleteActivation(ctx: UseCaseContext, activationId: string): Promise<void> {
  ctx.authorize("admins:delete");
  const row = await selectActivations(ctx)
    .select("x.admin_id")
    .where("x.id", "=", activationId)
    .executeTakeFirst();
  if (!row) throw new NotFound("activation", activationId);
  await deleteAdmin(ctx, row.admin_id);
}

/**
 * R-ADM-2: the admin's activation links stop working; the admin stays Pending Activation until an
 * Owner issues a new link. An admin who has activated has no link to withdraw.
 */
export async function revokeActivationLink(ctx: UseCaseContext, id: string): Promise<AdminView> {
  ctx.authorize("admins:update");
  const admin = await findAdmin(ctx, id);
  ctx.authorize("admins:update", { object: { kind: "admin", id } });
  if (admin.status !== "Pending Activation")
    throw new Conflict(
      `${admin.email} is ${admin.status}; only an administrator pending activation has an activation link`,
      "R-ADM-2",
      "status",
    );
  const deleted = await ctx.tx
    .deleteFrom("admin_activations")
    .where("admin_id", "=", id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  await ctx.audit({
    action: "admin_activation_link_delete",
    object: adminObject(admin),
    before: { unused_links: Number(deleted.numDeletedRows) },
    after: { unused_links: 0 },
  });
  return admin;
}
