import { randomBytes } from "node:crypto";
import { newId } from "../../db/ids.js";
import { isConstraintViolation } from "../../db/pg-errors.js";
import {
  type CreatedActivation,
  createActivation,
  DEFAULT_ACTIVATION_SECONDS,
  MAX_ACTIVATION_SECONDS,
} from "../activations/create.js";
import { recordAction } from "../audit.js";
import { MAX_CODES_PER_REQUEST, newBypassCode, sealBypassCode } from "../bypass-codes/codes.js";
import type { Services } from "../context.js";
import { Conflict, Invalid } from "../errors.js";
import { parseUsername } from "../users/fields.js";
import type { AuthApplication } from "./log.js";

export interface EnrollRequest {
  /** Absent: a random username is made (Duo's enroll does the same). */
  username?: string;
  validSeconds?: number;
  /** Bypass codes to make for the new user, 0 to 10. */
  bypassCodes?: number;
}

export interface Enrollment {
  userId: string;
  username: string;
  phoneId: string;
  activation: CreatedActivation;
  bypassCodes: string[];
}

function wholeNumber(field: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max))
    throw new Invalid(field, `must be a whole number from ${min} to ${max}`);
}

/**
 * research/duo-api.md §7 POST /auth/v2/enroll: a new user with a phone that has no number yet and
 * an activation link for an authenticator app on it (R-AUTH-5), and, when asked, bypass codes
 * (single-use, shown once). One transaction, with one Administrator Actions record naming the
 * application (R-AUD-1; never a code or the link).
 */
export async function enrollUser(
  services: Services,
  application: AuthApplication,
  request: EnrollRequest,
  now = new Date(),
): Promise<Enrollment> {
  wholeNumber("valid_secs", request.validSeconds, 1, MAX_ACTIVATION_SECONDS);
  wholeNumber("bypass_codes", request.bypassCodes, 0, MAX_CODES_PER_REQUEST);
  const username =
    request.username === undefined
      ? `user-${randomBytes(5).toString("hex")}`
      : parseUsername("username", request.username);
  const userId = newId("user");
  const phoneId = newId("phone");
  const codes = Array.from({ length: request.bypassCodes ?? 0 }, () => newBypassCode());
  try {
    return await services.database.db.transaction().execute(async (tx) => {
      const account = await tx
        .selectFrom("accounts")
        .select("name")
        .where("id", "=", application.accountId)
        .executeTakeFirstOrThrow();
      await tx
        .insertInto("users")
        .values({ id: userId, account_id: application.accountId, username, created_at: now })
        .execute();
      await tx
        .insertInto("phones")
        .values({
          id: phoneId,
          account_id: application.accountId,
          name: "Authenticator app",
          type: "Mobile",
          platform: "Generic Smartphone",
          model: "Authenticator app",
        })
        .execute();
      await tx
        .insertInto("user_phones")
        .values({ user_id: userId, phone_id: phoneId, account_id: application.accountId })
        .execute();
      const activation = await createActivation(tx, services.secrets, {
        accountId: application.accountId,
        userId,
        phoneId,
        issuer: account.name,
        username,
        validSeconds: request.validSeconds ?? DEFAULT_ACTIVATION_SECONDS,
        now,
      });
      if (codes.length > 0)
        await tx
          .insertInto("bypass_codes")
          .values(
            codes.map((code) => ({
              id: newId("bypassCode"),
              account_id: application.accountId,
              user_id: userId,
              ...sealBypassCode(code),
              reuse_count: 1,
              remaining_uses: 1,
              created_by: application.name,
              created_at: now,
            })),
          )
          .execute();
      await recordAction(tx, {
        accountId: application.accountId,
        actor: { kind: "application", id: application.id, name: application.name },
        action: "user_enroll",
        object: { kind: "user", id: userId, name: username },
        after: {
          username,
          phone_id: phoneId,
          activation_expires_at: activation.expiresAt.toISOString(),
          bypass_codes: codes.length,
        },
      });
      return { userId, username, phoneId, activation, bypassCodes: codes };
    });
  } catch (error) {
    if (isConstraintViolation(error, "users_username_unique"))
      throw new Conflict(`a user named ${username} already exists`, undefined, "username");
    throw error;
  }
}
