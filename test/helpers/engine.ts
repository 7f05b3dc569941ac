/**
 * The suite runs on embedded PGlite by default, and on a PostgreSQL server when TEST_DATABASE_URL
 * is set (CI does both). A separate variable from DATABASE_URL, because the tests create and drop
 * databases on that server.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;
export const TEST_ENGINE: "pglite" | "postgres" = TEST_DATABASE_URL ? "postgres" : "pglite";

/** The same server's maintenance database, for CREATE/DROP DATABASE. */
export function adminUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = "/postgres";
  return parsed.toString();
}

export function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
