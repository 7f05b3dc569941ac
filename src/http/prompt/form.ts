import type { FastifyRequest } from "fastify";
import { Invalid } from "../../domain/errors.js";
import { parseFormText } from "../strict-decoding.js";

/** A form's or a query string's values, each name with every value it was given. */
export type FormValues = ReadonlyMap<string, readonly string[]>;

const EMPTY: FormValues = new Map();

/** The form body the prompt's content parser read (none: empty). */
export function formOf(request: FastifyRequest): FormValues {
  return request.body instanceof Map ? (request.body as FormValues) : EMPTY;
}

/** The query string, decoded as strictly as form bodies (strict-decoding.ts). */
export function queryOf(request: FastifyRequest): FormValues {
  const url = request.raw.url ?? "";
  const at = url.indexOf("?");
  if (at < 0) return EMPTY;
  const parsed = parseFormText(Buffer.from(url.slice(at + 1), "latin1"));
  if (!parsed.ok) throw new Invalid(parsed.bad.field, parsed.bad.why);
  return parsed.value;
}

/** One parameter's value; a parameter sent twice is refused by name rather than guessed at. */
export function single(values: FormValues, name: string): string | undefined {
  const all = values.get(name);
  if (all === undefined) return undefined;
  if (all.length > 1) throw new Invalid(name, "was given more than once");
  return all[0];
}
