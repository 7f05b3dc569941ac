import { randomUUID } from "node:crypto";
import type { ExpressionBuilder } from "kysely";
import * as OTPAuth from "otpauth";
import QRCode from "qrcode";
import { verifyTotp } from "../../authn/index.js";
import type { Executor } from "../../db/executor.js";
import { newId } from "../../db/ids.js";
import type { Database } from "../../db/schema.js";
import { otpauthUri } from "../activations/create.js";
import type { AccessDevice } from "../authentication/log.js";
import { logInsert } from "../authentication/log.js";
import { MESSAGES } from "../authentication/outcome.js";
import { APP_STEP_SECONDS } from "../authentication/passcodes.js";
import type { Subject } from "../authentication/subject.js";
import type { Services } from "../context.js";
import { Conflict, Invalid } from "../errors.js";
import { parseUsername } from "../users/fields.js";
import { completePrompt } from "./complete.js";
import type { PromptSession } from "./sessions.js";

/** What the enrollment page shows: the app's QR code and the key to type instead. */
export interface EnrollmentSetup {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

/**
 * When a session may set up an authenticator app: while it is undecided (enrolling to log in), or
 * once allowed for a person who asked to manage their devices (adding another).
 */
export type SetupPhase = "enroll" | "manage";

/**
 * Issue 15 item 4: the authenticator app this prompt is setting up. Its secret is made once per
 * session and kept sealed with the session's id until the person proves a first code from it, so
 * a reload shows the same QR code instead of invalidating the one already scanned.
 */
export async function enrollmentSetup(
  services: Services,
  session: PromptSession,
  issuer: string,
  phase: SetupPhase = "enroll",
): Promise<EnrollmentSetup> {
  const db = services.database.db;
  let secret: string;
  if (session.pendingTotpSecretEnc !== null) {
    secret = services.secrets.open(session.pendingTotpSecretEnc, session.id);
  } else {
    secret = new OTPAuth.Secret({ size: 20 }).base32;
    const sealed = services.secrets.seal(secret, session.id);
    const stored = await db
      .updateTable("prompt_sessions")
      .set({ pending_totp_secret_enc: sealed })
      .where("id", "=", session.id)
      .where("pending_totp_secret_enc", "is", null)
      .where((eb) => inSetupPhase(eb, phase))
      .executeTakeFirst();
    // Another tab of the same browser got there first: show the secret it stored.
    if (stored.numUpdatedRows === 0n) {
      const row = await db
        .selectFrom("prompt_sessions")
        .select("pending_totp_secret_enc")
        .where("id", "=", session.id)
        .executeTakeFirstOrThrow();
      if (row.pending_totp_secret_enc === null)
        throw new Conflict("This login is already finished. Go back to the application.");
      secret = services.secrets.open(row.pending_totp_secret_enc, session.id);
    }
  }
  const uri = otpauthUri(secret, issuer, session.username);
  return {
    secret,
    otpauthUri: uri,
    qrSvg: await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 }),
  };
}

/** The session still stands where a setup of this phase may change it. */
export function inSetupPhase(
  eb: ExpressionBuilder<Database, "prompt_sessions">,
  phase: SetupPhase,
) {
  return phase === "enroll"
    ? eb("result", "is", null)
    : eb.and([
        eb("result", "=", "allow"),
        eb("manage_devices", "=", true),
        eb("code_used_at", "is", null),
      ]);
}

export const WRONG_FIRST_CODE =
  "That code is not the one your app shows now. Check that the app's clock is right, and type the six digits it shows.";

/** The pending app's secret, once the person proves a first code from it (and that code's step). */
export function provenSetup(
  services: Services,
  session: PromptSession,
  code: string,
  now: Date,
): { secret: string; step: number } {
  if (session.pendingTotpSecretEnc === null)
    throw new Invalid("code", "Scan the QR code first, then type the code your app shows.");
  const secret = services.secrets.open(session.pendingTotpSecretEnc, session.id);
  const verdict = verifyTotp({
    key: OTPAuth.Secret.fromBase32(secret).bytes,
    digits: 6,
    stepSeconds: APP_STEP_SECONDS,
    lastStep: null,
    drift: 0,
    code: code.trim(),
    now: now.getTime(),
  });
  if (!verdict.valid) throw new Invalid("code", WRONG_FIRST_CODE);
  return { secret, step: verdict.step };
}

