import { takeRuleIds } from "../rules/ids.js";
import { ApiError } from "./client.js";

/**
 * The server's sentence about one input field (an ApiError whose `field` names it), without the
 * "field: " the domain error puts first and without rule ids (a field's error is words; the rules
 * show as links in the page's refusals and on the Rules page); undefined for any other error.
 */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError) || error.field !== field) return undefined;
  const prefix = `${field}: `;
  const message = error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
  return takeRuleIds(message).text;
}

/** A refusal that is not about one of `fields` (those show on their input instead). */
export function formError(error: unknown, fields: readonly string[]): unknown {
  if (error instanceof ApiError && error.field && fields.includes(error.field)) return null;
  return error;
}
