import { newId } from "../../db/ids.js";
import type { UseCaseContext } from "../context.js";
import { link } from "../devices/links.js";
import { deviceTarget } from "../devices/scope.js";
import { visibleUser } from "../users/view.js";
import { assertNumberFree, NEW_PHONE, type PhoneFields, parsePhoneFields } from "./fields.js";
import { getPhone } from "./list.js";
import type { PhoneView } from "./view.js";

/**
 * Add a phone (R-ROLE-2 "Manage 2FA devices": phones:create), for a user when `userId` is given
 * (decided on that user, so a restricted admin adds phones to users of their units only,
 * R-UNIT-8f), or on its own, to associate later (decided on a device with no user yet: only
 * global admins and API applications may, since a restricted admin could not see it afterwards).
 * Every check comes before the first write; one audit record.
 */
export async function createPhone(
  ctx: UseCaseContext,
  input: PhoneFields,
  userId?: string,
): Promise<PhoneView> {
  const id = newId("phone");
  const user = userId === undefined ? undefined : await visibleUser(ctx, userId);
  ctx.authorize("phones:create", { object: user?.object ?? deviceTarget(id) });
  const phone = parsePhoneFields(NEW_PHONE, input);
  await assertNumberFree(ctx, phone);

  await ctx.tx
    .insertInto("phones")
    .values({ id, account_id: ctx.accountId, ...phone })
    .execute();
  if (user) await link(ctx, "phone", user.row.id, id);
  await ctx.audit({
    action: "phone_create",
    object: { kind: "phone", id, name: phone.number || phone.name || id },
    after: { ...phone, user_ids: user ? [user.row.id] : [] },
  });
  return getPhone(ctx, id);
}