/** A new authenticator app, activated, of the user's: its secret sealed with the phone's id. */
export async function insertAuthenticatorApp(
  tx: Executor,
  services: Services,
  input: { accountId: string; userId: string; secret: string; step: number },
): Promise<string> {
  const phoneId = newId("phone");
  await tx
    .insertInto("phones")
    .values({
      id: phoneId,
      account_id: input.accountId,
      name: "Authenticator app",
      type: "Mobile",
      platform: "Generic Smartphone",
      model: "Authenticator app",
      totp_secret_enc: services.secrets.seal(input.secret, phoneId),
      totp_last_step: input.step,
      activated: true,
    })
    .execute();
  await tx
    .insertInto("user_phones")
    .values({ user_id: input.userId, phone_id: phoneId, account_id: input.accountId })
    .execute();
  return phoneId;
}

/** An enrollment in the authentication log (R-AUTH-4): the device a person set up, and where. */
export function logEnrollment(
  tx: Executor,
  session: PromptSession,
  user: { id: string; username: string; groups: readonly string[] },
  device: { id: string; name: string; factor: string },
  access: AccessDevice,
) {
  return logInsert({
    txid: randomUUID(),
    accountId: session.application.accountId,
    application: session.application,
    eventType: "enrollment",
    result: "success",
    reason: "user_approved",
    factor: device.factor,
    user,
    access,
    authDevice: { id: device.id, name: device.name },
  }).execute(tx);
}

/**
 * Takes the app secret the session holds (the one the person proved a code from), once, while the
 * session still stands in `phase`: of two confirmations racing, one sets the app up.
 */
export async function takePendingSecret(
  tx: Executor,
  session: PromptSession,
  phase: SetupPhase,
): Promise<void> {
  const taken = await tx
    .updateTable("prompt_sessions")
    .set({ pending_totp_secret_enc: null })
    .where("id", "=", session.id)
    .where("pending_totp_secret_enc", "=", session.pendingTotpSecretEnc)
    .where((eb) => inSetupPhase(eb, phase))
    .executeTakeFirst();
  if (taken.numUpdatedRows === 0n)
    throw new Conflict("This app was set up already, or the login is over. Reload the page.");
}

/**
 * The user the enrollment is for: the one the application named, or, when Gatehouse does not know
 * them yet (the account requires enrollment of new users), created now under that name.
 */
export async function enrolledUser(
  tx: Executor,
  session: PromptSession,
  subject: Subject,
  now: Date,
): Promise<{ id: string; username: string; groups: readonly string[] }> {
  if (subject.user !== null) return subject.user;
  const user = {
    id: newId("user"),
    username: parseUsername("username", session.username),
    groups: [],
  };
  await tx
    .insertInto("users")
    .values({
      id: user.id,
      account_id: session.application.accountId,
      username: user.username,
      created_at: now,
    })
    .execute();
  return user;
}

/**
 * The login an enrollment completes: proving the new device was the second factor. Logged as a
 * success (R-AUTH-4) and the prompt ends allowed with its code, in the enrollment's transaction.
 */
export async function enrolledLogin(
  tx: Executor,
  session: PromptSession,
  user: { id: string; username: string; groups: readonly string[] },
  proof: { device: { id: string; name: string }; factor: string; reason: string },
  access: AccessDevice,
  now: Date,
): Promise<string> {
  const txid = randomUUID();
  await logInsert({
    txid,
    accountId: session.application.accountId,
    application: session.application,
    result: "success",
    reason: proof.reason,
    factor: proof.factor,
    user,
    access,
    authDevice: proof.device,
  }).execute(tx);
  await tx.updateTable("users").set({ last_login_at: now }).where("id", "=", user.id).execute();
  return completePrompt(
    tx,
    session,
    { result: "allow", status: "allow", statusMsg: MESSAGES.allow, txid },
    now,
  );
}

/**
 * The person proves a first code from the app they set up: in one transaction the user is created
 * when the application named someone new (the account requires enrollment of new users), the app
 * becomes a phone of theirs (its secret sealed with the phone's id, the code's step spent), the
 * enrollment and the login are logged (R-AUTH-4), and the prompt ends allowed with its code: the
 * first code is the login's second factor, so nobody waits 30 seconds for a second one.
 */
export async function finishEnrollment(
  services: Services,
  session: PromptSession,
  subject: Subject,
  code: string,
  access: AccessDevice,
  now = new Date(),
): Promise<string> {
  const { secret, step } = provenSetup(services, session, code, now);
  const accountId = session.application.accountId;
  return services.database.db.transaction().execute(async (tx) => {
    await takePendingSecret(tx, session, "enroll");
    const user = await enrolledUser(tx, session, subject, now);
    const phoneId = await insertAuthenticatorApp(tx, services, {
      accountId,
      userId: user.id,
      secret,
      step,
    });
    const device = { id: phoneId, name: "Authenticator app" };
    await logEnrollment(tx, session, user, { ...device, factor: "duo_mobile_passcode" }, access);
    return enrolledLogin(
      tx,
      session,
      user,
      { device, factor: "duo_mobile_passcode", reason: "valid_passcode" },
      access,
      now,
    );
  });
}
