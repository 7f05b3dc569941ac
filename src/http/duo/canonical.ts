import { createHash, createHmac } from "node:crypto";

/**
 * Duo's request signing, server side (research/duo-api.md §1.3, §1.4): the canonical string of each
 * signature version, rebuilt from the decoded parameters, never from the raw query or body.
 */

/** Decoded request parameters: a key may repeat (`users=DU1&users=DU2`). */
export type Params = ReadonlyMap<string, readonly string[]>;

export type SignatureVersion = 1 | 2 | 4 | 5;
export type Digest = "sha1" | "sha512";

/** RFC 5849 §3.4.1.3.2: every byte but A-Z a-z 0-9 - . _ ~ as %XX, uppercase; a space is %20. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * §1.3: keys sorted, `key=value` joined with `&`; empty when none. Python and Perl sort a repeated
 * key's values too; Duo's Node client keeps them in the order it sends them, so a server must be
 * able to rebuild both (`sortValues: false` keeps the order received).
 */
export function canonicalParams(params: Params, sortValues = true): string {
  const keys = [...params.keys()].map((key) => [percentEncode(key), key] as const).sort(byFirst);
  return keys
    .flatMap(([encodedKey, key]) => {
      const values = (params.get(key) ?? []).map(percentEncode);
      if (sortValues) values.sort();
      return values.map((value) => `${encodedKey}=${value}`);
    })
    .join("&");
}

function byFirst(a: readonly [string, string], b: readonly [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

export function sha512Hex(data: string | Buffer): string {
  return createHash("sha512").update(data).digest("hex");
}

/** §1.4, v5: the request headers whose name starts with x-duo, lowercased, sorted, NUL-joined, hashed. */
export function xDuoHeadersHash(headers: Record<string, string | string[] | undefined>): string {
  const named = Object.entries(headers)
    .filter(([name, value]) => name.toLowerCase().startsWith("x-duo") && value !== undefined)
    .map(([name, value]) => [name.toLowerCase(), [value].flat().join(",")] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha512Hex(named.flat().join("\0"));
}

export interface SignedRequest {
  date: string;
  method: string;
  host: string;
  /** The path exactly as sent, before `?`, still percent-encoded (§1.7). */
  path: string;
  /** v1, v2, v4: query and form parameters; v5: the query's only (§1.4). */
  params: Params;
  /** Whether the client sorted a repeated key's values (all but the Node client do); default true. */
  sortValues?: boolean;
  body: Buffer;
  xDuoHeaders: Record<string, string | string[] | undefined>;
  /** sha512Hex(body) and xDuoHeadersHash(xDuoHeaders), when the caller computed them already. */
  bodyHash?: string;
  headersHash?: string;
}

/** §1.4: the lines each version signs, joined with \n and no trailing newline. */
export function canonicalString(version: SignatureVersion, request: SignedRequest): string {
  // The host as the client signed it: most lowercase it, Net::Duo does not (§1.6); callers try both.
  const head = [request.method.toUpperCase(), request.host, request.path];
  const params = canonicalParams(request.params, request.sortValues ?? true);
  switch (version) {
    case 1:
      return [...head, params].join("\n");
    case 2:
      return [request.date, ...head, params].join("\n");
    case 4:
      return [request.date, ...head, params, request.bodyHash ?? sha512Hex(request.body)].join(
        "\n",
      );
    case 5:
      return [
        request.date,
        ...head,
        params,
        request.bodyHash ?? sha512Hex(request.body),
        request.headersHash ?? xDuoHeadersHash(request.xDuoHeaders),
      ].join("\n");
  }
}

/** The lowercase hex HMAC the client puts after `ikey:` in the Authorization header. */
export function sign(secretKey: string, digest: Digest, canonical: string): string {
  return createHmac(digest, Buffer.from(secretKey, "utf8")).update(canonical, "utf8").digest("hex");
}
