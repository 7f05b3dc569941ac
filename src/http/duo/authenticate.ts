import { timingSafeEqual } from "node:crypto";
import type { ApiGrant } from "../../authz/index.js";
import type { Executor } from "../../db/executor.js";
import type { SecretBox } from "../../db/secrets.js";
import { whyNotText } from "../../domain/text-guard.js";
import {
  canonicalString,
  type Digest,
  type Params,
  type SignatureVersion,
  type SignedRequest,
  sha512Hex,
  sign,
  xDuoHeadersHash,
} from "./canonical.js";
import { DuoError } from "./errors.js";

/** Duo's own mock refuses requests more than 300 s from its clock (research/duo-api.md §1.2). */
export const CLOCK_SKEW_MS = 300_000;

/** An Admin API or Accounts API integration whose signature checked out. */
export interface ApiIntegration {
  id: string;
  name: string;
  accountId: string;
  type: "adminapi" | "accountsapi";
  grants: ApiGrant[];
}

/** The row of the tenant a request acts in, read in the same query as the integration's keys. */
export interface ActingTenant {
  /** The account acted in: the integration's own, or the one `account_id` named. */
  accountId: string;
  tenantId: string;
  /** The tenant's authz_version as this query saw it (src/domain/authorization.ts). */
  version: number;
}

/**
 * Decrypted secret keys, keyed by the integration and the sealed text the request reads with its
 * row anyway: a changed key is a new sealed text (sealing draws a fresh IV), so it misses; a
 * deleted integration has no row to read. Nothing here is trusted without that read. Bounded: the
 * oldest entry goes when full.
 */
export class SecretKeyCache {
  readonly #keys = new Map<string, { sealed: string; secretKey: string }>();

  constructor(private readonly size = 10_000) {}

