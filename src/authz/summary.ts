import { sharesAccess } from "./reach.js";
import type { Snapshot } from "./snapshot.js";
import { isRole } from "./vocabulary.js";

/** RFC 4180 quoting, and a leading apostrophe for cells a spreadsheet would run as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * R-SUM-1: the access summary, row by row as CSV lines: column A the parent-level admins, row 1 the
 * subaccounts, each cell the admin's subaccount role where they can access it, empty where not.
 * A generator, so 1,000 admins × 10,000 subaccounts stream without building the whole file.
 */
export function* accessSummaryRows(snapshot: Snapshot): Generator<string> {
  yield ["Administrator", ...snapshot.subaccounts.map((sub) => sub.name)].map(csvCell).join(",");
  for (const admin of snapshot.admins.values()) {
    if (!admin.home.isParent) continue;
    // R-ROLE-1: an unknown role acts as nothing, so it reaches nothing either.
    const role = isRole(admin.roleInSubaccounts) ? admin.roleInSubaccounts : "";
    const active = admin.facts.status === "Active" && role !== "";
    const cells = snapshot.subaccounts.map((sub) =>
      active && sharesAccess(admin, sub) ? role : "",
    );
    yield [csvCell(`${admin.facts.name} <${admin.facts.email}>`), ...cells].join(",");
  }
}
