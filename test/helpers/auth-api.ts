import { createHmac } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { newSecretKey } from "../../src/db/ids.js";
import { readMigrations } from "../../src/db/migrate.js";
import { buildApp } from "../../src/http/app.js";
import { openTestDatabase, type TestDatabase } from "./database.js";
import { type Credentials, signedRequest } from "./duo.js";
import { insertBypassCode, insertPhone, newBase32Secret } from "./factors.js";
import { insertAccount, insertApplication, insertUser } from "./fixtures.js";
import { type JournalEntry, openWriteJournal } from "./write-journal.js";

/**
 * Requests to the Auth API doors as their clients send them: /auth/v2 signed like the official
 * clients (v2, form body; test/helpers/duo.ts), and /rest/v1 signed the way duo_unix 1.11.3 signs
 * (research/auth-protocols.md §1.3), written out here from that description rather than taken
 * from the server's own canonical string, so a test of the legacy door checks the server against
 * the client and not against itself.
 */

export type Params = Record<string, string | string[]>;

function pairs(params: Params): [string, string][] {
  return Object.entries(params).flatMap(([key, value]) =>
    [value].flat().map((item) => [key, item] as [string, string]),
  );
}

/** A form body or query string as the official clients send one. */
export function formOf(params: Params): string {
  return new URLSearchParams(pairs(params)).toString();
}

/** A v2-signed /auth/v2 request for app.inject: parameters in the query (GET) or a form body (POST). */
export function authRequest(
  credentials: Credentials,
  method: "GET" | "POST",
  path: string,
  params: Params = {},
  options: { date?: string; digest?: "sha1" | "sha512" } = {},
) {
  const form = formOf(params);
  return signedRequest({
    ...credentials,
    method,
    url: method === "GET" && form ? `${path}?${form}` : path,
    ...(method === "POST"
      ? { body: form, contentType: "application/x-www-form-urlencoded" }
      : { body: undefined }),
    ...options,
  });
}

/** duo_unix's urlenc: every byte but A-Z a-z 0-9 _ ~ . - as %XX in upper case (a space is %20). */
function duoUnixEncode(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9_~.-]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * A request as duo_unix 1.11.3 sends it: `k=v` strings sorted whole with strcmp and joined with
 * `&` (the POST body, or the query after an always-present `?`), HMAC-SHA1 over METHOD, the
 * configured host without its port, the path and that string, four lines; no date, no Date header.
 */