  open(secrets: SecretBox, integrationKey: string, sealed: string): string {
    const hit = this.#keys.get(integrationKey);
    if (hit?.sealed === sealed) return hit.secretKey;
    const secretKey = secrets.open(sealed, integrationKey);
    this.#keys.delete(integrationKey);
    if (this.#keys.size >= this.size) this.#keys.delete(this.#keys.keys().next().value as string);
    this.#keys.set(integrationKey, { sealed, secretKey });
    return secretKey;
  }
}

/** The request as received: what the client signed is rebuilt from these. */
export interface ReceivedRequest {
  method: string;
  /** The request target as sent, e.g. `/admin/v1/users?limit=10`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Decoded query parameters. */
  query: Params;
  /** Decoded form-body parameters (empty for a JSON or empty body). */
  form: Params;
  /** The body bytes exactly as received (v4 and v5 hash them). */
  body: Buffer;
  /** The API hostname(s) this server is configured to answer as, if any. */
  apiHostnames: readonly string[];
}

/**
 * research/duo-api.md §1.8: credentials, integration key, date within the skew, then the
 * signature, trying every (version, digest, host) a known client could have used, compared in
 * constant time. A stale date fails however well signed, which is what refuses a replay.
 *
 * The same query reads the row of the tenant the request will act in (`actingIn`, an account id a
 * parameter named, or else the integration's own account), so that authentication and the route's
 * authorization gate cost the request one round trip; that row is used only once the signature
 * checks out. `tenant` is undefined when no such account exists.
 */
export async function authenticate(
  executor: Executor,
  keys: { secrets: SecretBox; cache: SecretKeyCache },
  request: ReceivedRequest & { actingIn?: string },
  now = Date.now(),
): Promise<{ integration: ApiIntegration; tenant: ActingTenant | undefined }> {
  const credentials = parseAuthorization(request.headers.authorization);
  const actingIn = request.actingIn;
  const row = await executor
    .selectFrom("applications as app")
    .leftJoin("accounts as a", (join) =>
      actingIn === undefined
        ? join.onRef("a.id", "=", "app.account_id")
        : join.on("a.id", "=", actingIn),
    )
    .leftJoin("accounts as t", "t.id", "a.tenant_id")
    .select([
      "app.id",
      "app.name",
      "app.account_id",
      "app.type",
      "app.grants",
      "app.secret_key_enc",
      "a.id as acting_id",
      "t.id as tenant_id",
      "t.authz_version",
    ])
    .where("app.id", "=", credentials.ikey)
    .executeTakeFirst();
  if (!row) throw new DuoError(401, 40102, "Invalid integration key in request credentials");
  verifySignature(keys, row, credentials.signature, request, now);
  requireType(row, ADMIN_API_TYPES, "the Admin API and the Accounts API");
  const integration: ApiIntegration = {
    id: row.id,
    name: row.name,
    accountId: row.account_id,
    type: row.type as ApiIntegration["type"],
    grants: row.grants as ApiGrant[],
  };
  const tenant =
    row.acting_id === null || row.tenant_id === null || row.authz_version === null
      ? undefined
      : { accountId: row.acting_id, tenantId: row.tenant_id, version: Number(row.authz_version) };
  return { integration, tenant };
}

/** The integration types each door serves (R-AUTH-1: a key of one API never calls another). */
export const ADMIN_API_TYPES = ["adminapi", "accountsapi"] as const;
export const AUTH_API_TYPES = ["authapi", "unix"] as const;

const TYPE_NAMES: Record<string, string> = {
  adminapi: "an Admin API application",
  accountsapi: "an Accounts API application",
  authapi: "an Auth API application",
  unix: "a Unix application",
};

/**
 * §1.8 step 6: a key whose signature checked out, but of an integration another API serves, is
 * refused as Duo refuses it (403 40301, research/duo-api.md §7), saying which API it belongs to.
 */
export function requireType(row: { type: string }, types: readonly string[], api: string): void {
  if (!types.includes(row.type))
    throw new DuoError(
      403,
      40301,
      "Access forbidden",
      `this integration key is ${TYPE_NAMES[row.type] ?? `a ${row.type} application`}; it cannot call ${api}`,
    );
}

/**
 * §1.8 steps 3-5: the date is within the skew, then the signature matches one a known client could
 * have made (v2, v4, v5), compared in constant time. A stale date fails however well signed,
 * which is what refuses a replay.
 */
export function verifySignature(
  keys: { secrets: SecretBox; cache: SecretKeyCache },
  row: { id: string; secret_key_enc: string },
  signature: string,
  request: ReceivedRequest,
  now = Date.now(),
): void {
  const date = header(request.headers, "x-duo-date") ?? header(request.headers, "date");
  if (date === undefined) throw new DuoError(401, 40104, "Missing request date header");
  const sentAt = Date.parse(date);
  if (Number.isNaN(sentAt)) throw new DuoError(401, 40104, "Invalid request date header");
  if (Math.abs(now - sentAt) > CLOCK_SKEW_MS)
    throw new DuoError(
      401,
      40105,
      "Request date is outside the allowed clock skew",
      `the server's time is ${new Date(now).toUTCString()}; requests must be within ${CLOCK_SKEW_MS / 1000} seconds of it`,
    );
  const secretKey = keys.cache.open(keys.secrets, row.id, row.secret_key_enc);
  if (!signatureMatches(secretKey, signature, { ...request, date }))
    throw new DuoError(401, 40103, "Invalid signature in request credentials");
}

export function parseAuthorization(value: string | string[] | undefined): {
  ikey: string;
  signature: string;
} {
  const text = typeof value === "string" ? value : undefined;
  const match = text ? /^Basic ([A-Za-z0-9+/=]+)$/.exec(text) : null;
  const decoded = match?.[1] ? Buffer.from(match[1], "base64").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  // Decoded from base64, past the door's text guard: an ikey with a NUL would fail in PostgreSQL.
  if (colon <= 0 || whyNotText(decoded) !== undefined)
    throw new DuoError(401, 40101, "Missing request credentials");
  return { ikey: decoded.slice(0, colon), signature: decoded.slice(colon + 1) };
}

export function header(headers: ReceivedRequest["headers"], name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" ? value : undefined;
}

/** §1.6: the host as each client signs it: the Host header as sent, lowercased, without its port; the configured names. */
export function hostCandidates(request: ReceivedRequest): string[] {
  const sent = header(request.headers, "host") ?? "";
  const withoutPort = sent.replace(/:\d+$/, "");
  return [
    ...new Set([
      sent,
      sent.toLowerCase(),
      withoutPort,
      withoutPort.toLowerCase(),
      ...request.apiHostnames.flatMap((name) => [name, name.toLowerCase()]),
    ]),
  ].filter((host) => host !== "");
}

export function union(a: Params, b: Params): Params {
  const merged = new Map<string, string[]>();
  for (const params of [a, b])
    for (const [key, values] of params) merged.set(key, [...(merged.get(key) ?? []), ...values]);
  return merged;
}

function signatureMatches(
  secretKey: string,
  signature: string,
  request: ReceivedRequest & { date: string },
): boolean {
  // §1.1: the hex length says the digest: 40 is SHA-1 (v2), 128 is SHA-512 (v2, v4, v5). v1 is
  // not accepted: it does not sign the date, so a captured request could be replayed forever.
  const digest: Digest | undefined =
    signature.length === 40 ? "sha1" : signature.length === 128 ? "sha512" : undefined;
  if (!digest || !/^[0-9a-f]+$/.test(signature)) return false;
  const given = Buffer.from(signature, "utf8");
  // v2 first: the cheapest to rebuild (it hashes no body), and what most clients sign.
  const versions: SignatureVersion[] = digest === "sha1" ? [2] : [2, 5, 4];
  const path = request.url.split("?")[0] ?? "";
  const withForm = union(request.query, request.form);
  // v4 and v5 hash the body and the X-Duo headers: once, and only when v2 did not match.
  let hashes: { bodyHash: string; headersHash: string } | undefined;
  for (const version of versions) {
    if (version !== 2)
      hashes ??= {
        bodyHash: sha512Hex(request.body),
        headersHash: xDuoHeadersHash(request.headers),
      };
    // §1.4: v5 signs the query only; the others the query and the form body together.
    const params = version === 5 ? request.query : withForm;
    const repeated = [...params.values()].some((values) => values.length > 1);
    for (const host of hostCandidates(request)) {
      for (const sortValues of repeated ? [true, false] : [true]) {
        const signed: SignedRequest = {
          date: request.date,
          method: request.method,
          host,
          path,
          params,
          sortValues,
          body: request.body,
          xDuoHeaders: request.headers,
          ...hashes,
        };
        const expected = Buffer.from(sign(secretKey, digest, canonicalString(version, signed)));
        // Each comparison takes the same time however close it comes; a mismatch compares every
        // candidate, and a match stops at once (that it matched is what the answer says anyway).
        if (timingSafeEqual(expected, given)) return true;
      }
    }
  }
  return false;
}
