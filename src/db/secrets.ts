import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmod, open, readFile } from "node:fs/promises";
import path from "node:path";

/**
 * Encrypts secrets at rest (API secret keys, TOTP seeds) with AES-256-GCM. The row's id is bound
 * as additional data, so a ciphertext copied into another row does not decrypt.
 * Format: `gh1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export interface SecretBox {
  readonly keyId: string;
  seal(plaintext: string, rowId: string): string;
  open(sealed: string, rowId: string): string;
}

const VERSION = "gh1";

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error("the secret key must be 32 bytes");
  const keyId = createHash("sha256").update(key).digest("hex").slice(0, 8);
  return {
    keyId,
    seal(plaintext, rowId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(rowId));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [VERSION, keyId, iv, ciphertext, cipher.getAuthTag()]
        .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
        .join(".");
    },
    open(sealed, rowId) {
      const [version, sealedKeyId, iv, ciphertext, tag] = sealed.split(".");
      if (
        version !== VERSION ||
        iv === undefined ||
        ciphertext === undefined ||
        tag === undefined
      ) {
        throw new Error("not a sealed secret");
      }
      if (sealedKeyId !== keyId) {
        throw new Error(
          `secret was sealed with key ${sealedKeyId}, but GATEHOUSE_SECRET_KEY is key ${keyId}`,
        );
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(rowId));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, "base64url")),
        decipher.final(),
      ]).toString("utf8");
    },
  };
}

/** Reads a 32-byte key given as 64 hex characters or as base64/base64url. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, "base64url");
  if (key.length !== 32) {
    throw new Error(
      "GATEHOUSE_SECRET_KEY must be 32 bytes, as 64 hex characters or 43-44 base64 characters",
    );
  }
  return key;
}

export const SECRET_KEY_FILE = "secret.key";

/**
 * The key from GATEHOUSE_SECRET_KEY; on the embedded database without it, the key kept in the data
 * directory (created once, mode 0600). A PostgreSQL deployment must set it: several instances share
 * one database, and a key on one machine's disk would lock the others out of the secrets.
 */
export async function loadSecretKey(options: {
  secretKey: string | undefined;
  dataDir: string | undefined;
}): Promise<Buffer> {
  if (options.secretKey) return parseSecretKey(options.secretKey);
  if (!options.dataDir) {
    throw new Error(
      "GATEHOUSE_SECRET_KEY is required with DATABASE_URL (generate one with: openssl rand -hex 32)",
    );
  }
  const file = path.join(options.dataDir, SECRET_KEY_FILE);
  try {
    return parseSecretKey(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = randomBytes(32);
  await writeDurably(file, `${key.toString("hex")}\n`);
  return key;
}

/**
 * Creates `file` (0600, never over an existing one) and puts it and its directory entry on disk
 * before returning: rows sealed with a key that a power cut then takes away could never be read.
 */
async function writeDurably(file: string, text: string): Promise<void> {
  const handle = await open(file, "wx", 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // The mode given to open is narrowed by the umask, never widened; chmod makes it exact.
  await chmod(file, 0o600);
  const dir = await open(path.dirname(file), "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
