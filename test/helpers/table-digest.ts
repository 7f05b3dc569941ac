import { type Kysely, sql } from "kysely";
import type { Database } from "../../src/db/schema.js";

/**
 * A fingerprint of every row the server keeps, to prove a refused request wrote nothing. Left out:
 * the audit log (it records denied attempts by design, R-AUD-1: callers check it apart), the
 * sign-in throttle (it counts failed attempts by design, R-ADM-4) and a session's last_seen_at
 * (the idle timeout's clock, touched by any request of a signed-in admin).
 */
const NOT_DIGESTED = new Set(["audit_log", "sign_in_throttle", "migrations"]);
const TOUCHED_COLUMNS = ["last_seen_at"];

export async function tableDigester(
  db: Kysely<Database>,
): Promise<() => Promise<Record<string, string>>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
    db,
  );
  const names = tables.rows.map((row) => row.name).filter((name) => !NOT_DIGESTED.has(name));
  const row = (name: string) =>
    `(to_jsonb(${name}) - array[${TOUCHED_COLUMNS.map((c) => `'${c}'`).join(", ")}]::text[])::text`;
  const query = names
    .map(
      (name) =>
        `select '${name}' as name, md5(coalesce(string_agg(${row(name)}, '|' order by ${row(name)}), '')) as digest from ${name}`,
    )
    .join(" union all ");
  return async () => {
    const result = await sql<{ name: string; digest: string }>`${sql.raw(query)}`.execute(db);
    return Object.fromEntries(result.rows.map((r) => [r.name, r.digest]));
  };
}
