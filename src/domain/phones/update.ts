import { changedFields } from "../audit.js";
import type { UseCaseContext } from "../context.js";
import {
  assertNumberFree,
  type PhoneFields,
  type PhoneRecord,
  parsePhoneFields,
} from "./fields.js";
import { getPhone } from "./list.js";
import { type PhoneView, visiblePhone } from "./view.js";

/**
 * Edit a phone (phones:update), one the caller may see: a phone of a user in their units for a
 * restricted admin (R-UNIT-8f). One audit record with what changed.
 */
export async function updatePhone(
  ctx: UseCaseContext,
  id: string,
  change: PhoneFields,
): Promise<PhoneView> {
  const { row } = await visiblePhone(ctx, id, "phones:update");
  const current: PhoneRecord = {
    number: row.number,
    extension: row.extension,
    name: row.name,
    type: row.type,
    platform: row.platform,
    predelay: row.predelay,
    postdelay: row.postdelay,
  };
  const next = parsePhoneFields(current, change);
  if (next.number !== current.number || next.extension !== current.extension)
    await assertNumberFree(ctx, next, id);
  const after = changedFields(next, current);
  if (Object.keys(after).length > 0)
    await ctx.tx
      .updateTable("phones")
      .set(after)
      .where("id", "=", id)
      .where("account_id", "=", ctx.accountId)
      .execute();
  // One record per successful edit, even one that changed nothing (empty before and after).
  await ctx.audit({
    action: "phone_update",
    object: { kind: "phone", id, name: next.number || next.name || id },
    before: changedFields(current, next),
    after,
  });
  return getPhone(ctx, id);
}
