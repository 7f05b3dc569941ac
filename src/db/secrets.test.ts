import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSecretBox, loadSecretKey, parseSecretKey, SECRET_KEY_FILE } from "./secrets.js";

describe("secret box", () => {
  const box = createSecretBox(randomBytes(32));

  it("round-trips and never repeats a ciphertext", () => {
    const a = box.seal("a 40 character secret key for the tests", "DI1");
    const b = box.seal("a 40 character secret key for the tests", "DI1");
    expect(a).not.toEqual(b);
    expect(box.open(a, "DI1")).toBe("a 40 character secret key for the tests");
    expect(a).not.toContain("secret");
  });

  it("refuses a ciphertext moved to another row", () => {
    const sealed = box.seal("s3cret", "DI1");
    expect(() => box.open(sealed, "DI2")).toThrow();
  });

  it("refuses a tampered ciphertext", () => {
    const sealed = box.seal("s3cret", "DI1");
    const parts = sealed.split(".");
    parts[3] = Buffer.from("x").toString("base64url");
    expect(() => box.open(parts.join("."), "DI1")).toThrow();
  });

  it("names the key when a secret was sealed with another one", () => {
    const other = createSecretBox(randomBytes(32));
    expect(() => other.open(box.seal("s3cret", "DI1"), "DI1")).toThrow(/sealed with key/);
  });

  it("reads keys as hex or base64 and refuses the wrong length", () => {
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString("hex"))).toEqual(key);
    expect(parseSecretKey(key.toString("base64"))).toEqual(key);
    expect(() => parseSecretKey("too-short")).toThrow(/32 bytes/);
  });

  it("keeps a generated key in the data directory, mode 0600, and reuses it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "gatehouse-key-"));
    try {
      const first = await loadSecretKey({ secretKey: undefined, dataDir: dir });
      const second = await loadSecretKey({ secretKey: undefined, dataDir: dir });
      expect(second).toEqual(first);
      const file = path.join(dir, SECRET_KEY_FILE);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await readFile(file, "utf8")).trim()).toBe(first.toString("hex"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("requires GATEHOUSE_SECRET_KEY on PostgreSQL", async () => {
    await expect(loadSecretKey({ secretKey: undefined, dataDir: undefined })).rejects.toThrow(
      /GATEHOUSE_SECRET_KEY/,
    );
  });
});
