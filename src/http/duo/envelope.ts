import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { DomainError, RateLimited } from "../../domain/errors.js";
import { DuoError } from "./errors.js";
import { invalid, type ParamReader } from "./params.js";

/** Duo's timestamps (`created`, `last_login`, `expiration`, ...): whole seconds since the epoch. */
export function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** research/duo-api.md §2.1: success is HTTP 200 and `{"stat":"OK","response":...}`, never 201 or 204. */
export function ok<T>(response: T): { stat: "OK"; response: T } {
  return { stat: "OK", response };
}

/** §3: offset paging as the clients ask for it (`limit`, `offset`), the limit clamped silently. */
export interface OffsetPage {
  limit: number;
  offset: number;
}

export function readPage(
  reader: ParamReader,
  limits: { default: number; max: number },
): OffsetPage {
  const limitText = reader.string("limit");
  const offsetText = reader.string("offset");
  // A limit above the maximum is clamped silently (§3); only its shape is checked.
  if (limitText !== undefined && !/^\d{1,9}$/.test(limitText))
    throw invalid("limit", "must be a whole number");
  if (offsetText !== undefined && !/^\d{1,9}$/.test(offsetText))
    throw invalid("offset", "must be a whole number below 1,000,000,000");
  const asked = limitText === undefined ? limits.default : Number(limitText);
  return {
    limit: Math.min(Math.max(asked, 1), limits.max),
    offset: offsetText === undefined ? 0 : Number(offsetText),
  };
}

/** §3: `next_offset` only while more remain: a null there loops Net::Duo forever. */
export function okPage<T>(items: T[], page: OffsetPage, total: number) {
  const next = page.offset + items.length;
  return {
    stat: "OK" as const,
    response: items,
    metadata: {
      total_objects: total,
      ...(next < total ? { next_offset: next } : {}),
      ...(page.offset > 0 ? { prev_offset: Math.max(0, page.offset - page.limit) } : {}),
    },
  };
}

export interface FailBody {
  stat: "FAIL";
  code: number;
  message: string;
  message_detail?: string;
}

/** §2.2: every error as Duo's FAIL envelope, with Duo's status and code; the SPEC rule in the detail. */
export function toDuoError(error: unknown): DuoError {
  if (error instanceof DuoError) return error;
  if (error instanceof DomainError) {
    const detail = error.rule ? `${error.rule}: ${error.reason ?? error.message}` : error.message;
    switch (error.code) {
      case "not_found":
        return new DuoError(404, 40401, "Resource not found", detail);
      case "forbidden":
        return new DuoError(403, 40301, "Access forbidden", detail);
      case "invalid":
        return new DuoError(400, 40002, "Invalid request parameters", detail);
      case "conflict":
        return new DuoError(400, 40003, "Duplicate resource", detail);
      case "unauthorized":
        return new DuoError(401, 40101, "Missing request credentials", detail);
      case "rate_limited":
        return new DuoError(429, 42901, "Too Many Requests", detail);
      case "unavailable":
        return new DuoError(503, 50301, "Service unavailable", detail);
    }
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation)
    return new DuoError(400, 40002, "Invalid request parameters", fastifyError.message);
  if (fastifyError.statusCode === 404) return new DuoError(404, 40401, "Resource not found");
  if (fastifyError.statusCode === 405) return new DuoError(405, 40501, "Method not allowed");
  if (fastifyError.statusCode === 413)
    return new DuoError(400, 40002, "Invalid request parameters", "the body is too large");
  return new DuoError(500, 50000, "Internal server error");
}

export function failBody(error: DuoError): FailBody {
  return {
    stat: "FAIL",
    code: error.code,
    message: error.message,
    ...(error.detail === undefined ? {} : { message_detail: error.detail }),
  };
}

export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof RateLimited ? error.retryAfterSeconds : undefined;
}

/**
 * A door's error handler: every error as Duo's FAIL envelope with its status, Retry-After on a
 * 429 (the official clients wait and retry), and a 500 logged as `what` failed.
 */
export function duoErrorHandler(what: string) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const duo = toDuoError(error);
    if (duo.status === 500) request.log.error({ err: error }, `${what} request failed`);
    const retryAfter = retryAfterOf(error);
    if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
    return reply.code(duo.status).send(failBody(duo));
  };
}
