import { ACTIONS, type Action } from "./actions.js";
import type { AdminChange, Decision, Principal, Target } from "./model.js";
import { denial } from "./role-check.js";
import type { Snapshot } from "./snapshot.js";
import { listWords } from "./words.js";

export const ADMIN_ACTIONS: ReadonlySet<Action> = new Set([
  "admins:create",
  "admins:update",
  "admins:delete",
  "subaccount_roles:edit",
]);
const DELEGATION_FIELDS = ["role", "subaccountRole", "tags", "unitIds", "restricted"] as const;
const FIELD_WORDS: Record<(typeof DELEGATION_FIELDS)[number], string> = {
  role: "role",
  subaccountRole: "subaccount role",
  tags: "access tags",
  unitIds: "administrative units",
  restricted: "restriction to administrative units",
};

/**
 * R-TEN-2, R-SUB-5, R-SUB-7: an administrator is managed in their own account only. Without this, an
 * Owner of one subaccount (or a parent-level admin whose subaccount role is Owner, acting in any
 * subaccount it reaches) could name a parent-level admin as the object and delete or promote them.
 */
export function checkAdminObject(
  snapshot: Snapshot,
  action: Action,
  target: Target,
): Decision | undefined {
  const object = target.object;
  if (ACTIONS[action].object !== "admin" || object?.kind !== "admin" || object.id === undefined)
    return undefined;
  const subject = snapshot.admins.get(object.id);
  if (!subject) return denial("R-TEN-2", `There is no administrator ${object.id} here.`);
  if (subject.home.id === target.accountId) return undefined;
  const here = snapshot.accounts.get(target.accountId)?.name ?? target.accountId;
  return denial(
    "R-TEN-2",
    `${subject.facts.email} is an administrator of ${subject.home.name}, not of ${here}; administrators are managed in their own account.`,
  );
}

/**
 * The rules about changing administrators, whoever asks (admins, applications, the system):
 * R-ROLE-6, R-ROLE-8, R-SUB-2, R-UNIT-8h, R-ROLE-9, and R-ADM-1's "not through the API".
 */
export function checkAdminChange(
  snapshot: Snapshot,
  principal: Principal,
  action: Action,
  target: Target,
): Decision | undefined {
  if (!ADMIN_ACTIONS.has(action)) return undefined;
  const change: AdminChange = {
    ...target.adminChange,
    ...(action === "admins:delete" ? { delete: true } : {}),
  };
  const subject =
    target.object?.kind === "admin" && target.object.id
      ? snapshot.admins.get(target.object.id)
      : undefined;
  const current = subject?.facts;

  if (principal.kind === "admin" && current && principal.adminId === current.id) {
    const touched = DELEGATION_FIELDS.filter((field) => change[field] !== undefined);
    if (touched.length > 0 || change.delete) {
      return denial(
        "R-ROLE-6",
        touched.length
          ? `You cannot change your own ${listWords(touched.map((field) => FIELD_WORDS[field]))}; another Owner must do it.`
          : "You cannot delete your own administrator account; another Owner must do it.",
      );
    }
  }
  if (
    current?.directorySynced &&
    change.role !== undefined &&
    change.role !== current.role &&
    change.role !== "Owner"
  ) {
    return denial(
      "R-ROLE-8",
      `${current.email} is managed by admin directory sync, which sets their role; the only change possible is an upgrade to Owner.`,
    );
  }
  const role = change.role ?? current?.role;
  const subaccountRole = change.subaccountRole ?? current?.subaccountRole ?? null;
  const isParentLevel = subject ? subject.home.isParent : target.accountId === snapshot.parent.id;
  if (
    role === "Owner" &&
    isParentLevel &&
    change.subaccountRole !== undefined &&
    subaccountRole !== "Owner"
  ) {
    return denial("R-SUB-2", "An Owner's subaccount role is always Owner.");
  }
  const restricted = change.restricted ?? current?.restricted ?? false;
  const unitCount = change.unitIds?.length ?? subject?.units.length ?? 0;
  if (role === "Owner" && (restricted || unitCount > 0)) {
    return denial("R-UNIT-8h", "Owners cannot be restricted to administrative units.");
  }
  if (principal.kind === "application" && change.status === "Disabled" && role === "Owner") {
    return denial("R-ADM-1", "Owners cannot be disabled through the API.");
  }
  if (current && current.role === "Owner" && current.status === "Active") {
    const leavesOwners =
      change.delete ||
      (change.role !== undefined && change.role !== "Owner") ||
      (change.status !== undefined && change.status !== "Active");
    if (leavesOwners && (snapshot.activeOwners.get(current.accountId) ?? 0) <= 1) {
      const account = snapshot.accounts.get(current.accountId)?.name ?? current.accountId;
      return denial(
        "R-ROLE-9",
        `${current.email} is the last active Owner of ${account}; make another administrator an Owner first.`,
      );
    }
  }
  return undefined;
}
