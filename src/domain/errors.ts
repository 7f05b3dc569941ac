/**
 * Typed domain errors. Each door (panel API, Duo API, CLI) maps them to its own wire shape in one
 * place; a Forbidden always names the SPEC rule that decided it (R-AUD-2).
 */
export type DomainErrorCode =
  | "not_found"
  | "forbidden"
  | "conflict"
  | "invalid"
  | "unauthorized"
  | "rate_limited"
  | "unavailable";

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  /** The SPEC rule behind the error, when one decided it. */
  readonly rule?: string;
  /** A sentence an admin understands, naming the facts. */
  readonly reason?: string;
  /** The input field at fault. */
  readonly field?: string;
}

export class NotFound extends DomainError {
  readonly code = "not_found";
  constructor(
    readonly kind: string,
    readonly id: string,
    message?: string,
  ) {
    super(message ?? `${kind} ${id} was not found`);
  }
}

export class Forbidden extends DomainError {
  readonly code = "forbidden";
  constructor(
    override readonly rule: string,
    override readonly reason: string,
  ) {
    super(`${rule}: ${reason}`);
  }
}

export class Conflict extends DomainError {
  readonly code = "conflict";
  constructor(
    message: string,
    override readonly rule?: string,
    override readonly field?: string,
  ) {
    super(message);
  }
}

export class Invalid extends DomainError {
  readonly code = "invalid";
  constructor(
    override readonly field: string,
    readonly why: string,
  ) {
    super(`${field}: ${why}`);
  }
}

/** Not signed in, or a sign-in step failed. The message never says which fact was wrong (R-ADM-4). */
export class Unauthorized extends DomainError {
  readonly code = "unauthorized";
}

export class RateLimited extends DomainError {
  readonly code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts from this address; try again in ${retryAfterSeconds} seconds`);
  }
}

/**
 * A service Gatehouse relies on (the mail server) did not do its part, so nothing was changed; the
 * same request may succeed later. The message says which service and why, in plain words.
 */
export class Unavailable extends DomainError {
  readonly code = "unavailable";
}
