import { sql } from "kysely";
import type { Executor } from "../../db/executor.js";
import type { AccountSettings, Admin } from "../../db/schema.js";
import { recordAction } from "../audit.js";
import { objectOf } from "./failures.js";

type ActivityDates = Pick<
  Admin,
  "last_sign_in_at" | "password_changed_at" | "inactivity_cleared_at" | "created_at"
>;

/** The inactivity clock starts at the latest of sign-in, password set, inactivity cleared, creation. */
function lastActivity(admin: ActivityDates): number {
  const dates = [
    admin.last_sign_in_at,
    admin.password_changed_at,
    admin.inactivity_cleared_at,
    admin.created_at,
  ];
  return Math.max(...dates.filter((date) => date !== null).map((date) => new Date(date).getTime()));
}

/** R-ADM-1: an Active admin idle for longer than the account's inactivity limit is due to expire. */
export function isInactive(
  admin: Admin,
  settings: Pick<AccountSettings, "admin_inactivity_days">,
  now: Date,
): boolean {
  if (admin.status !== "Active" || settings.admin_inactivity_days === null) return false;
  return now.getTime() - lastActivity(admin) > settings.admin_inactivity_days * 86_400_000;
}

/** Sets one admin Expired, remembering the status to restore, and logs it as the system's doing. */
export async function expireAdmin(executor: Executor, admin: Admin): Promise<void> {
  await executor
    .updateTable("admins")
    .set({ status: "Expired", status_before_expiry: admin.status, updated_at: new Date() })
    .where("id", "=", admin.id)
    .execute();
  await recordAction(executor, {
    accountId: admin.account_id,
    actor: { kind: "system" },
    action: "admin_expire",
    object: objectOf(admin),
    before: { status: admin.status },
    after: { status: "Expired", reason: "inactivity" },
  });
}

/** The periodic sweep: expires every admin past their account's inactivity limit. Returns how many. */
export async function expireInactiveAdmins(executor: Executor, now: Date): Promise<number> {
  const due = await executor
    .selectFrom("admins as a")
    .innerJoin("account_settings as s", "s.account_id", "a.account_id")
    .selectAll("a")
    .where("a.status", "=", "Active")
    .where("s.admin_inactivity_days", "is not", null)
    .where(
      sql<boolean>`greatest(a.last_sign_in_at, a.password_changed_at, a.inactivity_cleared_at, a.created_at) < ${now}::timestamptz - make_interval(days => s.admin_inactivity_days)`,
    )
    .execute();
  for (const admin of due) await expireAdmin(executor, admin);
  return due.length;
}
