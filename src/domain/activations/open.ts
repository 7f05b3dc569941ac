import { randomUUID } from "node:crypto";
import * as OTPAuth from "otpauth";
import QRCode from "qrcode";
import { verifyTotp } from "../../authn/index.js";
import type { Executor } from "../../db/executor.js";
import { hashToken } from "../../db/ids.js";
import type { SecretBox } from "../../db/secrets.js";
import { type AccessDevice, recordAuthentication } from "../authentication/log.js";
import { APP_STEP_SECONDS } from "../authentication/passcodes.js";
import type { Services } from "../context.js";
import { Invalid, NotFound } from "../errors.js";
import { otpauthUri } from "./create.js";

/** What the activation page shows the person holding the link. */
export interface ActivationPage {
  accountName: string;
  username: string;
  otpauthUri: string;
  qrSvg: string;
  expiresAt: Date;
}

interface LiveActivation {
  id: string;
  account_id: string;
  user_id: string;
  phone_id: string;
  username: string;
  account_name: string;
  groups: string[];
  secret: string;
  expires_at: Date;
}

/** The link's activation while it can still be used; the same refusal for unknown, used and expired. */
async function liveActivation(
  executor: Executor,
  secrets: SecretBox,
  token: string,
  now: Date,
): Promise<LiveActivation> {
  const row = await executor
    .selectFrom("device_activations as d")
    .innerJoin("users as u", "u.id", "d.user_id")
    .innerJoin("accounts as a", "a.id", "d.account_id")
    .select([
      "d.id",
      "d.account_id",
      "d.user_id",
      "d.phone_id",
      "d.pending_secret_enc",
      "d.expires_at",
      "d.activated_at",
      "u.username",
      "a.name as account_name",
    ])
    .where("d.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || row.activated_at !== null || row.expires_at.getTime() <= now.getTime())
    throw new NotFound(
      "activation",
      "link",
      "This activation link has expired or was already used. Ask your administrator for a new one.",
    );
  const groups = await executor
    .selectFrom("group_members as gm")
    .innerJoin("groups as g", "g.id", "gm.group_id")
    .select("g.name")
    .where("gm.user_id", "=", row.user_id)
    .orderBy("g.name")
    .execute();
  return {
    ...row,
    groups: groups.map((group) => group.name),
    secret: secrets.open(row.pending_secret_enc, row.id),
  };
}

/** R-AUTH-5: the page behind an activation link: the QR code and the URI it holds. */
export async function openActivation(
  executor: Executor,
  secrets: SecretBox,
  token: string,
  now = new Date(),
): Promise<ActivationPage> {
  const live = await liveActivation(executor, secrets, token, now);
  const uri = otpauthUri(live.secret, live.account_name, live.username);
  return {
    accountName: live.account_name,
    username: live.username,
    otpauthUri: uri,
    qrSvg: await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 }),
    expiresAt: live.expires_at,
  };
}

/** The activation's QR code as a PNG (Duo's activation_barcode). */
export async function activationBarcode(
  executor: Executor,
  secrets: SecretBox,
  token: string,
  now = new Date(),
): Promise<Buffer> {
  const live = await liveActivation(executor, secrets, token, now);
  return QRCode.toBuffer(otpauthUri(live.secret, live.account_name, live.username), {
    type: "png",
    errorCorrectionLevel: "M",
    margin: 2,
    width: 240,
  });
}

/**
 * R-AUTH-2, R-AUTH-5: the person proves a first code from the app they set up. The secret then
 * moves to the phone (sealed with the phone's id), the code's step counts as used, and the link is
 * spent: in one transaction, with the enrollment in the authentication log (R-AUTH-4). Of two
 * confirmations racing, one activates and the other finds the link used.
 */
export async function confirmActivation(
  services: Services,
  token: string,
  code: string,
  access: AccessDevice,
  now = new Date(),
): Promise<{ username: string; accountName: string }> {
  const db = services.database.db;
  const live = await liveActivation(db, services.secrets, token, now);
  const verdict = verifyTotp({
    key: OTPAuth.Secret.fromBase32(live.secret).bytes,
    digits: 6,
    stepSeconds: APP_STEP_SECONDS,
    lastStep: null,
    drift: 0,
    code: code.trim(),
    now: now.getTime(),
  });
  if (!verdict.valid)
    throw new Invalid(
      "code",
      "That code is not the one your app shows now. Check that the app's clock is right, and type the six digits it shows.",
    );
  await db.transaction().execute(async (tx) => {
    const spent = await tx
      .updateTable("device_activations")
      .set({ activated_at: now })
      .where("id", "=", live.id)
      .where("activated_at", "is", null)
      .executeTakeFirst();
    if (spent.numUpdatedRows !== 1n)
      throw new NotFound("activation", "link", "This activation link was already used.");
    await tx
      .updateTable("phones")
      .set({
        totp_secret_enc: services.secrets.seal(live.secret, live.phone_id),
        totp_last_step: verdict.step,
        activated: true,
      })
      .where("id", "=", live.phone_id)
      .execute();
    await recordAuthentication(tx, {
      txid: randomUUID(),
      accountId: live.account_id,
      application: null,
      eventType: "enrollment",
      result: "success",
      reason: "user_approved",
      factor: "duo_mobile_passcode",
      user: { id: live.user_id, username: live.username, groups: live.groups },
      access,
      authDevice: { id: live.phone_id, name: "Authenticator app" },
    });
  });
  return { username: live.username, accountName: live.account_name };
}

/** Duo's enroll_status: "success" once activated, "waiting" while the link lives, else "invalid". */
export async function activationStatus(
  executor: Executor,
  input: { accountId: string; userId: string; activationCode: string },
  now = new Date(),
): Promise<"success" | "waiting" | "invalid"> {
  const row = await executor
    .selectFrom("device_activations")
    .select(["activated_at", "expires_at", "user_id", "account_id"])
    .where("code_hash", "=", hashToken(input.activationCode))
    .executeTakeFirst();
  if (!row || row.user_id !== input.userId || row.account_id !== input.accountId) return "invalid";
  if (row.activated_at !== null) return "success";
  return row.expires_at.getTime() > now.getTime() ? "waiting" : "invalid";
}
