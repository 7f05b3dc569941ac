import type { SqlSession } from "./open.js";

export interface UnsafeCommitSettings {
  /** One sentence for the operator: what is off and what it can cost. */
  message: string;
  settings: { fsync: string; synchronous_commit: string };
}

/**
 * The database's settings that let an acknowledged commit be lost, or undefined when every commit
 * reaches stable storage before it is acknowledged. On PostgreSQL these are the operator's choice,
 * so the server warns rather than refuses; Gatehouse's own PGlite always starts with them on.
 */
export async function findUnsafeCommitSettings(
  session: Pick<SqlSession, "query">,
): Promise<UnsafeCommitSettings | undefined> {
  const [row] = await session.query<{ fsync: string; synchronous_commit: string }>(
    "select current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit",
  );
  if (!row) throw new Error("the database did not report its fsync and synchronous_commit");
  const risks = [
    row.fsync === "off" &&
      "fsync is off, so a power cut or operating-system crash can lose acknowledged writes and corrupt the database",
    row.synchronous_commit === "off" &&
      "synchronous_commit is off, so a crash can lose the most recent acknowledged writes",
  ].filter((risk) => typeof risk === "string");
  if (!risks.length) return undefined;
  return { message: `commits are not durable: ${risks.join("; ")}`, settings: row };
}
