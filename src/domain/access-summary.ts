import { accessSummaryRows, type Snapshot } from "../authz/index.js";
import type { UseCaseContext } from "./context.js";

/** What the route streams: the file's name and its lines, each ending in CRLF (RFC 4180). */
export interface AccessSummary {
  filename: string;
  lines: Generator<string>;
}

/**
 * R-SUM-1: the access summary, downloaded from the parent's Administrators page: every parent-level
 * admin with their status and the access they are configured to have, whatever that status (the
 * R-SUM-1 Decision, issue 13 item 6: a pending Owner reads Owner everywhere). It needs
 * "admins:view" at the parent (Owners; R-ROLE-3: Administrators cannot view administrators), and
 * is refused to admins of a subaccount (R-SUB-5) wherever the session acts. A read: no audit record.
 * The lines are generated from the snapshot taken in this transaction: 1,000 admins × 10,000
 * subaccounts stream one line at a time, never as one string.
 */
export function accessSummary(ctx: UseCaseContext, now = new Date()): AccessSummary {
  ctx.authorize("admins:view", { accountId: ctx.snapshot.parent.id });
  return {
    filename: `access-summary-${now.toISOString().slice(0, 10)}.csv`,
    lines: crlf(ctx.snapshot),
  };
}

function* crlf(snapshot: Snapshot): Generator<string> {
  for (const line of accessSummaryRows(snapshot)) yield `${line}\r\n`;
}
