import fc from "fast-check";

/**
 * Values for the fuzz test: good ones generated from a route's JSON schema (what TypeBox
 * registers), and the bad ones a hostile client sends instead.
 */

/** Bytes that are not UTF-8, carried through a request as they are (see encode in fuzz-requests). */
export class RawBytes {
  constructor(readonly bytes: Buffer) {}
  [fc.toStringMethod](): string {
    return `RawBytes(${this.bytes.toString("hex")})`;
  }
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
}

/** Ids the server holds, by their two-letter prefix (DU, DG, ...), for well-formed requests. */
export type KnownIds = Record<string, string[]>;

const ID_PATTERN = /^\^([A-Z]{2})\[0-9A-Z\]\{18\}\$$/;
const missingId = (prefix: string) => `${prefix}${"9".repeat(18)}`;

export function idFor(prefix: string, ids: KnownIds): fc.Arbitrary<string> {
  return fc.constantFrom(...(ids[prefix] ?? []), missingId(prefix));
}

/** A value the schema accepts (mostly: patterns are followed, ids are real or well-formed). */
export function valueFor(schema: JsonSchema, ids: KnownIds): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((option) => valueFor(option, ids)));
  const type = [schema.type ?? "unknown"].flat()[0];
  switch (type) {
    case "string": {
      const id = schema.pattern ? ID_PATTERN.exec(schema.pattern) : null;
      if (id?.[1]) return idFor(id[1], ids);
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      const minLength = schema.minLength ?? 0;
      return fc.string({
        minLength,
        maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 12, 12)),
      });
    }
    case "integer":
      return fc.integer({ min: schema.minimum ?? -5, max: Math.min(schema.maximum ?? 1000, 1000) });
    case "number":
      return fc.double({ min: schema.minimum ?? -5, max: schema.maximum ?? 1000, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(valueFor(schema.items ?? {}, ids), {
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case "object":
      return objectFor(schema, ids);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectFor(schema: JsonSchema, ids: KnownIds): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [name, valueFor(property, ids)]),
  );
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
}

const INVALID_UTF8 = [
  [0xff],
  [0x80],
  [0xc0, 0x80], // an overlong NUL
  [0xed, 0xa0, 0x80], // a surrogate encoded as if it were a character
  [0xe2, 0x82], // cut short
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
].map((bytes) => Buffer.from(bytes));

/** Text that is not text: NUL, lone surrogates, invalid UTF-8 (as RawBytes), around good text. */
export const badText: fc.Arbitrary<string | RawBytes> = fc.oneof(
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "x\udc00", "\udbff\udbff", "ok\u0000"),
  fc
    .constantFrom(...INVALID_UTF8)
    .map((bytes) => new RawBytes(Buffer.concat([Buffer.from("ab"), bytes]))),
);

/** Arrays or objects nested `depth` deep, kept as a recipe: written out only as JSON text. */
export class Deep {
  constructor(
    readonly depth: number,
    readonly asObject: boolean,
  ) {}
  get json(): string {
    const [open, close] = this.asObject ? ['{"a":', "}"] : ["[", "]"];
    return `${open.repeat(this.depth)}"deep"${close.repeat(this.depth)}`;
  }
  [fc.toStringMethod](): string {
    return `Deep(${this.depth}, ${this.asObject ? "objects" : "arrays"})`;
  }
}

/** What a field should not be: huge, of the wrong type, deeply nested, or bad text. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  badText,
  fc.constantFrom("a".repeat(100_000), "é".repeat(30_000), "🙂".repeat(20_000)),
  fc.constantFrom(0, -1, 1e308, 2 ** 53 + 1, true, false, null, [], {}, ["x"], { a: 1 }, ""),
  fc.constantFrom(40, 1_000, 20_000).chain((depth) => fc.boolean().map((o) => new Deep(depth, o))),
);

/** Cursors this server never gave out, including ones that decode to bad text. */
export const badCursor: fc.Arbitrary<string | RawBytes> = fc.oneof(
  badText,
  fc
    .constantFrom(
      ["a\u0000", "DU000000000000000000"],
      ["\ud800", "x"],
      ["a", 1],
      { key: "a" },
      "not an array",
    )
    .map((value) => Buffer.from(JSON.stringify(value)).toString("base64url")),
  fc.constantFrom(
    "!!!",
    "%%%",
    "A".repeat(600),
    "eyJ",
    Buffer.from([0xff, 0xfe]).toString("base64url"),
  ),
);

/** Ids that are wrong: another shape, another kind, missing, or bad text inside. */
export function badId(prefix: string, ids: KnownIds): fc.Arbitrary<string | RawBytes> {
  const other = Object.values(ids).flat();
  return fc.oneof(
    badText,
    fc.constantFrom(
      missingId(prefix),
      missingId(prefix).toLowerCase(),
      `${prefix}1`,
      `${missingId(prefix)}0`,
      "..",
      "%2e%2e",
      `${prefix}\u0000${"9".repeat(17)}`,
      "9".repeat(5000),
    ),
    other.length > 0 ? fc.constantFrom(...other) : fc.constant(missingId("DZ")),
  );
}

/** A path parameter's id kind, from its name (Duo's routes declare no schema). */
export function prefixOfParam(name: string): string {
  const kinds: [RegExp, string][] = [
    [/activation/i, "DX"],
    [/user/i, "DU"],
    [/group/i, "DG"],
    [/phone/i, "DP"],
    [/token/i, "DH"],
    [/admin/i, "DE"],
    [/code/i, "DB"],
    [/integration|application/i, "DI"],
    [/unit/i, "DN"],
    [/account/i, "DA"],
  ];
  return kinds.find(([pattern]) => pattern.test(name))?.[1] ?? "DZ";
}
