import { METHODS } from "../../authn/policy-sections.js";
import type { Executor } from "../../db/executor.js";
import { recordAction } from "../audit.js";
import { preauthDevices } from "../authentication/devices.js";
import type { AccessDevice } from "../authentication/log.js";
import { loadSubject, type SubjectUser } from "../authentication/subject.js";
import type { Services } from "../context.js";
import { Invalid, NotFound } from "../errors.js";
import { removeCredential } from "../webauthn/remove.js";
import { insertAuthenticatorApp, logEnrollment, provenSetup, takePendingSecret } from "./enroll.js";
import type { PromptSession } from "./sessions.js";

/** A device the person may remove themselves: an authenticator app on a phone. */
export interface OwnDevice {
  id: string;
  name: string;
}

/** What the devices page shows: the devices they can remove, and how many ways in they have in all. */
export interface OwnDevices {
  user: SubjectUser;
  apps: OwnDevice[];
  keys: OwnDevice[];
  /** Every device that can prove a factor (apps, SMS phones, hardware tokens, security keys). */
  usable: number;
}

const NOT_YOURS = "That device is not one of yours any more. Reload the page.";

/** The user this session logged in, with their devices, as they stand now. */
export async function ownDevices(executor: Executor, session: PromptSession): Promise<OwnDevices> {
  const subject = await loadSubject(executor, session.application, {
    username: session.username,
  });
  if (subject.user === null) throw new NotFound("user", session.username, NOT_YOURS);
  const user = subject.user;
  return {
    user,
    apps: user.phones
      .filter((phone) => phone.totp_secret_enc !== null)
      .map((phone) => ({ id: phone.id, name: phone.name || "Authenticator app" })),
    keys: user.security_keys.map((key) => ({ id: key.id, name: key.name })),
    // Every device counts, whatever this application's policy allows: the last one is never removed.
    usable: preauthDevices(user, subject.settings, METHODS).length + user.security_keys.length,
  };
}

/** The person's own change, as the Administrator Actions log keeps it (R-AUD-1). */
function selfService(username: string) {
  return { kind: "system" as const, name: `${username} (self-service)` };
}

/**
 * Issue 15 item 4: a person who proved a factor adds another authenticator app: the first code
 * from it activates it, logged as an enrollment (R-AUTH-4) and recorded as their own change.
 */
export async function addOwnAuthenticator(
  services: Services,
  session: PromptSession,
  code: string,
  access: AccessDevice,
  now = new Date(),
): Promise<void> {
  const { secret, step } = provenSetup(services, session, code, now);
  const { user } = await ownDevices(services.database.db, session);
  const accountId = session.application.accountId;
  await services.database.db.transaction().execute(async (tx) => {
    await takePendingSecret(tx, session, "manage");
    const phoneId = await insertAuthenticatorApp(tx, services, {
      accountId,
      userId: user.id,
      secret,
      step,
    });
    await logEnrollment(
      tx,
      session,
      user,
      { id: phoneId, name: "Authenticator app", factor: "duo_mobile_passcode" },
      access,
    );
    await recordAction(tx, {
      accountId,
      actor: selfService(user.username),
      action: "phone_create",
      object: { kind: "phone", id: phoneId, name: "Authenticator app" },
      after: { user: user.username, name: "Authenticator app" },
      ip: access.ip ?? undefined,
    });
  });
}

/**
 * Issue 15 item 4: a person removes one of their authenticator apps or security keys, never their
 * last way in (they add another first). A phone shared with another user is only taken from this one.
 */
export async function removeOwnDevice(
  services: Services,
  session: PromptSession,
  deviceId: string,
  access: AccessDevice,
): Promise<void> {
  const { user, apps, keys, usable } = await ownDevices(services.database.db, session);
  const device = [...apps, ...keys].find((candidate) => candidate.id === deviceId);
  if (!device) throw new Invalid("device", NOT_YOURS);
  if (usable <= 1)
    throw new Invalid(
      "device",
      "This is your only way to log in. Add another device first, then remove this one.",
    );
  const accountId = session.application.accountId;
  await services.database.db.transaction().execute(async (tx) => {
    // Another tab may be removing the other device at this moment: hold the user's row.
    await tx.selectFrom("users").select("id").where("id", "=", user.id).forUpdate().execute();
    const still = await ownDevices(tx, session);
    if (still.usable <= 1 || ![...still.apps, ...still.keys].some((one) => one.id === deviceId))
      throw new Invalid("device", NOT_YOURS);
    if (keys.some((key) => key.id === deviceId)) {
      await removeCredential(tx, {
        id: deviceId,
        owner: { kind: "user", userId: user.id, accountId },
        by: { actor: selfService(user.username) },
      });
      return;
    }
    const phoneId = deviceId;
    await tx
      .deleteFrom("user_phones")
      .where("user_id", "=", user.id)
      .where("phone_id", "=", phoneId)
      .execute();
    const shared = await tx
      .selectFrom("user_phones")
      .select("user_id")
      .where("phone_id", "=", phoneId)
      .executeTakeFirst();
    if (!shared) await tx.deleteFrom("phones").where("id", "=", phoneId).execute();
    await recordAction(tx, {
      accountId,
      actor: selfService(user.username),
      action: "phone_delete",
      object: { kind: "phone", id: phoneId, name: device.name },
      before: { user: user.username, name: device.name },
      ip: access.ip ?? undefined,
    });
  });
}

/** The person asks to manage their devices: they prove a factor first, as for logging in. */
export async function askToManageDevices(
  executor: Executor,
  session: PromptSession,
): Promise<void> {
  await executor
    .updateTable("prompt_sessions")
    .set({ manage_devices: true })
    .where("id", "=", session.id)
    .where("result", "is", null)
    .execute();
}
