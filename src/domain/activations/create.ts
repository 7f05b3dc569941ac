import * as OTPAuth from "otpauth";
import type { Executor } from "../../db/executor.js";
import { hashToken, newId, newToken } from "../../db/ids.js";
import type { SecretBox } from "../../db/secrets.js";
import { APP_STEP_SECONDS } from "../authentication/passcodes.js";

/** Duo's default for an activation's validity (valid_secs), and its longest. */
export const DEFAULT_ACTIVATION_SECONDS = 86_400;
export const MAX_ACTIVATION_SECONDS = 30 * 86_400;

export interface NewActivation {
  accountId: string;
  userId: string;
  phoneId: string;
  /** The name the authenticator app shows the account under (Duo's Duo Mobile account name). */
  issuer: string;
  username: string;
  validSeconds: number;
  now?: Date;
}

/** Shown once, to whoever made the activation; only hashes of the token and code are stored. */
export interface CreatedActivation {
  id: string;
  /** The secret of the activation link (/enroll/<token>). */
  token: string;
  /** The otpauth:// URI an authenticator app scans: Duo's activation_code, in this service's terms. */
  activationCode: string;
  expiresAt: Date;
}

/** The URI an authenticator app reads: its issuer, the username, and the TOTP parameters. */
export function otpauthUri(secretBase32: string, issuer: string, username: string): string {
  return new OTPAuth.TOTP({
    issuer,
    label: username,
    algorithm: "SHA1",
    digits: 6,
    period: APP_STEP_SECONDS,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  }).toString();
}

/**
 * R-AUTH-5: a single-use, expiring link that puts an authenticator app on the user's phone. A new
 * TOTP secret is sealed with the activation's id until the user proves a first code from it; the
 * link's token and the activation code are stored as SHA-256 hashes only. Any earlier activation
 * of the same phone still pending ends here, so one phone has one live link.
 */
export async function createActivation(
  tx: Executor,
  secrets: SecretBox,
  input: NewActivation,
): Promise<CreatedActivation> {
  const now = input.now ?? new Date();
  const id = newId("deviceActivation");
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  const { token, hash } = newToken();
  const activationCode = otpauthUri(secret, input.issuer, input.username);
  const expiresAt = new Date(now.getTime() + input.validSeconds * 1000);
  await tx
    .deleteFrom("device_activations")
    .where("phone_id", "=", input.phoneId)
    .where("activated_at", "is", null)
    .execute();
  await tx
    .insertInto("device_activations")
    .values({
      id,
      account_id: input.accountId,
      user_id: input.userId,
      phone_id: input.phoneId,
      token_hash: hash,
      code_hash: hashToken(activationCode),
      pending_secret_enc: secrets.seal(secret, id),
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return { id, token, activationCode, expiresAt };
}
