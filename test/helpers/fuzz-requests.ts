import fc from "fast-check";
import type { RegisteredRoute } from "../../src/http/app.js";
import {
  badCursor,
  badId,
  badText,
  Deep,
  hostileValue,
  idFor,
  type JsonSchema,
  type KnownIds,
  prefixOfParam,
  RawBytes,
  valueFor,
} from "./fuzz-values.js";

/**
 * One request of the fuzz test, before encoding: a route's path parameters, query and body, of
 * which exactly one spot has been made hostile (`mutation` says which, for the failure message).
 */
export interface Draft {
  method: string;
  route: string;
  params: Record<string, unknown>;
  query: [string, unknown][];
  body: unknown;
  headers: Record<string, string>;
  mutation: string;
}

/** Encoded: what app.inject sends. */
export interface Encoded {
  method: string;
  url: string;
  path: string;
  query: string;
  body: Buffer | undefined;
  headers: Record<string, string>;
}

const paramNames = (url: string) => [...url.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1] ?? "");

/** A panel request from the route's schemas (params, querystring, body), made hostile in one spot. */
export function panelDraft(route: RegisteredRoute, ids: KnownIds): fc.Arbitrary<Draft> {
  const schema = (route.schema ?? {}) as Record<string, JsonSchema | undefined>;
  const paramsSchema: JsonSchema = schema.params ?? {
    type: "object",
    properties: Object.fromEntries(paramNames(route.url).map((n) => [n, { type: "string" }])),
    required: paramNames(route.url),
  };
  const base = fc.record({
    params: valueFor(paramsSchema, ids),
    query: schema.querystring ? valueFor(schema.querystring, ids) : fc.constant({}),
    body: schema.body ? valueFor(schema.body, ids) : fc.constant(undefined),
  });
  return base.chain(({ params, query, body }) =>
    mutate(
      {
        method: route.method,
        route: route.url,
        params: params as Record<string, unknown>,
        query: Object.entries(query as Record<string, unknown>),
        body,
        headers: {},
        mutation: "",
      },
      ids,
    ),
  );
}

/**
 * A Duo request: its routes declare no schema (the door reads parameters by name with
 * ParamReader), so parameters are drawn from `vocabulary`, the names the door's source reads.
 */
export function duoDraft(
  route: RegisteredRoute,
  ids: KnownIds,
  vocabulary: readonly string[],
): fc.Arbitrary<Draft> {
  const simple = fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.integer({ min: -1, max: 500 }).map(String),
    fc.constantFrom("true", "false", "active", "disabled", "mobile", "h6"),
    fc.constantFrom(...Object.values(ids).flat()),
  );
  const params = fc.record(
    Object.fromEntries(paramNames(route.url).map((n) => [n, idFor(prefixOfParam(n), ids)])),
  );
  const query = fc.array(fc.tuple(fc.constantFrom(...vocabulary), simple), { maxLength: 4 });
  return fc.tuple(params, query).chain(([p, q]) =>
    mutate(
      {
        method: route.method,
        route: route.url,
        params: p,
        query: q,
        body: undefined,
        headers: {},
        mutation: "",
      },
      ids,
    ),
  );
}

