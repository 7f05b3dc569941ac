import type { TenantModel } from "./model.js";
import { configuredRole, configuredScope, configuredSubaccounts } from "./queries.js";
import { compile, type Snapshot } from "./snapshot.js";
import type { AdminStatus, Edition, Role } from "./vocabulary.js";

/** A change an Owner is about to save, as the preview sees it. */
export type ModelChange =
  | {
      kind: "admin";
      adminId: string;
      role?: Role;
      subaccountRole?: Role;
      tags?: string[];
      restricted?: boolean;
      unitIds?: string[];
      status?: AdminStatus;
      delete?: boolean;
    }
  | { kind: "subaccount"; accountId: string; tags?: string[]; edition?: Edition; delete?: boolean }
  | { kind: "parent"; edition: Edition }
  | {
      kind: "unit";
      unitId: string;
      groupIds?: string[];
      applicationIds?: string[];
      allGroups?: boolean;
      allApplications?: boolean;
      adminIds?: string[];
      delete?: boolean;
    };

/**
 * One admin's access to one account, before and after (null: none). R-SUM-1 Decision (issue 13
 * item 6): the access is what the admin's configuration gives, whatever their status, and the
 * status stands beside it, so a pending admin's new tag previews as "gains access, once they
 * activate" instead of as nothing. decide() still lets only Active admins act (R-ADM-1).
 */
export interface AccessDelta {
  adminId: string;
  email: string;
  accountId: string;
  accountName: string;
  before: Role | null;
  after: Role | null;
  /** The admin's status before the change. */
  statusBefore: AdminStatus;
  /** Their status after it (unchanged where the change deletes them). */
  status: AdminStatus;
}

/** One admin's unit scope at home, before and after, as sorted ids ("*" = all). */
export interface ScopeDelta {
  adminId: string;
  email: string;
  /** As AccessDelta.status: the scope is the configured one, whatever the status. */
  status: AdminStatus;
  groups: { before: string[]; after: string[] };
  applications: { before: string[]; after: string[] };
}

export interface Simulation {
  /** Where the admin will act, or will once Active, and did not before; or becomes Active again. */
  gains: AccessDelta[];
  /** Where the admin could act, or would once Active, and no longer; or stops being Active. */
  losses: AccessDelta[];
  /** Role changes where access stays but the role differs. */
  changes: AccessDelta[];
  scopes: ScopeDelta[];
  warnings: string[];
}

/** Applies a change to a copy of the model; the original is untouched. */
export function applyChange(model: TenantModel, change: ModelChange): TenantModel {
  const next: TenantModel = structuredClone(model);
  switch (change.kind) {
    case "admin": {
      const { kind, adminId, delete: remove, unitIds, ...fields } = change;
      if (remove) {
        next.admins = next.admins.filter((admin) => admin.id !== adminId);
        for (const unit of next.units) unit.adminIds = unit.adminIds.filter((id) => id !== adminId);
        break;
      }
      next.admins = next.admins.map((admin) =>
        admin.id === adminId ? { ...admin, ...fields } : admin,
      );
      if (unitIds) {
        for (const unit of next.units) {
          const member = unit.adminIds.includes(adminId);
          const wanted = unitIds.includes(unit.id);
          if (member && !wanted) unit.adminIds = unit.adminIds.filter((id) => id !== adminId);
          if (!member && wanted) unit.adminIds.push(adminId);
        }
      }
      break;
    }
    case "subaccount":
      if (change.delete)
        next.subaccounts = next.subaccounts.filter((sub) => sub.id !== change.accountId);
      else {
        next.subaccounts = next.subaccounts.map((sub) =>
          sub.id === change.accountId
            ? { ...sub, tags: change.tags ?? sub.tags, edition: change.edition ?? sub.edition }
            : sub,
        );
      }
      break;
    case "parent":
      next.parent = { ...next.parent, edition: change.edition };
      break;
    case "unit": {
      const { kind, unitId, delete: remove, ...fields } = change;
      next.units = remove
        ? next.units.filter((unit) => unit.id !== unitId)
        : next.units.map((unit) => (unit.id === unitId ? { ...unit, ...fields } : unit));
      break;
    }
  }
  return next;
}