export function legacyRequest(
  credentials: Credentials,
  method: "GET" | "POST",
  path: string,
  params: Params = {},
  options: { host?: string; port?: number } = {},
) {
  const host = options.host ?? "localhost";
  const qs = pairs(params)
    .map(([key, value]) => `${duoUnixEncode(key)}=${duoUnixEncode(value)}`)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .join("&");
  const canonical = [method, host, path, qs].join("\n");
  const signature = createHmac("sha1", credentials.skey).update(canonical).digest("hex");
  return {
    method,
    url: method === "GET" ? `${path}?${qs}` : path,
    headers: {
      host: `${host}:${options.port ?? 8443}`,
      "user-agent": "login_duo/1.11.3 (x86_64-pc-linux-gnu) libduo/1.11.3",
      authorization: `Basic ${Buffer.from(`${credentials.ikey}:${signature}`).toString("base64")}`,
      ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    ...(method === "POST" ? { payload: qs } : {}),
  };
}

/** BSON element types (research/auth-protocols.md §1.5) that a test names. */
export const BSON_TYPE = { double: 0x01, string: 0x02, document: 0x03, int32: 0x10, int64: 0x12 };

/** The value lengths of the types duo_unix 1.11 can skip; any other type makes it exit(-5). */
const VALUE_LENGTH: Record<number, (buffer: Buffer, at: number) => number> = {
  1: () => 8, // double
  2: (b, at) => 4 + b.readInt32LE(at), // string
  3: (b, at) => b.readInt32LE(at), // document
  4: (b, at) => b.readInt32LE(at), // array
  8: () => 1, // boolean
  9: () => 8, // UTC datetime
  10: () => 0, // null
  16: () => 4, // int32
  17: () => 8, // timestamp
  18: () => 8, // int64
};

export interface BsonElement {
  type: number;
  /** The value's bytes. */
  value: Buffer;
}

/**
 * The elements of one BSON document, read from its bytes (the bson package hands back a
 * JavaScript number for an int32, an int64 and a double alike, and a test must tell them apart).
 * Throws on what duo_unix could not read: a size that is not the body's, or an unknown type.
 */
export function bsonElements(bytes: Uint8Array): Map<string, BsonElement> {
  const buffer = Buffer.from(bytes);
  const size = buffer.readInt32LE(0);
  if (size !== buffer.length)
    throw new Error(`the document says ${size} bytes, the body has ${buffer.length}`);
  if (buffer.readUInt8(size - 1) !== 0) throw new Error("the document does not end with a NUL");
  const elements = new Map<string, BsonElement>();
  let at = 4;
  while (at < size - 1) {
    const type = buffer.readUInt8(at);
    const nameEnd = buffer.indexOf(0, at + 1);
    const name = buffer.toString("utf8", at + 1, nameEnd);
    const length = VALUE_LENGTH[type];
    if (!length) throw new Error(`${name} has BSON type 0x${type.toString(16)}: duo_unix exits`);
    const start = nameEnd + 1;
    at = start + length(buffer, start);
    elements.set(name, { type, value: buffer.subarray(start, at) });
  }
  return elements;
}

/** Each element's type byte, by name. */
export function bsonElementTypes(bytes: Uint8Array): Record<string, number> {
  return Object.fromEntries([...bsonElements(bytes)].map(([name, { type }]) => [name, type]));
}

/** alice's unlimited bypass code in the doors fixture. */
export const DOORS_BYPASS_CODE = "246813579";

/** The keys a doors test signs with: each authenticating type, and each type that must be refused. */
export type DoorKeys = Record<
  "authapi" | "authapi2" | "unix" | "unixOff" | "adminapi" | "accountsapi" | "websdk",
  Credentials
>;

export interface DoorsFixture {
  app: FastifyInstance;
  /** The same server with a limit of `limitPerSecond` Auth API requests per application. */
  limited: FastifyInstance;
  database: TestDatabase;
  keys: DoorKeys;
  /** alice: an authenticator app (`totpSecret`) and an unlimited bypass code (`bypassCode`). */
  totpSecret: string;
  bypassCode: string;
  /** Every row written since the last call (test/helpers/write-journal.ts). */
  writesSince(): Promise<JournalEntry[]>;
  close(): Promise<void>;
}

/**
 * One account with a key of every integration type (a Unix one with legacy clients on, another
 * with them off), alice who can authenticate and bob who has no device; the app twice on one
 * database, the second with a small rate limit; the write journal on.
 */
export async function openDoorsFixture(limitPerSecond: number): Promise<DoorsFixture> {
  const database = await openTestDatabase();
  const options = {
    database: database.handle,
    secrets: database.secrets,
    migrations: await readMigrations(),
  };
  const app = await buildApp(options);
  const limited = await buildApp({ ...options, authRequestsPerSecond: limitPerSecond });
  const db = database.handle.db;
  const accountId = await insertAccount(db, { name: "Acme" });
  const credentials = async (type: string, grants: string[] = []): Promise<Credentials> => {
    const skey = newSecretKey();
    const ikey = await insertApplication(db, database.secrets, {
      accountId,
      type,
      secretKey: skey,
      grants: grants as never,
    });
    return { ikey, skey };
  };
  const keys: DoorKeys = {
    authapi: await credentials("authapi"),
    authapi2: await credentials("authapi"),
    unix: await credentials("unix"),
    unixOff: await credentials("unix"),
    adminapi: await credentials("adminapi", [
      "adminapi_info",
      "adminapi_read_resource",
      "adminapi_write_resource",
    ]),
    accountsapi: await credentials("accountsapi"),
    websdk: await credentials("websdk"),
  };
  await db
    .updateTable("applications")
    .set({ legacy_unix_clients: true })
    .where("id", "=", keys.unix.ikey)
    .execute();
  const totpSecret = newBase32Secret();
  const bypassCode = DOORS_BYPASS_CODE;
  const alice = await insertUser(db, accountId, { username: "alice", realName: "A", groupIds: [] });
  await insertPhone(db, database.secrets, { accountId, userId: alice, totpSecret });
  // Unlimited (reuse_count 0): a right passcode for as many tests as need one.
  await insertBypassCode(db, { accountId, userId: alice, code: bypassCode, reuseCount: 0 });
  await insertUser(db, accountId, { username: "bob", realName: "B", groupIds: [] });
  const writesSince = await openWriteJournal(db);
  return {
    app,
    limited,
    database,
    keys,
    totpSecret,
    bypassCode,
    writesSince,
    async close() {
      await app.close();
      await limited.close();
      await database.close();
    },
  };
}
