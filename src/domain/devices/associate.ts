import type { Action } from "../../authz/index.js";
import type { UseCaseContext } from "../context.js";
import { Conflict, NotFound } from "../errors.js";
import { visibleUser } from "../users/view.js";
import { type DeviceKind, link, ownersOf, unlink } from "./links.js";

/** One user↔device change, as the phone and token use cases describe it. */
export interface Association {
  kind: DeviceKind;
  deviceId: string;
  /**
   * The device, once the caller may see it (out of scope reads as not found, R-UNIT-8f): its name
   * for messages and the log. Called after the user is found, so a missing user answers first.
   */
  device(): Promise<{ name: string }>;
  /** The engine's action, decided on the user (R-UNIT-8f: devices of in-scope users only). */
  action: Action;
  /** The audit record's action. */
  audit: string;
}

const ID_FIELD: Record<DeviceKind, string> = { phone: "phone_id", hardware_token: "token_id" };

/**
 * Associates a device with a user. A phone may be shared by several users; a hardware token is in
 * one person's hands, so one already assigned is refused (the other user is not named: they may be
 * outside the caller's units, R-UNIT-8a). One audit record, on the user.
 */
export async function associate(
  ctx: UseCaseContext,
  userId: string,
  change: Association,
): Promise<void> {
  const { row: user, object } = await visibleUser(ctx, userId);
  const device = await change.device();
  ctx.authorize(change.action, { object });
  const owners = await ownersOf(ctx, change.kind, [change.deviceId]).select("l.user_id").execute();
  if (owners.some((owner) => owner.user_id === userId))
    throw new Conflict(`${device.name} is already associated with ${user.username}`);
  if (change.kind === "hardware_token" && owners.length > 0)
    throw new Conflict(
      `${device.name} is assigned to another user; remove it from that user first`,
      undefined,
      ID_FIELD[change.kind],
    );
  await link(ctx, change.kind, userId, change.deviceId);
  await ctx.audit({
    action: change.audit,
    object: { kind: "user", id: userId, name: user.username },
    after: { [ID_FIELD[change.kind]]: change.deviceId, name: device.name },
  });
}

/** Removes a device from a user (the device stays in the account). One audit record, on the user. */
export async function disassociate(
  ctx: UseCaseContext,
  userId: string,
  change: Association,
): Promise<void> {
  const { row: user, object } = await visibleUser(ctx, userId);
  const device = await change.device();
  ctx.authorize(change.action, { object });
  if (!(await unlink(ctx, change.kind, userId, change.deviceId)))
    throw new NotFound(
      change.kind,
      change.deviceId,
      `${device.name} is not associated with ${user.username}`,
    );
  await ctx.audit({
    action: change.audit,
    object: { kind: "user", id: userId, name: user.username },
    before: { [ID_FIELD[change.kind]]: change.deviceId, name: device.name },
  });
}
