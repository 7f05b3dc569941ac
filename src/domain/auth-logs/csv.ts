import { csvCell } from "../../authz/index.js";
import { cursorOf, type LogPosition } from "../log-keyset.js";
import type { Cursor } from "../paging.js";

/** Rows per query while a CSV streams: a long log never sits in memory. */
export const CSV_BATCH = 500;

export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map((cell) => csvCell(cell === null ? "" : String(cell))).join(",")}\r\n`;
}

/**
 * R-REP-1: a report as CSV, streamed: the header, then the rows batch by batch in keyset order.
 * `fetch` reads one batch after a position (the query it closes over was authorized already).
 */
export async function* streamCsv<Row extends LogPosition>(
  header: readonly string[],
  fetch: (after: Cursor | undefined) => Promise<Row[]>,
  cells: (row: Row) => readonly (string | number | null)[],
): AsyncGenerator<string> {
  yield csvLine(header);
  let after: Cursor | undefined;
  for (;;) {
    const rows = await fetch(after);
    for (const row of rows) yield csvLine(cells(row));
    const last = rows.at(-1);
    if (rows.length < CSV_BATCH || !last) return;
    after = cursorOf(last);
  }
}

/** A report's file name, with the date it was made. */
export function csvFilename(report: string, now = new Date()): string {
  return `${report}-${now.toISOString().slice(0, 10)}.csv`;
}
