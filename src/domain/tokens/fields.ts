import { TOKEN_TYPES, type TokenType } from "../../db/schema.js";
import type { UseCaseContext } from "../context.js";
import { Conflict, Invalid } from "../errors.js";

export { TOKEN_TYPES, type TokenType };

/** The types the API creates: every one but Duo's own D-100 (research/duo-api.md §4.4). */
export const CREATABLE_TOKEN_TYPES = ["h6", "h8", "t6", "t8", "yk"] as const;
export const HOTP_TYPES: readonly TokenType[] = ["h6", "h8"];
export const TOTP_TYPES: readonly TokenType[] = ["t6", "t8"];
export const TOTP_STEPS = [30, 60] as const;
export const MAX_COUNTER = 2_147_483_647;

/** research/duo-api.md §4.4 POST /tokens, in the domain's names. */
export interface NewToken {
  type: TokenType;
  serial: string;
  /** HOTP and TOTP: the shared secret, hex (at least 128 bits, RFC 4226). */
  secret?: string;
  /** HOTP: the counter of the token's next code (default 0). */
  counter?: number;
  /** TOTP: the time step in seconds (default 30). */
  totp_step?: number;
  /** YubiKey (AES mode): the 6-byte private id and the 16-byte AES key, hex. */
  private_id?: string;
  aes_key?: string;
}

/** What is sealed in `secret_enc` (src/db/secrets.ts), never returned, never logged. */
export type TokenSecret = { secret: string } | { private_id: string; aes_key: string };

export function digitsOf(type: TokenType): number {
  return type === "h8" || type === "t8" ? 8 : 6;
}

const HEX = (min: number, max: number) => new RegExp(`^(?:[0-9a-f]{2}){${min},${max}}$`);

function hex(field: string, value: string | undefined, bytes: [number, number]): string {
  const text = value?.trim().toLowerCase() ?? "";
  if (!HEX(...bytes).test(text))
    throw new Invalid(
      field,
      bytes[0] === bytes[1]
        ? `must be ${bytes[0] * 2} hexadecimal digits`
        : `must be ${bytes[0] * 2} to ${bytes[1] * 2} hexadecimal digits (an even number)`,
    );
  return text;
}

function onlyFor(
  field: keyof NewToken,
  input: NewToken,
  types: readonly TokenType[],
  what: string,
) {
  if (input[field] !== undefined && !types.includes(input.type))
    throw new Invalid(field, `is only for ${what} tokens (${types.join(", ")})`);
}

/** A serial as stored: trimmed, 1 to 128 characters, no control characters. */
export function parseSerial(value: string): string {
  const serial = value.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (serial.length < 1 || serial.length > 128 || /[\u0000-\u001f\u007f]/.test(serial))
    throw new Invalid("serial", "must be 1 to 128 printable characters");
  return serial;
}

/** The new token's stored fields and the secret to seal, every parameter checked against its type. */
export function parseNewToken(input: NewToken): {
  type: TokenType;
  serial: string;
  totp_step: number | null;
  counter: number | null;
  secret: TokenSecret;
} {
  if (input.type === "d1")
    throw new Invalid("type", "Duo D-100 tokens (d1) come from Duo and cannot be created");
  if (!(CREATABLE_TOKEN_TYPES as readonly string[]).includes(input.type))
    throw new Invalid("type", `must be one of ${CREATABLE_TOKEN_TYPES.join(", ")}`);
  const serial = parseSerial(input.serial);
  const otp = [...HOTP_TYPES, ...TOTP_TYPES];
  onlyFor("secret", input, otp, "HOTP and TOTP");
  onlyFor("counter", input, HOTP_TYPES, "HOTP");
  onlyFor("totp_step", input, TOTP_TYPES, "TOTP");
  onlyFor("private_id", input, ["yk"], "YubiKey");
  onlyFor("aes_key", input, ["yk"], "YubiKey");
  const counter = HOTP_TYPES.includes(input.type) ? (input.counter ?? 0) : null;
  if (counter !== null && (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER))
    throw new Invalid("counter", `must be a whole number from 0 to ${MAX_COUNTER}`);
  const totpStep = TOTP_TYPES.includes(input.type) ? parseTotpStep(input.totp_step ?? 30) : null;
  const secret: TokenSecret =
    input.type === "yk"
      ? {
          private_id: hex("private_id", input.private_id, [6, 6]),
          aes_key: hex("aes_key", input.aes_key, [16, 16]),
        }
      : { secret: hex("secret", input.secret, [16, 64]) };
  return { type: input.type, serial, totp_step: totpStep, counter, secret };
}

export function parseTotpStep(value: number): number {
  if (!(TOTP_STEPS as readonly number[]).includes(value))
    throw new Invalid("totp_step", `must be one of ${TOTP_STEPS.join(", ")} seconds`);
  return value;
}

/** research/duo-api.md §4.4: a type and serial name one token of the account at most. */
export async function assertSerialFree(
  ctx: UseCaseContext,
  token: { type: TokenType; serial: string },
): Promise<void> {
  const taken = await ctx.tx
    .selectFrom("hardware_tokens")
    .select("id")
    .where("account_id", "=", ctx.accountId)
    .where("type", "=", token.type)
    .where("serial", "=", token.serial)
    .executeTakeFirst();
  if (taken)
    throw new Conflict(
      `a ${token.type} token with serial ${token.serial} already exists`,
      undefined,
      "serial",
    );
}
