import { findBadText } from "../../domain/text-guard.js";
import {
  checkHeaders,
  checkPath,
  type Decoded,
  parseFormText,
  parseJsonText,
  parseQueryText,
} from "../strict-decoding.js";
import type { Params } from "./canonical.js";
import { DuoError } from "./errors.js";

/**
 * Request parameters as Duo clients send them (research/duo-api.md §1.5): the query string, a form
 * body (v2) or a JSON object body (v5). Values are kept as strings, as the clients signed them.
 * Reading them is the door's text guard too: a name or value that is not UTF-8, holds a NUL or a
 * lone surrogate is refused here, naming the parameter, before the signature is checked or anything
 * reaches the database (PostgreSQL refuses NUL; U+FFFD would be stored in place of what was sent).
 */
export function parseQuery(url: string): Params {
  return orRefuse(parseQueryText(url));
}

/** `application/x-www-form-urlencoded`: `+` is a space, keys may repeat. */
export function parseForm(body: Uint8Array): Params {
  return orRefuse(parseFormText(body));
}

/** A v5 JSON body: a top-level object; scalars as their text (`true`, `10`), arrays item by item. */
export function parseJsonBody(body: Uint8Array): Params {
  const parsed = orRefuse(parseJsonText(body));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new DuoError(400, 40002, "Invalid request parameters", "the body must be a JSON object");
  const params = new Map<string, string[]>();
  for (const [key, value] of Object.entries(parsed)) {
    const items = Array.isArray(value) ? value : [value];
    params.set(
      key,
      items.map((item) => (typeof item === "string" ? item : JSON.stringify(item))),
    );
  }
  return params;
}

/** The request's path and the headers the server stores (User-Agent in the audit log) are text. */
export function checkPathAndHeaders(request: {
  url: string;
  headers: Record<string, string | string[] | undefined>;
}): void {
  const bad = checkPath(request.url) ?? checkHeaders(request.headers);
  if (bad) throw invalid(bad.field, bad.why);
}

/** A request to one of the Duo-style doors, read: its raw body, its parameters by where they came from, and all of them. */
export interface ReadRequest {
  body: Buffer;
  query: Params;
  form: Params;
  params: Params;
}

/**
 * The door's text guard on the path and headers, then the parameters (§1.5): the query string, a
 * form body, or a JSON object body by its content type. `formBodies`: duo_unix before 2.2 sends
 * form bodies whatever its content type says, so a POST body is read as a form.
 */
export function readRequest(
  request: {
    method: string;
    url: string;
    headers: Record<string, string | string[] | undefined>;
    body: unknown;
  },
  options: { formBodies?: boolean } = {},
): ReadRequest {
  checkPathAndHeaders(request);
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const type = String(request.headers["content-type"] ?? "")
    .split(";")[0]
    ?.trim();
  const query = parseQuery(request.url);
  const asForm = options.formBodies
    ? request.method === "POST"
    : type === "application/x-www-form-urlencoded";
  const form = asForm ? parseForm(body) : new Map();
  const json =
    !asForm && type === "application/json" && body.length > 0 ? parseJsonBody(body) : new Map();
  return { body, query, form, params: mergeParams(query, form, json) };
}

function orRefuse<T>(decoded: Decoded<T>): T {
  if (!decoded.ok) throw invalid(decoded.bad.field, decoded.bad.why);
  return decoded.value;
}

export function mergeParams(...sources: Params[]): Params {
  const merged = new Map<string, string[]>();
  for (const source of sources)
    for (const [key, values] of source) merged.set(key, [...(merged.get(key) ?? []), ...values]);
  return merged;
}

const TRUE = new Set(["1", "true", "True", "TRUE"]);
const FALSE = new Set(["0", "false", "False", "FALSE"]);

/**
 * Typed reads of one request's parameters. Every failure is Duo's 400 40002 with a detail naming
 * the parameter and the rule, so a script's author can fix the call.
 */
export class ParamReader {
  constructor(private readonly params: Params) {}

  has(name: string): boolean {
    return this.params.has(name);
  }

  string(name: string, rule: { max?: number; required?: boolean } = {}): string | undefined {
    const values = this.params.get(name);
    if (values === undefined || values.length === 0) {
      if (rule.required) throw invalid(name, "is required");
      return undefined;
    }
    if (values.length > 1) throw invalid(name, "must be given once");
    const value = values[0] ?? "";
    if (rule.max !== undefined && value.length > rule.max)
      throw invalid(name, `must be at most ${rule.max} characters`);
    return value;
  }

  required(name: string, rule: { max?: number } = {}): string {
    return this.string(name, { ...rule, required: true }) as string;
  }

  int(name: string, rule: { min: number; max: number }): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!/^-?\d+$/.test(text)) throw invalid(name, "must be a whole number");
    const value = Number(text);
    if (value < rule.min || value > rule.max)
      throw invalid(name, `must be between ${rule.min} and ${rule.max}`);
    return value;
  }

  /** §1.5: "1"/"0", "true"/"false" (any case PowerShell sends), JSON true/false. */
  bool(name: string): boolean | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (TRUE.has(text)) return true;
    if (FALSE.has(text)) return false;
    throw invalid(name, 'must be "true" or "false"');
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(text))
      throw invalid(name, `must be one of ${allowed.join(", ")}`);
    return text as T;
  }

  /** A list as repeated keys, a comma-separated string, or a JSON array string (§1.5). */
  list(name: string): string[] | undefined {
    const values = this.params.get(name);
    if (values === undefined) return undefined;
    if (values.length !== 1) return [...values];
    const text = (values[0] ?? "").trim();
    if (text.startsWith("[")) {
      let items: string[] | undefined;
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) items = parsed.map(String);
      } catch {}
      if (items === undefined) throw invalid(name, "must be a JSON array of strings");
      // The array's escapes (`\u0000`) were text until parsed: its items pass the text guard too.
      const bad = findBadText(items, name);
      if (bad) throw invalid(bad.field, bad.why);
      return items;
    }
    return text === "" ? [] : text.split(",").map((item) => item.trim());
  }
}

export function invalid(name: string, why: string): DuoError {
  return new DuoError(400, 40002, "Invalid request parameters", `${name}: ${why}`);
}
