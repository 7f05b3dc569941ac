import type { TargetObject } from "../../authz/index.js";
import { newId } from "../../db/ids.js";
import type { Mailer } from "../../mail/mailer.js";
import { createActivation, MAX_ACTIVATION_SECONDS } from "../activations/create.js";
import type { UseCaseContext } from "../context.js";
import { link } from "../devices/links.js";
import { deliver, requireMailer } from "../email.js";
import { Invalid } from "../errors.js";
import { type UserRow, visibleUser } from "../users/view.js";
import { parseEmail } from "../validate.js";
import { enrollmentEmail } from "./message.js";

/** research/duo-api.md §4.1 users/enroll: an enrollment link works 30 days unless asked otherwise. */
export const DEFAULT_ENROLLMENT_SECONDS = MAX_ACTIVATION_SECONDS;

export interface EnrollmentEmailRequest {
  /** Where the email goes: the user's own address, or another the caller gives. */
  email: string;
  /** Seconds the link works, 1 to 30 days' worth; 30 days unless given. */
  validSeconds?: number;
  /** The page a token's link opens (the door knows the public address). */
  linkOf: (token: string) => string;
}

export interface SentEnrollmentEmail {
  userId: string;
  username: string;
  phoneId: string;
  sentTo: string;
  expiresAt: Date;
}

/** The request's fields, checked before anything is written; the mailer, or a refusal. */
export interface CheckedRequest {
  to: string;
  validSeconds: number;
  mailer: Mailer;
  linkOf: (token: string) => string;
}

export function checkRequest(
  mailer: Mailer | undefined,
  request: EnrollmentEmailRequest,
): CheckedRequest {
  const to = parseEmail("email", request.email);
  const validSeconds = request.validSeconds ?? DEFAULT_ENROLLMENT_SECONDS;
  if (!Number.isInteger(validSeconds) || validSeconds < 1 || validSeconds > MAX_ACTIVATION_SECONDS)
    throw new Invalid("valid_secs", `must be a whole number from 1 to ${MAX_ACTIVATION_SECONDS}`);
  return { to, validSeconds, mailer: requireMailer(mailer, "email"), linkOf: request.linkOf };
}

/**
 * The user's phone still waiting for the app an earlier enrollment email was for (no number, never
 * activated, the user's alone): a new email replaces that link instead of adding a phone each time.
 */
async function waitingPhone(ctx: UseCaseContext, userId: string): Promise<string | undefined> {
  const row = await ctx.tx
    .selectFrom("phones as p")
    .innerJoin("user_phones as up", "up.phone_id", "p.id")
    .select("p.id")
    .where("up.user_id", "=", userId)
    .where("p.account_id", "=", ctx.accountId)
    .where("p.number", "=", "")
    .where("p.activated", "=", false)
    .where("p.totp_secret_enc", "is", null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("device_activations as d").select("d.id").whereRef("d.phone_id", "=", "p.id"),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("user_phones as other")
            .select("other.user_id")
            .whereRef("other.phone_id", "=", "p.id")
            .where("other.user_id", "<>", userId),
        ),
      ),
    )
    .orderBy("p.created_at", "desc")
    .orderBy("p.id")
    .executeTakeFirst();
  return row?.id;
}

/**
 * Sends `user` an enrollment email: a phone for an authenticator app (or the one an earlier email
 * was for), a single-use, expiring activation link on it (R-AUTH-5: stored hashed, in the email
 * only), the audit record (R-AUD-1: the address, never the link), then the email, last, in the same
 * transaction (src/domain/email.ts). Decided on the user: "send enrollment emails" (R-ROLE-3, and for
 * Help Desk the account's setting, R-ROLE-4) and adding a phone, within the caller's units
 * (R-UNIT-8a, R-UNIT-8f).
 */
export async function emailEnrollment(
  ctx: UseCaseContext,
  user: { row: UserRow; object: TargetObject & { kind: "user" } },
  request: CheckedRequest,
): Promise<SentEnrollmentEmail> {
  ctx.authorize("users:send_enrollment", { object: user.object });
  ctx.authorize("phones:create", { object: user.object });
  const existing = await waitingPhone(ctx, user.row.id);
  const phoneId = existing ?? newId("phone");
  if (existing === undefined) {
    await ctx.tx
      .insertInto("phones")
      .values({
        id: phoneId,
        account_id: ctx.accountId,
        name: "Authenticator app",
        type: "Mobile",
        platform: "Generic Smartphone",
        model: "Authenticator app",
      })
      .execute();
    await link(ctx, "phone", user.row.id, phoneId);
  }
  const accountName = ctx.snapshot.accounts.get(ctx.accountId)?.name ?? "Gatehouse";
  const activation = await createActivation(ctx.tx, ctx.services.secrets, {
    accountId: ctx.accountId,
    userId: user.row.id,
    phoneId,
    issuer: accountName,
    username: user.row.username,
    validSeconds: request.validSeconds,
  });
  await ctx.audit({
    action: "user_enrollment_email",
    object: { kind: "user", id: user.row.id, name: user.row.username },
    after: {
      sent_to: request.to,
      phone_id: phoneId,
      new_phone: existing === undefined,
      expires_at: activation.expiresAt.toISOString(),
    },
  });
  await deliver(
    request.mailer,
    enrollmentEmail({
      to: request.to,
      accountName,
      username: user.row.username,
      realName: user.row.real_name,
      link: request.linkOf(activation.token),
      expiresAt: activation.expiresAt,
    }),
  );
  return {
    userId: user.row.id,
    username: user.row.username,
    phoneId,
    sentTo: request.to,
    expiresAt: activation.expiresAt,
  };
}

/** The panel's Send enrollment email: to a user the caller can see (else not found, R-UNIT-8a). */
export async function sendEnrollmentEmail(
  ctx: UseCaseContext,
  mailer: Mailer | undefined,
  userId: string,
  request: EnrollmentEmailRequest,
): Promise<SentEnrollmentEmail> {
  const user = await visibleUser(ctx, userId);
  return emailEnrollment(ctx, user, checkRequest(mailer, request));
}
