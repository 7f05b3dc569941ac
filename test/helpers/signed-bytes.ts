import { canonicalString, sign } from "../../src/http/duo/canonical.js";

export type DuoBody =
  | { kind: "none" }
  | { kind: "form"; bytes: Buffer }
  | { kind: "json"; bytes: Buffer };

/**
 * A Duo request signed as a client would sign it, for bytes no client library would send (NUL,
 * lone surrogates, invalid UTF-8): the parameters are read as URLSearchParams reads them, which is
 * what the server reads whenever the text is good, so a request the guard lets through still
 * authenticates and reaches its handler.
 */
export function signBytes(options: {
  ikey: string;
  skey: string;
  method: "GET" | "POST" | "DELETE";
  path: string;
  /** The query string as sent, already percent-encoded, without `?`. */
  query: string;
  body: DuoBody;
  version: 2 | 5;
}) {
  const date = new Date().toUTCString();
  const host = "127.0.0.1";
  const query = lenientParams(Buffer.from(options.query, "latin1"));
  const form = options.body.kind === "form" ? lenientParams(options.body.bytes) : new Map();
  const params = options.version === 5 ? query : new Map([...query, ...form]);
  const body = options.body.kind === "none" ? Buffer.alloc(0) : options.body.bytes;
  const canonical = canonicalString(options.version, {
    date,
    method: options.method,
    host,
    path: options.path,
    params,
    body,
    xDuoHeaders: {},
  });
  const signature = sign(options.skey, "sha512", canonical);
  const contentType =
    options.body.kind === "form"
      ? "application/x-www-form-urlencoded"
      : options.body.kind === "json"
        ? "application/json"
        : undefined;
  return {
    method: options.method,
    url: options.query ? `${options.path}?${options.query}` : options.path,
    headers: {
      host,
      date,
      authorization: `Basic ${Buffer.from(`${options.ikey}:${signature}`).toString("base64")}`,
      ...(contentType ? { "content-type": contentType } : {}),
    },
    ...(options.body.kind === "none" ? {} : { payload: body }),
  };
}

function lenientParams(bytes: Buffer): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(bytes.toString("latin1")))
    params.set(key, [...(params.get(key) ?? []), value]);
  return params;
}
