/**
 * What may pass the edge of either door as text. PostgreSQL refuses U+0000 in text, and a lone
 * UTF-16 surrogate cannot be encoded as UTF-8 at all: both must be refused at the door, naming the
 * field, rather than fail deep inside a query (a 500) or be silently replaced.
 */
export interface BadText {
  /** The input field at fault: `username`, `aliases.2`, `profile.name`, `path`, `header user-agent`. */
  field: string;
  why: string;
}

/** Deeper than any request either API takes; past it a body is refused before anything recurses over it. */
export const MAX_NESTING = 32;

const NUL = "\u0000";
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string is not text the server keeps, or undefined when it is. */
export function whyNotText(text: string): string | undefined {
  if (text.includes(NUL)) return "contains a NUL character (U+0000), which is not allowed in text";
  if (LONE_SURROGATE.test(text))
    return "contains a lone UTF-16 surrogate (as \\ud800 alone), which is not a character";
  return undefined;
}

/**
 * The first string (object key or value, at any depth) in a parsed value that is not text, or an
 * object or array nested past MAX_NESTING. Iterative, so no input can exhaust the stack.
 */
export function findBadText(value: unknown, path: string): BadText | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: item, path: at, depth } = next;
    if (typeof item === "string") {
      const why = whyNotText(item);
      if (why) return { field: at, why };
      continue;
    }
    if (typeof item !== "object" || item === null) continue;
    if (depth >= MAX_NESTING)
      return { field: at, why: `is nested more than ${MAX_NESTING} levels deep` };
    const entries = Array.isArray(item) ? item.entries() : Object.entries(item);
    const children: { value: unknown; path: string; depth: number }[] = [];
    for (const [key, child] of entries) {
      const childPath = joinField(at, String(key));
      const why = typeof key === "string" ? whyNotText(key) : undefined;
      if (why) return { field: childPath, why: `(a field name) ${why}` };
      children.push({ value: child, path: childPath, depth: depth + 1 });
    }
    // Depth first, in document order: the field reported is the first one a reader would see.
    pending.push(...children.reverse());
  }
  return undefined;
}

/** `a` + `b` → `a.b`, as the panel names nested fields; a name that is not text is shown escaped. */
export function joinField(path: string, key: string): string {
  const shown = printable(key);
  return path ? `${path}.${shown}` : shown;
}

/** A field name fit to echo back in an error: NUL and lone surrogates as `\u` escapes. */
export function printable(name: string): string {
  const asEscape = (bad: string) => `\\u${bad.charCodeAt(0).toString(16).padStart(4, "0")}`;
  return name.replaceAll(NUL, asEscape).replace(new RegExp(LONE_SURROGATE, "g"), asEscape);
}
