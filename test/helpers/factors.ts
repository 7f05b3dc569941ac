import { createCipheriv, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import * as OTPAuth from "otpauth";
import type { Executor } from "../../src/db/executor.js";
import { newId } from "../../src/db/ids.js";
import type { TokenType } from "../../src/db/schema.js";
import type { SecretBox } from "../../src/db/secrets.js";
import { sealBypassCode } from "../../src/domain/bypass-codes/codes.js";

/**
 * Devices and codes for authentication tests. Codes are made here independently of the code under
 * test: TOTP and HOTP with the otpauth library, YubiKey OTPs by encrypting a token the way the key
 * itself does (Yubico's format: research/auth-protocols.md §4).
 */

export async function insertPhone(
  db: Executor,
  secrets: SecretBox,
  input: {
    accountId: string;
    userId: string;
    number?: string;
    type?: "Mobile" | "Landline" | "Unknown";
    /** Base32: an activated authenticator app. */
    totpSecret?: string;
  },
): Promise<string> {
  const id = newId("phone");
  await db
    .insertInto("phones")
    .values({
      id,
      account_id: input.accountId,
      number: input.number ?? "",
      type: input.type ?? "Mobile",
      activated: input.totpSecret !== undefined,
      totp_secret_enc: input.totpSecret === undefined ? null : secrets.seal(input.totpSecret, id),
    })
    .execute();
  await db
    .insertInto("user_phones")
    .values({ user_id: input.userId, phone_id: id, account_id: input.accountId })
    .execute();
  return id;
}

export async function insertToken(
  db: Executor,
  secrets: SecretBox,
  input: {
    accountId: string;
    userId: string;
    type: Exclude<TokenType, "d1">;
    serial?: string;
    /** Hex: HOTP and TOTP tokens. */
    secret?: string;
    counter?: number;
    totpStep?: 30 | 60;
    /** Hex: YubiKeys. */
    privateId?: string;
    aesKey?: string;
  },
): Promise<string> {
  const id = newId("hardwareToken");
  const sealed =
    input.type === "yk"
      ? { private_id: input.privateId, aes_key: input.aesKey }
      : { secret: input.secret };
  await db
    .insertInto("hardware_tokens")
    .values({
      id,
      account_id: input.accountId,
      type: input.type,
      serial: input.serial ?? id.slice(-8),
      counter: input.type === "h6" || input.type === "h8" ? (input.counter ?? 0) : null,
      totp_step: input.type === "t6" || input.type === "t8" ? (input.totpStep ?? 30) : null,
      secret_enc: secrets.seal(JSON.stringify(sealed), id),
    })
    .execute();
  await db
    .insertInto("user_hardware_tokens")
    .values({ user_id: input.userId, token_id: id, account_id: input.accountId })
    .execute();
  return id;
}

export async function insertBypassCode(
  db: Executor,
  input: { accountId: string; userId: string; code: string; reuseCount?: number; expiresAt?: Date },
): Promise<string> {
  const id = newId("bypassCode");
  const reuse = input.reuseCount ?? 1;
  await db
    .insertInto("bypass_codes")
    .values({
      id,
      account_id: input.accountId,
      user_id: input.userId,
      ...sealBypassCode(input.code),
      reuse_count: reuse,
      remaining_uses: reuse === 0 ? null : reuse,
      created_by: "test",
      expires_at: input.expiresAt ?? null,
    })
    .execute();
  return id;
}

/** The authenticator app's code for a base32 secret at a time (otpauth, not the code under test). */
export function appCode(secretBase32: string, at = Date.now()): string {
  return OTPAuth.TOTP.generate({
    secret: OTPAuth.Secret.fromBase32(secretBase32),
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    timestamp: at,
  });
}

export function hotpCode(secretHex: string, counter: number, digits = 6): string {
  return OTPAuth.HOTP.generate({
    secret: OTPAuth.Secret.fromHex(secretHex),
    algorithm: "SHA1",
    digits,
    counter,
  });
}

export function totpTokenCode(secretHex: string, at: number, digits = 6, period = 30): string {
  return OTPAuth.TOTP.generate({
    secret: OTPAuth.Secret.fromHex(secretHex),
    algorithm: "SHA1",
    digits,
    period,
    timestamp: at,
  });
}

export function newBase32Secret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

const MODHEX = "cbdefghijklnrtuv";

function toModhex(bytes: Uint8Array): string {
  return [...bytes].map((byte) => (MODHEX[byte >> 4] ?? "") + (MODHEX[byte & 15] ?? "")).join("");
}

function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc;
}

/** A YubiKey OTP as the key types it: the public id, then the token encrypted with AES-128-ECB. */
export function yubikeyOtp(input: {
  aesKey: string;
  privateId: string;
  publicId: string;
  counter: number;
  use: number;
}): string {
  const token = Buffer.alloc(16);
  Buffer.from(input.privateId, "hex").copy(token, 0);
  token.writeUInt16LE(input.counter, 6);
  token.writeUInt16LE(randomBytes(2).readUInt16LE(0), 8);
  token.writeUInt8(randomBytes(1)[0] ?? 0, 10);
  token.writeUInt8(input.use, 11);
  randomBytes(2).copy(token, 12);
  token.writeUInt16LE(~crc16(token.subarray(0, 14)) & 0xffff, 14);
  const cipher = createCipheriv("aes-128-ecb", Buffer.from(input.aesKey, "hex"), null);
  cipher.setAutoPadding(false);
  return input.publicId + toModhex(Buffer.concat([cipher.update(token), cipher.final()]));
}

export interface SmsMessage {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A local HTTP server standing in for an SMS gateway: it keeps every request it receives. */
export async function startSmsGateway(status = 200): Promise<{
  url: string;
  messages: SmsMessage[];
  setStatus(code: number): void;
  close(): Promise<void>;
}> {
  const messages: SmsMessage[] = [];
  let answer = status;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      messages.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(answer, { "content-type": "application/json" });
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/send`,
    messages,
    setStatus(code) {
      answer = code;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
