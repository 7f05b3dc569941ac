import { type RawBuilder, sql } from "kysely";
import * as OTPAuth from "otpauth";
import { verifyHotp, verifyTotp, verifyYubikeyOtp, YUBIKEY_OTP } from "../../authn/index.js";
import type { Method } from "../../authn/policy-sections.js";
import type { Executor } from "../../db/executor.js";
import type { SecretBox } from "../../db/secrets.js";
import { isBypassCode } from "../bypass-codes/codes.js";
import { digitsOf, type TokenSecret } from "../tokens/fields.js";
import type { AuthDevice } from "./log.js";
import type { SubjectPhone, SubjectToken, SubjectUser } from "./subject.js";

/** The authenticator app's time step: every app's default (RFC 6238). */
export const APP_STEP_SECONDS = 30;
const PASSCODE = /^[0-9]{6,20}$/;

/** A passcode that matched one of the user's credentials, not yet spent. */
export interface MatchedPasscode {
  /** Duo's log factor for it (research/auth-protocols.md §7.2). */
  factor:
    | "duo_mobile_passcode"
    | "hardware_token"
    | "yubikey_code"
    | "sms_passcode"
    | "bypass_code";
  device: AuthDevice | null;
  /**
   * The statement that spends it (R-AUTH-2: each passcode works once), returning a row when it
   * did: the stored state moves on only if it is still what the match was made against, so of two
   * attempts racing with one code exactly one spends it; and only if `guard` has a row (the user
   * still stands as read: commit.ts).
   */
  spend(guard: RawBuilder<unknown>, now: Date): RawBuilder<unknown>;
}

export function phoneName(phone: Pick<SubjectPhone, "name" | "number" | "platform">): string {
  const label = phone.name || (phone.platform === "Unknown" ? "Phone" : phone.platform);
  return phone.number === "" ? label : `${label} (${phone.number})`;
}

export function tokenDeviceName(token: Pick<SubjectToken, "type" | "serial">): string {
  return token.type === "yk" ? `YubiKey ${token.serial}` : `Hardware token ${token.serial}`;
}

function tokenSecret(secrets: SecretBox, token: SubjectToken): TokenSecret | null {
  return token.secret_enc === null
    ? null
    : (JSON.parse(secrets.open(token.secret_enc, token.id)) as TokenSecret);
}

function matchYubikey(
  secrets: SecretBox,
  tokens: readonly SubjectToken[],
  otp: string,
): MatchedPasscode | null {
  for (const token of tokens) {
    if (token.type !== "yk") continue;
    const secret = tokenSecret(secrets, token);
    if (secret === null || !("aes_key" in secret)) continue;
    const verdict = verifyYubikeyOtp({
      aesKey: Buffer.from(secret.aes_key, "hex"),
      privateId: Buffer.from(secret.private_id, "hex"),
      last:
        token.yubikey_counter === null || token.yubikey_use === null
          ? null
          : { counter: token.yubikey_counter, use: token.yubikey_use },
      otp,
    });
    if (!verdict.valid) continue;
    return {
      factor: "yubikey_code",
      device: { id: token.id, name: tokenDeviceName(token) },
      spend: (guard) => sql`update hardware_tokens
          set yubikey_counter = ${verdict.counter}, yubikey_use = ${verdict.use}
          where id = ${token.id} and exists (${guard})
            and (yubikey_counter is null
                 or (yubikey_counter, yubikey_use) < (${verdict.counter}::int, ${verdict.use}::int))
          returning 1`,
    };
  }
  return null;
}

function matchApp(secrets: SecretBox, phones: readonly SubjectPhone[], code: string, now: number) {
  for (const phone of phones) {
    if (phone.totp_secret_enc === null) continue;
    const secret = OTPAuth.Secret.fromBase32(secrets.open(phone.totp_secret_enc, phone.id));
    const verdict = verifyTotp({
      key: secret.bytes,
      digits: 6,
      stepSeconds: APP_STEP_SECONDS,
      lastStep: phone.totp_last_step,
      drift: 0,
      code,
      now,
    });
    if (!verdict.valid) continue;
    const match: MatchedPasscode = {
      factor: "duo_mobile_passcode",
      device: { id: phone.id, name: phoneName(phone) },
      spend: (guard) => sql`update phones set totp_last_step = ${verdict.step}
          where id = ${phone.id} and exists (${guard})
            and (totp_last_step is null or totp_last_step < ${verdict.step})
          returning 1`,
    };
    return match;
  }
  return null;
}

