import { sql } from "kysely";
import type { Mailer } from "../../mail/mailer.js";
import type { UseCaseContext } from "../context.js";
import { createUser } from "../users/create.js";
import { parseUsername, usernameKey } from "../users/fields.js";
import { visibleUser } from "../users/view.js";
import {
  checkRequest,
  type EnrollmentEmailRequest,
  emailEnrollment,
  type SentEnrollmentEmail,
} from "./send.js";

/**
 * research/duo-api.md §4.1 POST /admin/v1/users/enroll: the user named `username` gets an
 * enrollment email (src/domain/enrollment-emails/send.ts). No user has that name (compared as
 * usernames are, R-TEN-2: in this account)? Then one is created first, Active, with the address
 * kept as their email, as Add User would (users:create; a restricted admin's new user must be in
 * a group of their units, R-UNIT-8a, so this way is for global admins and API applications). One
 * transaction: the user, the phone, the link and the email, or nothing.
 */
export async function enrollUserByEmail(
  ctx: UseCaseContext,
  mailer: Mailer | undefined,
  request: EnrollmentEmailRequest & { username: string },
): Promise<SentEnrollmentEmail & { userCreated: boolean }> {
  const username = parseUsername("username", request.username);
  const checked = checkRequest(mailer, request);
  const existing = await ctx.tx
    .selectFrom("users")
    .select("id")
    .where("account_id", "=", ctx.accountId)
    .where(sql<string>`lower(username)`, "=", usernameKey(username))
    .executeTakeFirst();
  const userId = existing?.id ?? (await createUser(ctx, { username, email: checked.to })).id;
  const sent = await emailEnrollment(ctx, await visibleUser(ctx, userId), checked);
  return { ...sent, userCreated: existing === undefined };
}
