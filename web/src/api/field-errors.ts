import { ApiError } from "./client.js";

/**
 * The server's sentence about one input field (an ApiError whose `field` names it), without the
 * "field: " the domain error puts first; undefined for any other error.
 */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError) || error.field !== field) return undefined;
  const prefix = `${field}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** A refusal that is not about one of `fields` (those show on their input instead). */
export function formError(error: unknown, fields: readonly string[]): unknown {
  if (error instanceof ApiError && error.field && fields.includes(error.field)) return null;
  return error;
}
