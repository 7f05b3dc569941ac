import type { UseCaseContext } from "../context.js";
import { type Association, associate, disassociate } from "../devices/associate.js";
import { visiblePhone } from "./view.js";

function phoneOf(ctx: UseCaseContext, phoneId: string) {
  return async () => {
    const { row } = await visiblePhone(ctx, phoneId);
    return { name: `phone ${row.number || row.name || phoneId}` };
  };
}

/**
 * Associate an existing phone with a user (research/duo-api.md §4.1 POST /users/{id}/phones):
 * "add a phone to a user" (phones:create, R-ROLE-2), decided on the user, so a restricted admin
 * does it only for users of their units and only with phones they can see (R-UNIT-8f).
 */
export function associatePhone(ctx: UseCaseContext, userId: string, phoneId: string) {
  const change: Association = {
    kind: "phone",
    deviceId: phoneId,
    device: phoneOf(ctx, phoneId),
    action: "phones:create",
    audit: "phone_associate",
  };
  return associate(ctx, userId, change);
}

/** Remove a phone from a user (phones:delete "remove a user's phone"); the phone itself stays. */
export function disassociatePhone(ctx: UseCaseContext, userId: string, phoneId: string) {
  const change: Association = {
    kind: "phone",
    deviceId: phoneId,
    device: phoneOf(ctx, phoneId),
    action: "phones:delete",
    audit: "phone_disassociate",
  };
  return disassociate(ctx, userId, change);
}
