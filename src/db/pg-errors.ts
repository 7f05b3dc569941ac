/** The parts of a PostgreSQL error that both drivers expose (node-postgres and PGlite). */
export interface PgErrorInfo {
  code: string;
  constraint: string | undefined;
  detail: string | undefined;
}

export const PG_UNIQUE_VIOLATION = "23505";
export const PG_FOREIGN_KEY_VIOLATION = "23503";
export const PG_CHECK_VIOLATION = "23514";

export function pgErrorInfo(error: unknown): PgErrorInfo | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, constraint, detail } = error as Record<string, unknown>;
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  return {
    code,
    constraint: typeof constraint === "string" ? constraint : undefined,
    detail: typeof detail === "string" ? detail : undefined,
  };
}

export function isConstraintViolation(error: unknown, constraint: string): boolean {
  return pgErrorInfo(error)?.constraint === constraint;
}
