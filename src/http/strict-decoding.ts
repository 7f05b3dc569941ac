import { type BadText, findBadText, joinField, whyNotText } from "../domain/text-guard.js";

/**
 * Request bytes to text without guessing: invalid UTF-8 is refused, naming the field it is in,
 * where the platform's decoders would silently turn it into U+FFFD and store that.
 */

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const NOT_UTF8 = "is not valid UTF-8 text";

/** Stands where invalid bytes were, so the field holding them can be found after parsing. */
const INVALID_BYTES_MARK = "\udfff";

export type Decoded<T> = { ok: true; value: T } | { ok: false; bad: BadText };

export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A JSON body: strict UTF-8, then every key and string at any depth checked (findBadText). The
 * field named is the one holding the first bad text (or "body" when the JSON itself is broken).
 */
export function parseJsonText(bytes: Uint8Array): Decoded<unknown> {
  const text = decodeUtf8(bytes);
  if (text === undefined) return { ok: false, bad: locateInvalidUtf8(bytes) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, bad: { field: "body", why: "is not valid JSON" } };
  }
  const bad = findBadText(value, "") ?? prototypeKey(value, "");
  return bad ? { ok: false, bad: { ...bad, field: bad.field || "body" } } : { ok: true, value };
}

/**
 * As Fastify's own JSON parser: keys that could reach an object's prototype are refused. Called
 * once findBadText has bounded the depth, so the recursion is bounded too.
 */
function prototypeKey(value: unknown, path: string): BadText | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const at = joinField(path, key);
    const poisons =
      key === "__proto__" ||
      (key === "constructor" &&
        typeof child === "object" &&
        child !== null &&
        "prototype" in child);
    if (poisons) return { field: at, why: "is a name that could reach an object's prototype" };
    const bad = prototypeKey(child, at);
    if (bad) return bad;
  }
  return undefined;
}

/** Which field held the invalid bytes: the body is parsed again with a mark in their place. */
function locateInvalidUtf8(bytes: Uint8Array): BadText {
  try {
    const marked: unknown = JSON.parse(markInvalidBytes(bytes));
    const found = findMark(marked);
    if (found !== undefined) return { field: found || "body", why: NOT_UTF8 };
  } catch {}
  return { field: "body", why: NOT_UTF8 };
}

function findMark(value: unknown): string | undefined {
  // findBadText stops at the first lone surrogate: the mark, or a surrogate sent as such (refused too).
  return findBadText(value, "")?.field.replace(/\\udfff/g, "\ufffd");
}

/** The bytes as text, each maximal run of invalid UTF-8 replaced by INVALID_BYTES_MARK. */
function markInvalidBytes(bytes: Uint8Array): string {
  let text = "";
  let start = 0;
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes, at);
    if (length > 0) {
      at += length;
      continue;
    }
    text += lenientUtf8.decode(bytes.subarray(start, at)) + INVALID_BYTES_MARK;
    at += 1;
    while (at < bytes.length && sequenceLength(bytes, at) === 0) at += 1;
    start = at;
  }
  return text + lenientUtf8.decode(bytes.subarray(start));
}

