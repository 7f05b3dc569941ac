import type { DatabaseHandle } from "../../db/open.js";
import { recordAction } from "../audit.js";
import type { ClientInfo } from "../auth/client.js";
import { actorOf, objectOf } from "../auth/failures.js";
import type { LiveSession } from "../auth/sessions.js";
import { Conflict, Forbidden, NotFound } from "../errors.js";

/**
 * R-ADM-1: an Owner returns an Expired admin to the status it had before it expired.
 *
 * R-ROLE-5 is checked here for the two unambiguous cases only, until the authorization engine
 * decides every admin-management action: an Owner of the admin's own account (every admin is one
 * in the Free edition, R-PLAN-1), or an Owner of the parent, who reaches every subaccount (R-TAG-2a).
 */
export async function clearInactivity(
  handle: DatabaseHandle,
  input: { session: LiveSession; adminId: string; client: ClientInfo },
): Promise<{ status: string }> {
  const actor = input.session.admin;
  return handle.db.transaction().execute(async (tx) => {
    const target = await tx
      .selectFrom("admins")
      .selectAll()
      .where("id", "=", input.adminId)
      .forUpdate()
      .executeTakeFirst();
    // An admin of another tenant does not exist as far as this actor can tell.
    if (!target || target.tenant_id !== actor.tenant_id)
      throw new NotFound("administrator", input.adminId);
    const actorAccount = await tx
      .selectFrom("accounts")
      .select(["edition", "is_subaccount"])
      .where("id", "=", actor.account_id)
      .executeTakeFirstOrThrow();
    const actsAsOwner = actorAccount.edition === "Free" || actor.role === "Owner";
    const reaches =
      target.account_id === actor.account_id ||
      (!actorAccount.is_subaccount && actor.role === "Owner");
    if (!actsAsOwner || !reaches) {
      throw new Forbidden(
        "R-ROLE-5",
        `only an Owner can clear an administrator's inactivity; you are ${actor.role}`,
      );
    }
    if (target.status !== "Expired")
      throw new Conflict(`${target.email} is ${target.status}, not Expired`, "R-ADM-1", "status");
    const status = target.status_before_expiry ?? "Active";
    await tx
      .updateTable("admins")
      .set({
        status,
        status_before_expiry: null,
        inactivity_cleared_at: new Date(),
        updated_at: new Date(),
      })
      .where("id", "=", target.id)
      .execute();
    await recordAction(tx, {
      accountId: target.account_id,
      actor: actorOf(actor),
      action: "admin_clear_inactivity",
      object: objectOf(target),
      before: { status: "Expired" },
      after: { status },
      ip: input.client.ip,
      userAgent: input.client.userAgent,
    });
    return { status };
  });
}