/** R-SUM-1 Decision: every admin's configured role per account, whatever their status. */
function accessOf(snapshot: Snapshot): Map<string, Role> {
  const access = new Map<string, Role>();
  for (const admin of snapshot.admins.values()) {
    const accounts = [admin.home.id, ...configuredSubaccounts(snapshot, admin)];
    for (const accountId of accounts) {
      const role = configuredRole(snapshot, admin, accountId);
      if (role) access.set(`${admin.facts.id}\u0000${accountId}`, role);
    }
  }
  return access;
}

function scopeIds(snapshot: Snapshot, adminId: string, accountId: string) {
  const admin = snapshot.admins.get(adminId);
  const scope = admin ? configuredScope(snapshot, admin, accountId) : null;
  if (!scope) return { groups: [], applications: [] };
  return {
    groups: scope.all || scope.allGroups ? ["*"] : [...scope.groupIds].sort(),
    applications: scope.all || scope.allApplications ? ["*"] : [...scope.applicationIds].sort(),
  };
}

type Kind = "gains" | "losses" | "changes";

/** Which list a delta belongs to: configured access, and whether the admin may act at all. */
function kindOf(delta: AccessDelta): Kind | undefined {
  const wasActive = delta.statusBefore === "Active";
  const isActive = delta.status === "Active";
  if (delta.after !== null && (delta.before === null || (!wasActive && isActive))) return "gains";
  if (delta.before !== null && (delta.after === null || (wasActive && !isActive))) return "losses";
  return delta.before !== delta.after ? "changes" : undefined;
}

/**
 * Who gains and who loses which access if `change` were saved: the changed model is compiled and
 * compared with the current one, so the preview can never disagree with what the engine will
 * decide. Access is the configured one with each admin's status beside it (R-SUM-1 Decision): an
 * Active admin's entries are what they will act with; a pending, disabled or expired admin's are
 * what they will act with once Active, and a status change to or from Active is itself a gain or
 * a loss.
 */
export function simulate(
  snapshot: Snapshot,
  change: ModelChange,
  actorAdminId?: string,
): Simulation {
  const after = compile(applyChange(snapshot.model, change));
  const before = accessOf(snapshot);
  const next = accessOf(after);
  const result: Simulation = { gains: [], losses: [], changes: [], scopes: [], warnings: [] };
  for (const key of new Set([...before.keys(), ...next.keys()])) {
    const [adminId = "", accountId = ""] = key.split("\u0000");
    const was = snapshot.admins.get(adminId) ?? after.admins.get(adminId);
    const statusBefore = was?.facts.status ?? "Active";
    const delta: AccessDelta = {
      adminId,
      email: was?.facts.email ?? adminId,
      accountId,
      accountName:
        (snapshot.accounts.get(accountId) ?? after.accounts.get(accountId))?.name ?? accountId,
      before: before.get(key) ?? null,
      after: next.get(key) ?? null,
      statusBefore,
      status: after.admins.get(adminId)?.facts.status ?? statusBefore,
    };
    const kind = kindOf(delta);
    if (kind) result[kind].push(delta);
  }
  for (const admin of snapshot.admins.values()) {
    const was = scopeIds(snapshot, admin.facts.id, admin.home.id);
    const will = scopeIds(after, admin.facts.id, admin.home.id);
    if (
      String(was.groups) !== String(will.groups) ||
      String(was.applications) !== String(will.applications)
    ) {
      result.scopes.push({
        adminId: admin.facts.id,
        email: admin.facts.email,
        status: after.admins.get(admin.facts.id)?.facts.status ?? admin.facts.status,
        groups: { before: was.groups, after: will.groups },
        applications: { before: was.applications, after: will.applications },
      });
    }
  }
  if (
    actorAdminId &&
    (result.losses.some((d) => d.adminId === actorAdminId) ||
      result.scopes.some((d) => d.adminId === actorAdminId))
  ) {
    result.warnings.push("You would remove some of your own access.");
  }
  for (const [accountId, owners] of snapshot.activeOwners) {
    if (
      owners > 0 &&
      (after.activeOwners.get(accountId) ?? 0) === 0 &&
      after.accounts.has(accountId)
    ) {
      result.warnings.push(
        `${snapshot.accounts.get(accountId)?.name ?? accountId} would be left without an active Owner.`,
      );
    }
  }
  return result;
}