/** Makes one spot hostile: a path parameter, a query name or value, a body field or key, a header. */
export function mutate(draft: Draft, ids: KnownIds): fc.Arbitrary<Draft> {
  const spots: fc.Arbitrary<Draft>[] = [
    badText.map((value) => ({
      ...draft,
      query: [...draft.query, [value instanceof RawBytes ? "ok" : value, "1"]],
      mutation: "a query parameter name",
    })),
    fc.constantFrom("user-agent", "x-forwarded-for").chain((name) =>
      fc.constantFrom("a\u0000b", "\u0000").map((value) => ({
        ...draft,
        headers: { [name]: value },
        mutation: `header ${name}`,
      })),
    ),
    fc.constantFrom("after", "offset", "limit", "next_offset").chain((name) =>
      badCursor.map((value) => ({
        ...draft,
        query: [...draft.query, [name, value]] as [string, unknown][],
        mutation: `cursor ${name}`,
      })),
    ),
  ];
  for (const name of Object.keys(draft.params))
    spots.push(
      badId(prefixOfParam(name), ids).map((value) => ({
        ...draft,
        params: { ...draft.params, [name]: value },
        mutation: `path ${name}`,
      })),
    );
  for (const [index, [name]] of draft.query.entries())
    spots.push(
      (name === "after" ? badCursor : hostileValue).map((value) => ({
        ...draft,
        query: draft.query.map((pair, i) => (i === index ? [name, value] : pair)),
        mutation: `query ${name}`,
      })),
    );
  if (isObject(draft.body)) {
    const body = draft.body;
    for (const name of Object.keys(body))
      spots.push(
        hostileValue.map((value) => ({
          ...draft,
          body: { ...body, [name]: value },
          mutation: `body ${name}`,
        })),
      );
    spots.push(
      badText.map((key) => ({
        ...draft,
        body: {
          ...body,
          [key instanceof RawBytes ? "ok" : key]: key instanceof RawBytes ? key : "x",
        },
        mutation: "a body key",
      })),
      hostileValue.map((value) => ({ ...draft, body: value, mutation: "the whole body" })),
    );
  }
  return fc.oneof(...spots);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The draft as bytes: RawBytes go out as they are, nothing is re-encoded or repaired. */
export function encode(draft: Draft, bodyAs: "json" | "form" | "none"): Encoded {
  const path = draft.route.replace(/:([A-Za-z_]+)/g, (_, name: string) =>
    percent(draft.params[name] ?? "", false),
  );
  const pairs = (entries: [string, unknown][]) =>
    entries.map(([name, value]) => `${percent(name, true)}=${percent(value, true)}`).join("&");
  let body: Buffer | undefined;
  let query = pairs(draft.query);
  if (bodyAs === "json" && draft.body !== undefined) body = Buffer.concat(jsonBytes(draft.body));
  if (bodyAs === "form") {
    body = Buffer.from(query, "latin1");
    query = "";
  }
  return {
    method: draft.method,
    path,
    query,
    url: query ? `${path}?${query}` : path,
    body,
    headers: draft.headers,
  };
}

function percent(value: unknown, inQuery: boolean): string {
  const bytes =
    value instanceof RawBytes
      ? value.bytes
      : value instanceof Deep
        ? Buffer.from(value.json)
        : Buffer.from(typeof value === "string" ? value : (JSON.stringify(value) ?? ""), "utf8");
  let out = "";
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    out +=
      /[A-Za-z0-9_.~-]/.test(char) || (!inQuery && char === "%")
        ? char
        : `%${byte.toString(16).padStart(2, "0").toUpperCase()}`;
  }
  return out;
}

/** JSON text built piece by piece: deep nesting without recursion limits, RawBytes inside strings. */
function jsonBytes(value: unknown): Buffer[] {
  const out: Buffer[] = [];
  const pending: unknown[] = [value];
  const literal = (text: string) => new Literal(text);
  while (pending.length > 0) {
    const item = pending.pop();
    if (item instanceof Literal) out.push(Buffer.from(item.text));
    else if (item instanceof Deep) out.push(Buffer.from(item.json));
    else if (item instanceof RawBytes) out.push(Buffer.from('"'), item.bytes, Buffer.from('"'));
    else if (Array.isArray(item)) {
      const parts: unknown[] = [literal("[")];
      for (const [i, child] of item.entries()) parts.push(...(i ? [literal(",")] : []), child);
      pending.push(...[...parts, literal("]")].reverse());
    } else if (isObject(item)) {
      const parts: unknown[] = [literal("{")];
      for (const [i, [key, child]] of Object.entries(item).entries())
        parts.push(literal(`${i ? "," : ""}${JSON.stringify(key)}:`), child);
      pending.push(...[...parts, literal("}")].reverse());
    } else out.push(Buffer.from(JSON.stringify(item) ?? "null"));
  }
  return out;
}

class Literal {
  constructor(readonly text: string) {}
}
