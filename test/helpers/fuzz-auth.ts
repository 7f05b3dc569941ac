import { randomBytes, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { newSecretKey } from "../../src/db/ids.js";
import type { RegisteredRoute } from "../../src/http/app.js";
import { canonicalString, sign } from "../../src/http/duo/canonical.js";
import type { Credentials } from "./duo.js";
import {
  insertBypassCode,
  insertPhone,
  insertToken,
  newBase32Secret,
  startSmsGateway,
  yubikeyOtp,
} from "./factors.js";
import { insertApplication, insertUser } from "./fixtures.js";
import { type Draft, encode, mutate } from "./fuzz-requests.js";
import type { FuzzTarget } from "./fuzz-target.js";
import { signBytes } from "./signed-bytes.js";

/**
 * The Auth API door for the fuzz test (issue 14): /auth/v2 and the legacy /rest/v1, correctly
 * signed, their parameters drawn per name from values that reach every path (users of every
 * standing, right and wrong passcodes of every kind, txids seen and never seen), then made
 * hostile in one spot as the other doors' requests are (fuzz-requests.ts mutate).
 */

/** Stands for a txid the server gave out earlier in the run; the test fills it in when sending. */
export class SeenTxid {
  [fc.toStringMethod](): string {
    return "SeenTxid";
  }
}

/** An unlimited bypass code (reuse_count 0): a right passcode every time it is drawn. */
const RIGHT_BYPASS = "135792468";

export interface AuthFuzzFixtures {
  authApi: Credentials;
  unix: Credentials;
  /** Per parameter name, the values a request draws from. */
  values: Record<string, fc.Arbitrary<unknown>>;
  /** The parameter names the door's handlers read. */
  vocabulary: string[];
  close(): Promise<void>;
}

/**
 * Users of every standing in the target's parent account (and its stranger's `zed`), with every
 * kind of device, an SMS gateway that accepts every message, an Auth API application and a Unix
 * one with legacy clients on.
 */
export async function addAuthFixtures(target: FuzzTarget): Promise<AuthFuzzFixtures> {
  const { db } = target;
  const secrets = target.app.secrets;
  const [parentId = ""] = await db
    .selectFrom("applications")
    .select("account_id")
    .where("id", "=", target.adminApi.ikey)
    .execute()
    .then((rows) => rows.map((row) => row.account_id));
  const gateway = await startSmsGateway();
  await db
    .updateTable("account_settings")
    .set({ sms_gateway_url: gateway.url })
    .where("account_id", "=", parentId)
    .execute();
  const app = async (type: string) => {
    const skey = newSecretKey();
    const ikey = await insertApplication(db, secrets, {
      accountId: parentId,
      type,
      secretKey: skey,
    });
    return { ikey, skey };
  };
  const authApi = await app("authapi");
  const unix = await app("unix");
  await db
    .updateTable("applications")
    .set({ legacy_unix_clients: true })
    .where("id", "=", unix.ikey)
    .execute();
  const user = (username: string) =>
    insertUser(db, parentId, { username, realName: username, groupIds: [] });
  const al = await user("al");
  await insertPhone(db, secrets, {
    accountId: parentId,
    userId: al,
    totpSecret: newBase32Secret(),
  });
  await insertBypassCode(db, {
    accountId: parentId,
    userId: al,
    code: RIGHT_BYPASS,
    reuseCount: 0,
  });
  const hal = await user("hal");
  await insertToken(db, secrets, {
    accountId: parentId,
    userId: hal,
    type: "h6",
    secret: randomBytes(20).toString("hex"),
  });
  const yubikey = {
    aesKey: randomBytes(16).toString("hex"),
    privateId: randomBytes(6).toString("hex"),
    publicId: "vvccccbcgujh",
  };
  const yuki = await user("yuki");
  await insertToken(db, secrets, { accountId: parentId, userId: yuki, type: "yk", ...yubikey });
  const sam = await user("sam");
  const samPhone = await insertPhone(db, secrets, {
    accountId: parentId,
    userId: sam,
    number: "+15551230100",
  });
  for (const [username, status] of [
    ["byron", "bypass"],
    ["dina", "disabled"],
    ["lou", "locked out"],
  ] as const) {
    const id = await user(username);
    await insertBypassCode(db, {
      accountId: parentId,
      userId: id,
      code: RIGHT_BYPASS,
      reuseCount: 0,
    });
    await db.updateTable("users").set({ status }).where("id", "=", id).execute();
  }
  const userIds = (await db.selectFrom("users").select("id").execute()).map((row) => row.id);
  const phoneIds = (await db.selectFrom("phones").select("id").execute()).map((row) => row.id);
  const usernames = ["al", "hal", "yuki", "sam", "byron", "dina", "lou", "ana", "bo", "zed"];
  const passcode = fc.oneof(
    fc.constantFrom(RIGHT_BYPASS, "000000", "1234567", "12345678", "sms", "sms1", "sms2", "push1"),
    fc.constantFrom(...[1, 2, 3].map((use) => yubikeyOtp({ ...yubikey, counter: 1, use }))),
    fc.stringMatching(/^[0-9]{6,9}$/),
    fc.string({ maxLength: 12 }),
  );
  const values: Record<string, fc.Arbitrary<unknown>> = {
    username: fc.oneof(fc.constantFrom(...usernames, "nobody", "AL", " al "), fc.string()),
    user: fc.oneof(fc.constantFrom(...usernames, "nobody", "SAM"), fc.string()),
    user_id: fc.constantFrom(...userIds, "DU999999999999999999", "du999999999999999999"),
    factor: fc.constantFrom("passcode", "passcode", "sms", "prompt", "push", "phone", "auto", "x"),
    passcode,
    auto: passcode,
    prompt: passcode,
    device: fc.constantFrom(...phoneIds, samPhone, "auto", "DP999999999999999999"),
    async: fc.constantFrom("1", "0", "true", "yes"),
    txid: fc.oneof(fc.constant(new SeenTxid()), fc.uuid(), fc.constantFrom("", "not-a-uuid")),
    valid_secs: fc.constantFrom("1", "3600", "0", "2592001", "soon"),
    bypass_codes: fc.constantFrom("0", "2", "10", "11", "-1"),
    activation_code: fc.string({ maxLength: 40 }),
    ipaddr: fc.constantFrom("10.1.2.3", "::1 5555 ::1 22", "host.example", ""),
    hostname: fc.constantFrom("build.example.com", ""),
    text_prompt: fc.constantFrom("1", "0", "maybe"),
    failmode: fc.constantFrom("open", "closed"),
    pushinfo: fc.constant("Server+IP%3D10.0.0.1%26Command%3D"),
  };
  return {
    authApi,
    unix,
    values,
    vocabulary: await authParameterNames(),
    close: () => gateway.close(),
  };
}

/** The names the Auth API doors' handlers read with ParamReader (`.required("txid")`, ...). */
async function authParameterNames(): Promise<string[]> {
  const dir = path.resolve(import.meta.dirname, "../../src/http/auth-api");
  const names = new Set<string>();
  for (const file of (await readdir(dir)).filter((name) => name.endsWith(".ts")))
    for (const match of (await readFile(path.join(dir, file), "utf8")).matchAll(
      /\.(?:string|required|int|bool|oneOf|list|has)\("([a-z_0-9]+)"/g,
    ))
      if (match[1]) names.add(match[1]);
  return [...names].sort();
}

/** What each endpoint reads, by the last segment of its path: most of them go in every request. */
const READS: Record<string, { v2: string[]; legacy: string[] }> = {
  preauth: {
    v2: ["username", "ipaddr", "hostname", "text_prompt"],
    legacy: ["user", "ipaddr", "hostname", "failmode"],
  },
  auth: {
    v2: ["username", "factor", "passcode", "device", "prompt", "async", "ipaddr", "hostname"],
    legacy: ["user", "factor", "auto", "async", "ipaddr", "hostname", "pushinfo"],
  },
  auth_status: { v2: ["txid"], legacy: ["txid"] },
  status: { v2: ["txid"], legacy: ["txid"] },
  enroll: { v2: ["username", "valid_secs", "bypass_codes"], legacy: [] },
  enroll_status: { v2: ["user_id", "activation_code"], legacy: [] },
};

export function isLegacy(route: string): boolean {
  return route.startsWith("/rest/v1/");
}

/** The endpoint an auth-door route is, by the last segment of its path without the extension. */
export function endpointOf(route: string): string {
  return (
    route
      .split("/")
      .at(-1)
      ?.replace(/\.(bson|json)$/, "") ?? ""
  );
}

/**
 * A request to an Auth API route: the parameters its endpoint reads, each present four times in
 * five, a legacy `factor` always `auto`, now and then a name of the vocabulary it does not read;
 * then, one time in two, one spot made hostile.
 */
export function authDraft(
  route: RegisteredRoute,
  fixtures: AuthFuzzFixtures,
  ids: Parameters<typeof mutate>[1],
): fc.Arbitrary<Draft> {
  const legacy = isLegacy(route.url);
  const reads = READS[endpointOf(route.url)]?.[legacy ? "legacy" : "v2"] ?? [];
  const drawValue = (name: string): fc.Arbitrary<unknown> =>
    legacy && name === "factor"
      ? fc.constant("auto")
      : (fixtures.values[name] ?? fc.string({ maxLength: 10 }));
  const present = fc.tuple(
    ...reads.map((name) =>
      fc.option(
        drawValue(name).map((value) => [name, value] as [string, unknown]),
        {
          freq: 4,
        },
      ),
    ),
  );
  const extra = fc.array(
    fc
      .constantFrom(...fixtures.vocabulary)
      .chain((name) => drawValue(name).map((value) => [name, value] as [string, unknown])),
    { maxLength: 2 },
  );
  const base = fc.tuple(present, extra).map(
    ([given, more]): Draft => ({
      method: route.method,
      route: route.url,
      params: {},
      query: [...given.filter((pair): pair is [string, unknown] => pair !== null), ...more],
      body: undefined,
      headers: {},
      mutation: "none",
    }),
  );
  return fc
    .tuple(base, fc.boolean())
    .chain(([draft, hostile]) => (hostile ? mutate(draft, ids) : fc.constant(draft)));
}

/**
 * The draft as a signed request: /auth/v2 as the Duo door's are (v2 with a form body, or v5 with
 * a JSON one); /rest/v1 as duo_unix 1.11 signs (v1: no date, the configured host without its port),
 * or one time in four as 2.0.4 to 2.1 do (v2, with a Date header).
 */
export function signAuthDraft(
  draft: Draft,
  fixtures: AuthFuzzFixtures,
  variant: { version: 2 | 5; legacyDate: boolean },
) {
  if (!isLegacy(draft.route)) {
    const bodyAs = draft.method !== "POST" ? "none" : variant.version === 5 ? "json" : "form";
    const shaped =
      bodyAs === "json" ? { ...draft, body: Object.fromEntries(draft.query), query: [] } : draft;
    const encoded = encode(shaped, bodyAs);
    const request = signBytes({
      ...fixtures.authApi,
      method: draft.method as "GET",
      path: encoded.path,
      query: encoded.query,
      body:
        encoded.body === undefined
          ? { kind: "none" }
          : { kind: bodyAs === "json" ? "json" : "form", bytes: encoded.body },
      version: variant.version,
    });
    return { ...request, headers: { ...request.headers, ...encoded.headers } };
  }
  const encoded = encode(draft, draft.method === "POST" ? "form" : "none");
  if (variant.legacyDate) {
    const request = signBytes({
      ...fixtures.unix,
      method: draft.method as "GET",
      path: encoded.path,
      query: encoded.query,
      body: encoded.body === undefined ? { kind: "none" } : { kind: "form", bytes: encoded.body },
      version: 2,
    });
    return { ...request, headers: { ...request.headers, ...encoded.headers } };
  }
  const params = lenientParams(
    Buffer.concat([
      Buffer.from(encoded.query, "latin1"),
      Buffer.from("&"),
      encoded.body ?? Buffer.alloc(0),
    ]),
  );
  const canonical = canonicalString(1, {
    date: "",
    method: draft.method,
    host: "localhost",
    path: encoded.path,
    params,
    body: Buffer.alloc(0),
    xDuoHeaders: {},
  });
  const signature = sign(fixtures.unix.skey, "sha1", canonical);
  return {
    method: draft.method as "GET" | "POST",
    url: encoded.query ? `${encoded.path}?${encoded.query}` : encoded.path,
    headers: {
      host: "localhost:8443",
      authorization: `Basic ${Buffer.from(`${fixtures.unix.ikey}:${signature}`).toString("base64")}`,
      ...(encoded.body === undefined
        ? {}
        : { "content-type": "application/x-www-form-urlencoded" }),
      ...encoded.headers,
    },
    ...(encoded.body === undefined ? {} : { payload: encoded.body }),
  };
}

/** Parameters as URLSearchParams reads them (what the server reads whenever the text is good). */
function lenientParams(bytes: Buffer): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(bytes.toString("latin1")))
    params.set(key, [...(params.get(key) ?? []), value]);
  return params;
}

/** The draft with every SeenTxid filled in with a txid from `seen` (a fresh UUID while none). */
export function withSeenTxids(draft: Draft, seen: readonly string[], pick: number): Draft {
  const fill = (value: unknown) =>
    value instanceof SeenTxid ? (seen[pick % Math.max(1, seen.length)] ?? randomUUID()) : value;
  return { ...draft, query: draft.query.map(([name, value]) => [name, fill(value)]) };
}
