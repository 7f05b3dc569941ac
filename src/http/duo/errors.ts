/**
 * A failure as Duo's APIs report it (research/duo-api.md §2.2): the HTTP status, Duo's five-digit
 * code, its message, and an optional detail. The Duo door maps every error to one of these.
 */
export class DuoError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}
