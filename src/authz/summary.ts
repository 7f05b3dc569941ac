import { sharesAccess } from "./reach.js";
import type { Snapshot } from "./snapshot.js";
import { isRole } from "./vocabulary.js";

/** RFC 4180 quoting, and a leading apostrophe for cells a spreadsheet would run as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * R-SUM-1: the access summary, row by row as CSV lines: column A the parent-level admins, column B
 * their status, row 1 the subaccounts, each cell the admin's subaccount role where their
 * configuration opens that subaccount (R-TAG-2), empty where not.
 *
 * R-SUM-1 Decision (issue 13 item 6): every admin is listed with the access they are configured to
 * have, whatever their status, with the status beside it: a Pending Activation Owner shows Owner in
 * every subaccount, so a review sees what activation will give. An empty row for a pending admin
 * read as "no access" when it meant "not yet". Only the summary reads it so: decide() still lets
 * no admin who is not Active act (R-ADM-1).
 *
 * A generator, so 1,000 admins × 10,000 subaccounts stream without building the whole file.
 */
export function* accessSummaryRows(snapshot: Snapshot): Generator<string> {
  yield ["Administrator", "Status", ...snapshot.subaccounts.map((sub) => sub.name)]
    .map(csvCell)
    .join(",");
  for (const admin of snapshot.admins.values()) {
    if (!admin.home.isParent) continue;
    // R-ROLE-1: an unknown role acts as nothing, so it reaches nothing either.
    const role = isRole(admin.roleInSubaccounts) ? admin.roleInSubaccounts : "";
    const cells = snapshot.subaccounts.map((sub) =>
      role !== "" && sharesAccess(admin, sub) ? role : "",
    );
    yield [
      csvCell(`${admin.facts.name} <${admin.facts.email}>`),
      csvCell(admin.facts.status),
      ...cells,
    ].join(",");
  }
}
