import { randomUUID } from "node:crypto";
import { rememberedDevices } from "../../authn/policy.js";
import type { Executor } from "../../db/executor.js";
import { hashToken, newToken } from "../../db/ids.js";
import type { Services, UseCaseContext } from "../context.js";
import { visibleUser } from "../users/view.js";
import { type AuthOutcome, MESSAGES } from "./outcome.js";
import { type Attempt, recordAttempt } from "./record.js";
import type { SubjectUser } from "./subject.js";

/** A browser remembered for a user and an application, as its cookie will carry it. */
export interface RememberedBrowser {
  token: string;
  expiresAt: Date;
}

/** How long, and where, the policy lets a remembered browser skip the prompt (R-POL-2). */
export interface RememberWindow {
  hours: number;
  perApplication: boolean;
}

/**
 * "Remember me" (issue 15 item 2, R-POL-2's remembered devices): after proving a factor, this
 * browser skips the prompt for this user, for this application or across the account's (as the
 * policy says), for the policy's time. The browser keeps the token; only its hash is stored, so
 * the table alone lets nobody in.
 */
export async function rememberBrowser(
  executor: Executor,
  input: {
    accountId: string;
    userId: string;
    applicationId: string;
    window: RememberWindow;
    accessIp: string | null;
  },
  now = new Date(),
): Promise<RememberedBrowser> {
  const { token, hash } = newToken();
  const expiresAt = new Date(now.getTime() + input.window.hours * 3_600_000);
  await executor
    .insertInto("remembered_browsers")
    .values({
      token_hash: hash,
      account_id: input.accountId,
      user_id: input.userId,
      application_id: input.applicationId,
      access_ip: input.accessIp,
      created_at: now,
      expires_at: expiresAt,
      across_applications: !input.window.perApplication,
    })
    .execute();
  return { token, expiresAt };
}

/**
 * Whether the browser's token remembers exactly this user, for this application (or, where this
 * application's policy remembers across applications, for one whose policy did too), within the
 * window the policy sets now: a shorter window set since cuts the remembered ones short.
 */
export async function isRemembered(
  executor: Executor,
  input: { token: string; userId: string; applicationId: string; window: RememberWindow },
  now = new Date(),
): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(input.token)) return false;
  const row = await executor
    .selectFrom("remembered_browsers")
    .select("token_hash")
    .where("token_hash", "=", hashToken(input.token))
    .where("user_id", "=", input.userId)
    .where((eb) =>
      input.window.perApplication
        ? eb("application_id", "=", input.applicationId)
        : eb.or([
            eb("application_id", "=", input.applicationId),
            eb("across_applications", "=", true),
          ]),
    )
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .where("created_at", ">", new Date(now.getTime() - input.window.hours * 3_600_000))
    .executeTakeFirst();
  return row !== undefined;
}

/** How many browsers are remembered for a user now (the panel's user page shows it). */
export async function rememberedCount(
  executor: Executor,
  userId: string,
  now = new Date(),
): Promise<number> {
  const row = await executor
    .selectFrom("remembered_browsers")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * An admin makes every browser remembered for a user ask again (a lost laptop). A remembered
 * browser stands in for the user's second factor, so forgetting it is decided as removing one of
 * their 2FA devices (phones:delete, R-ROLE-3, within the admin's units: R-UNIT-8f). One audit
 * record (R-AUD-1) in the same transaction.
 */
export async function forgetRememberedBrowsers(
  ctx: UseCaseContext,
  userId: string,
  now = new Date(),
): Promise<{ forgotten: number }> {
  const { row, object } = await visibleUser(ctx, userId);
  ctx.authorize("phones:delete", { object });
  const revoked = await ctx.tx
    .updateTable("remembered_browsers")
    .set({ revoked_at: now })
    .where("user_id", "=", userId)
    .where("account_id", "=", ctx.accountId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  const forgotten = Number(revoked.numUpdatedRows);
  await ctx.audit({
    action: "user_remembered_browsers_forget",
    object: { kind: "user", id: userId, name: row.username },
    before: { remembered_browsers: forgotten },
    after: { remembered_browsers: 0 },
  });
  return { forgotten };
}

/** How many browsers are remembered for a user the caller may see (the user's page shows it). */
export async function rememberedBrowsersOf(
  ctx: UseCaseContext,
  userId: string,
  now = new Date(),
): Promise<{ remembered: number }> {
  await visibleUser(ctx, userId);
  return { remembered: await rememberedCount(ctx.tx, userId, now) };
}

/**
 * A remembered browser stands in for the factor of a user who must prove one (never for a disabled
 * or locked-out user: their standing decided before this is asked), where the policy remembers
 * browsers. `tokens`: the browser's cookies for this application and for the account. Logged as
 * Duo logs it (R-AUTH-4), with the policy that let it.
 */
export async function admitRemembered(
  services: Services,
  attempt: Attempt,
  user: SubjectUser,
  tokens: (string | undefined)[],
  now = new Date(),
): Promise<AuthOutcome | null> {
  const window = rememberedDevices(attempt.subject.policy);
  if (window === undefined) return null;
  let remembered = false;
  for (const token of tokens)
    if (!remembered && token !== undefined)
      remembered = await isRemembered(
        services.database.db,
        { token, userId: user.id, applicationId: attempt.application.id, window },
        now,
      );
  if (!remembered) return null;
  const outcome: AuthOutcome = {
    txid: randomUUID(),
    result: "allow",
    status: "allow",
    status_msg: MESSAGES.allow,
    logged: {
      result: "success",
      reason: "remembered_device",
      decidedBy: {
        policy: attempt.subject.policy.remembered_devices.from,
        section: "remembered_devices",
      },
    },
  };
  await recordAttempt(services.database.db, attempt, outcome, user, "remembered_device");
  return outcome;
}
