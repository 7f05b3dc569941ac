import { type Kysely, sql } from "kysely";
import type { Database } from "../../src/db/schema.js";

export interface JournalEntry {
  table: string;
  op: string;
  /** For an audit record, its action (access_denied, ...). */
  action: string | null;
}

/**
 * Every committed row change in the test's own database, journalled by triggers, so the fuzz test
 * can tell after each request, in one cheap query, whether it wrote anything: a digest of every
 * table per request costs more than the request. A change rolled back is journalled and rolled
 * back with it, so only what a request left behind counts. A session's last_seen_at alone (the
 * idle timeout's clock, touched by any signed-in request) is not a change.
 */
export async function openWriteJournal(
  db: Kysely<Database>,
): Promise<() => Promise<JournalEntry[]>> {
  await sql`
    create table fuzz_write_journal (
      id bigserial primary key, table_name text not null, op text not null, action text)`.execute(
    db,
  );
  await sql`
    create function fuzz_journal_write() returns trigger language plpgsql as $$
    declare
      changed jsonb := to_jsonb(coalesce(NEW, OLD));
    begin
      if TG_OP = 'UPDATE' and (to_jsonb(NEW) - 'last_seen_at') = (to_jsonb(OLD) - 'last_seen_at') then
        return null;
      end if;
      insert into fuzz_write_journal (table_name, op, action)
        values (TG_TABLE_NAME, TG_OP, changed ->> 'action');
      return null;
    end $$`.execute(db);
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
      and table_name <> 'fuzz_write_journal'`.execute(db);
  for (const { name } of tables.rows)
    await sql`${sql.raw(`create trigger fuzz_journal after insert or update or delete on ${name}
      for each row execute function fuzz_journal_write()`)}`.execute(db);
  let seen = 0;
  return async () => {
    const rows = await sql<{ id: string; table_name: string; op: string; action: string | null }>`
      select id, table_name, op, action from fuzz_write_journal where id > ${seen} order by id`.execute(
      db,
    );
    seen = Number(rows.rows.at(-1)?.id ?? seen);
    return rows.rows.map((row) => ({ table: row.table_name, op: row.op, action: row.action }));
  };
}