/** The length of the well-formed UTF-8 sequence at `at` (Unicode table 3-7), or 0 if it is not one. */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const first = bytes[at] ?? 0;
  if (first < 0x80) return 1;
  const [length, low, high] =
    first >= 0xc2 && first <= 0xdf
      ? [2, 0x80, 0xbf]
      : first === 0xe0
        ? [3, 0xa0, 0xbf]
        : first === 0xed
          ? [3, 0x80, 0x9f]
          : first >= 0xe1 && first <= 0xef
            ? [3, 0x80, 0xbf]
            : first === 0xf0
              ? [4, 0x90, 0xbf]
              : first >= 0xf1 && first <= 0xf3
                ? [4, 0x80, 0xbf]
                : first === 0xf4
                  ? [4, 0x80, 0x8f]
                  : [0, 0, 0];
  if (length === 0 || at + length > bytes.length) return 0;
  const second = bytes[at + 1] ?? 0;
  if (second < low || second > high) return 0;
  for (let i = 2; i < length; i++) {
    const next = bytes[at + i] ?? 0;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

/**
 * `application/x-www-form-urlencoded` as the WHATWG URL standard parses it (what URLSearchParams
 * does), except that a name or value whose percent-decoded bytes are not UTF-8 is refused instead
 * of decoded to U+FFFD, and one that is not text (NUL, lone surrogate) is refused too.
 */
export function parseFormText(bytes: Uint8Array): Decoded<Map<string, string[]>> {
  const params = new Map<string, string[]>();
  for (const sequence of split(bytes, 0x26 /* & */)) {
    if (sequence.length === 0) continue;
    const equals = sequence.indexOf(0x3d /* = */);
    const rawName = equals < 0 ? sequence : sequence.subarray(0, equals);
    const rawValue = equals < 0 ? new Uint8Array(0) : sequence.subarray(equals + 1);
    const name = decodeUtf8(percentDecode(rawName));
    if (name === undefined)
      return {
        ok: false,
        bad: { field: lenientUtf8.decode(percentDecode(rawName)), why: NOT_UTF8 },
      };
    const nameWhy = whyNotText(name);
    if (nameWhy)
      return {
        ok: false,
        bad: { field: joinField("", name), why: `(a parameter name) ${nameWhy}` },
      };
    const value = decodeUtf8(percentDecode(rawValue));
    if (value === undefined) return { ok: false, bad: { field: name, why: NOT_UTF8 } };
    const valueWhy = whyNotText(value);
    if (valueWhy) return { ok: false, bad: { field: name, why: valueWhy } };
    params.set(name, [...(params.get(name) ?? []), value]);
  }
  return { ok: true, value: params };
}

/** The query string of a request target (what follows `?`), parsed as a form. */
export function parseQueryText(url: string): Decoded<Map<string, string[]>> {
  const query = url.indexOf("?");
  return query < 0 ? { ok: true, value: new Map() } : parseFormText(utf8(url.slice(query + 1)));
}

/** The path of a request target, percent-decoded: refused when that is not UTF-8 or not text. */
export function checkPath(url: string): BadText | undefined {
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  const decoded = decodeUtf8(percentDecode(utf8(path), false));
  if (decoded === undefined) return { field: "path", why: NOT_UTF8 };
  const why = whyNotText(decoded);
  return why ? { field: "path", why } : undefined;
}

/** Header values the server stores (User-Agent, X-Forwarded-For in the audit log) must be text too. */
export function checkHeaders(
  headers: Record<string, string | string[] | undefined>,
): BadText | undefined {
  for (const [name, value] of Object.entries(headers)) {
    for (const item of [value ?? []].flat()) {
      const why = whyNotText(item);
      if (why) return { field: `header ${name}`, why };
    }
  }
  return undefined;
}

function utf8(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}

function* split(bytes: Uint8Array, separator: number): Generator<Uint8Array> {
  let start = 0;
  for (let at = bytes.indexOf(separator); at >= 0; at = bytes.indexOf(separator, start)) {
    yield bytes.subarray(start, at);
    start = at + 1;
  }
  yield bytes.subarray(start);
}

/** WHATWG percent-decode; in a form (not a path) `+` is a space. A `%` not followed by two hex digits stays. */
function percentDecode(bytes: Uint8Array, plusIsSpace = true): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let at = 0; at < bytes.length; at++) {
    const byte = bytes[at] ?? 0;
    const high = hexValue(bytes[at + 1]);
    const low = hexValue(bytes[at + 2]);
    if (byte === 0x25 && high !== undefined && low !== undefined) {
      out[length++] = high * 16 + low;
      at += 2;
    } else out[length++] = plusIsSpace && byte === 0x2b ? 0x20 : byte;
  }
  return out.subarray(0, length);
}

function hexValue(byte: number | undefined): number | undefined {
  if (byte === undefined) return undefined;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return undefined;
}