function matchOtpToken(
  secrets: SecretBox,
  tokens: readonly SubjectToken[],
  code: string,
  now: number,
): MatchedPasscode | null {
  for (const token of tokens) {
    if (token.type === "yk" || token.type === "d1" || code.length !== digitsOf(token.type))
      continue;
    const secret = tokenSecret(secrets, token);
    if (secret === null || !("secret" in secret)) continue;
    const key = Buffer.from(secret.secret, "hex");
    const digits = digitsOf(token.type) as 6 | 8;
    const device = { id: token.id, name: tokenDeviceName(token) };
    if (token.counter !== null) {
      const verdict = verifyHotp({ key, digits, counter: token.counter, code });
      if (!verdict.valid) continue;
      const expected = token.counter;
      return {
        factor: "hardware_token",
        device,
        spend: (guard) => sql`update hardware_tokens set counter = ${verdict.nextCounter}
            where id = ${token.id} and exists (${guard}) and counter = ${expected}
            returning 1`,
      };
    }
    if (token.totp_step === null) continue;
    const verdict = verifyTotp({
      key,
      digits,
      stepSeconds: token.totp_step,
      lastStep: token.totp_last_step,
      drift: token.totp_drift,
      code,
      now,
    });
    if (!verdict.valid) continue;
    return {
      factor: "hardware_token",
      device,
      spend: (guard) => sql`update hardware_tokens
          set totp_last_step = ${verdict.step}, totp_drift = ${verdict.drift}
          where id = ${token.id} and exists (${guard})
            and (totp_last_step is null or totp_last_step < ${verdict.step})
          returning 1`,
    };
  }
  return null;
}

async function matchSmsPasscode(
  executor: Executor,
  user: SubjectUser,
  code: string,
): Promise<MatchedPasscode | null> {
  if (user.sms_passcodes === 0) return null;
  const rows = await executor
    .selectFrom("sms_passcodes as c")
    .innerJoin("user_phones as up", "up.phone_id", "c.phone_id")
    .select(["c.id", "c.phone_id", "c.code_hash", "c.salt"])
    .where("up.user_id", "=", user.id)
    .where("c.used_at", "is", null)
    .where("c.expires_at", ">", new Date())
    .execute();
  const row = rows.find((candidate) => isBypassCode(code, candidate));
  if (!row) return null;
  const phone = user.phones.find((candidate) => candidate.id === row.phone_id);
  return {
    factor: "sms_passcode",
    device: phone ? { id: phone.id, name: phoneName(phone) } : null,
    spend: (guard, now) => sql`update sms_passcodes set used_at = ${now}::timestamptz
        where id = ${row.id} and exists (${guard})
          and used_at is null and expires_at > ${now}::timestamptz
        returning 1`,
  };
}

async function matchBypassCode(
  executor: Executor,
  user: SubjectUser,
  code: string,
): Promise<MatchedPasscode | null> {
  if (user.bypass_codes === 0) return null;
  const rows = await executor
    .selectFrom("bypass_codes")
    .select(["id", "code_hash", "salt"])
    .where("user_id", "=", user.id)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", new Date())]))
    .where((eb) => eb.or([eb("remaining_uses", "is", null), eb("remaining_uses", ">", 0)]))
    .execute();
  const row = rows.find((candidate) => isBypassCode(code, candidate));
  if (!row) return null;
  return {
    factor: "bypass_code",
    device: null,
    // A code used up stays, with no uses left (a statement cannot both update and delete one
    // row): every list and count leaves it out.
    spend: (guard, now) => sql`update bypass_codes set remaining_uses = remaining_uses - 1
        where id = ${row.id} and exists (${guard})
          and (expires_at is null or expires_at > ${now}::timestamptz)
          and (remaining_uses is null or remaining_uses > 0)
        returning 1`,
  };
}

/**
 * R-AUTH-2: which of the user's credentials a passcode is, if any: a YubiKey OTP by its shape;
 * digits against the authenticator apps, the OTP tokens, the SMS passcodes sent and the bypass
 * codes, in that order. Nothing is spent here (see MatchedPasscode.spend). R-POL-2: only the
 * credentials of the methods the policy allows are tried, so a code of another method is simply
 * wrong (and counts as a failure): it never tells anyone that it would work elsewhere.
 */
export async function matchPasscode(
  executor: Executor,
  secrets: SecretBox,
  user: SubjectUser,
  passcode: string,
  now: number,
  methods: readonly Method[],
): Promise<MatchedPasscode | null> {
  const allows = (method: Method) => methods.includes(method);
  const text = passcode.trim();
  const tokens = allows("hardware-token") ? user.tokens : [];
  if (YUBIKEY_OTP.test(text.toLowerCase())) return matchYubikey(secrets, tokens, text);
  if (!PASSCODE.test(text)) return null;
  return (
    (allows("duo-passcode") ? matchApp(secrets, user.phones, text, now) : null) ??
    matchOtpToken(secrets, tokens, text, now) ??
    (allows("sms") ? await matchSmsPasscode(executor, user, text) : null) ??
    (allows("bypass") ? await matchBypassCode(executor, user, text) : null)
  );
}
