import { createHash } from "node:crypto";
import { type RawBuilder, sql } from "kysely";
import pg from "pg";

/**
 * Statements on the hot path of every login (the user's facts, the attempt's commit) are planned
 * by PostgreSQL once per connection, not on every call: a query with several subplans takes longer
 * to plan than to run (bench/auth.ts; EXPLAIN ANALYZE of the subject query: ~2 ms planning, ~0.4
 * ms execution). A statement marked with `prepared` goes to the server as a named prepared
 * statement whose name is derived from its text, so one name is never two statements. PGlite,
 * which has no named statements, runs it as any other; the mark is a comment.
 */
const MARK = "/* prepared:";

export function prepared<T>(name: string, statement: RawBuilder<T>): RawBuilder<T> {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`a prepared statement's name is [a-z_]+: ${name}`);
  return sql<T>`${sql.raw(`${MARK}${name} */`)} ${statement}`;
}

/** Names by text: a few dozen marked statements exist, each named once per process. */
const names = new Map<string, string>();

function statementName(text: string): string | undefined {
  if (!text.startsWith(MARK)) return undefined;
  let name = names.get(text);
  if (name === undefined) {
    name = `${text.slice(MARK.length, text.indexOf(" */"))}_${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}

/** node-postgres's client, sending marked statements as named prepared statements. */
export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: node-postgres's query is overloaded; this passes every form through
  override query(config: any, values?: any, callback?: any): any {
    const name = typeof config === "string" ? statementName(config) : undefined;
    if (name !== undefined && typeof values !== "function")
      return super.query({ name, text: config, values }, callback);
    return super.query(config, values, callback);
  }
}
