import type {
  AccountFacts,
  AdminFacts,
  Decision,
  RoleSettings,
  TenantModel,
  UnitFacts,
} from "./model.js";
import { type Edition, ROLES, type Role } from "./vocabulary.js";
import { tagWords } from "./words.js";

/** What a restricted admin manages: R-UNIT-4's union of their units. `all` = no restriction. */
export interface UnitScope {
  all: boolean;
  allGroups: boolean;
  allApplications: boolean;
  groupIds: ReadonlySet<string>;
  applicationIds: ReadonlySet<string>;
}

export interface CompiledAccount {
  id: string;
  name: string;
  isParent: boolean;
  edition: Edition;
  nfr: boolean;
  settings: RoleSettings;
  tags: ReadonlySet<string>;
  /** Sorted, for reasons and the summary. */
  tagList: readonly string[];
  /** The tags as reasons print them: `"EU" and "Gov"`; "no tags" when there are none. */
  tagText: string;
  /** Kept on the account itself so the hot path reads no other object for it (R-TAG-2b). */
  tagCount: number;
  /** Where the account's tags start in the tenant's tag matrix (see TagMatrix). */
  tagRow: number;
}

/**
 * Every account's and admin's tags as rows of one tenant-wide bit matrix over the tenant's interned
 * tag names: R-TAG-2 is a few word ANDs on one shared typed array, reached through an offset kept in
 * the object the decision has already read. bench/authz.ts measured a typed array per subaccount at
 * ~400 ns per random decision, and an object per row still cost a pointer chase per side.
 */
export interface TagMatrix {
  bits: Uint32Array;
  /** Words per row. */
  words: number;
}

export interface CompiledUnit {
  facts: UnitFacts;
  groupIds: ReadonlySet<string>;
  applicationIds: ReadonlySet<string>;
}

export interface CompiledAdmin {
  facts: AdminFacts;
  /** Copied out of `facts` for the hot path: one object read per decision, not two. */
  active: boolean;
  isOwner: boolean;
  home: CompiledAccount;
  tags: ReadonlySet<string>;
  tagList: readonly string[];
  /** As CompiledAccount.tagText. */
  tagText: string;
  /** The tenant's tag matrix and this admin's row in it: sharesAccess reads no other object. */
  tagMatrix: TagMatrix;
  tagRow: number;
  units: readonly CompiledUnit[];
  /** R-UNIT-4: the union of the units' groups and applications, computed once. */
  scope: UnitScope;
  /** R-PLAN-1, R-PLAN-4, R-SUB-1, R-SUB-2, R-SUB-7: the role at home and in reachable subaccounts. */
  roleAtHome: Role;
  roleInSubaccounts: Role;
  /** The same roles as columns of the R-ROLE-2 table (ROLES order); -1 for a role outside the seven (R-ROLE-1). */
  roleAtHomeIndex: number;
  roleInSubaccountsIndex: number;
  /** R-PLAN-3, R-SUB-6: units apply at home, in a paid edition. */
  restrictedAtHome: boolean;
  /** The allow decisions, written once. */
  allowAtHome: Decision;
  allowInSubaccounts: Decision;
}

/** A model compiled for fast decisions: everything an answer needs is one map or set lookup away. */
export interface Snapshot {
  model: TenantModel;
  parent: CompiledAccount;
  accounts: ReadonlyMap<string, CompiledAccount>;
  /** Subaccounts in the model's order (the access summary's columns). */
  subaccounts: readonly CompiledAccount[];
  admins: ReadonlyMap<string, CompiledAdmin>;
  units: ReadonlyMap<string, CompiledUnit>;
  /** R-ROLE-9: Active Owners per account (saved roles, whatever the edition). */
  activeOwners: ReadonlyMap<string, number>;
}

/** R-UNIT-4, R-UNIT-8i: the union of units (a unit with "specific" and nothing chosen adds nothing). */
function unionOfUnits(units: readonly CompiledUnit[]): UnitScope {
  const groupIds = new Set<string>();
  const applicationIds = new Set<string>();
  let allGroups = false;
  let allApplications = false;
  for (const unit of units) {
    allGroups ||= unit.facts.allGroups;
    allApplications ||= unit.facts.allApplications;
    for (const id of unit.groupIds) groupIds.add(id);
    for (const id of unit.applicationIds) applicationIds.add(id);
  }
  return { all: false, allGroups, allApplications, groupIds, applicationIds };
}

/** Builds the tenant's tag matrix and hands out its rows: one per account (parent included) and per admin. */
function tagMatrixOf(model: TenantModel): {
  matrix: TagMatrix;
  rowOf: (tags: readonly string[]) => number;
} {
  const index = new Map<string, number>();
  for (const tag of [
    ...model.subaccounts.flatMap((s) => s.tags),
    ...model.admins.flatMap((a) => a.tags),
  ]) {
    if (!index.has(tag)) index.set(tag, index.size);
  }
  const words = Math.max(1, Math.ceil(index.size / 32));
  const rows = 1 + model.subaccounts.length + model.admins.length;
  const bits = new Uint32Array(rows * words);
  let next = 0;
  const rowOf = (tags: readonly string[]) => {
    const offset = next;
    next += words;
    for (const tag of tags) {
      const i = index.get(tag) ?? 0;
      const word = offset + (i >>> 5);
      bits[word] = (bits[word] ?? 0) | (1 << (i & 31));
    }
    return offset;
  };
  return { matrix: { bits, words }, rowOf };
}

function compileAccount(
  facts: AccountFacts,
  isParent: boolean,
  tags: readonly string[],
  rowOf: (tags: readonly string[]) => number,
): CompiledAccount {
  const unique = [...new Set(tags)];
  return {
    id: facts.id,
    name: facts.name,
    isParent,
    edition: facts.edition,
    nfr: facts.nfr,
    settings: facts.settings,
    tags: new Set(unique),
    tagList: unique.sort(),
    tagText: tagWords(unique),
    tagCount: unique.length,
    tagRow: rowOf(unique),
  };
}

function compileAdmin(
  facts: AdminFacts,
  home: CompiledAccount,
  units: CompiledUnit[],
  tags: { matrix: TagMatrix; rowOf: (tags: readonly string[]) => number },
): CompiledAdmin {
  const free = home.edition === "Free";
  const roleAtHome: Role = free ? "Owner" : facts.role;
  const roleInSubaccounts: Role =
    free || facts.role === "Owner" ? "Owner" : (facts.subaccountRole ?? facts.role);
  const restrictedAtHome = facts.restricted && !free;
  const unique = [...new Set(facts.tags)];
  return {
    facts,
    active: facts.status === "Active",
    isOwner: facts.role === "Owner",
    home,
    tags: new Set(unique),
    tagList: unique.sort(),
    tagText: tagWords(unique),
    tagMatrix: tags.matrix,
    tagRow: tags.rowOf(unique),
    units,
    scope: unionOfUnits(units),
    roleAtHome,
    roleInSubaccounts,
    roleAtHomeIndex: (ROLES as readonly string[]).indexOf(roleAtHome),
    roleInSubaccountsIndex: (ROLES as readonly string[]).indexOf(roleInSubaccounts),
    restrictedAtHome,
    allowAtHome: Object.freeze({
      allow: true,
      rule: restrictedAtHome ? "R-UNIT-4" : "R-ROLE-2",
      reason: `${facts.email} acts as ${roleAtHome} in ${home.name}, and that role allows this${restrictedAtHome ? " within their administrative units" : ""}.`,
    }),
    allowInSubaccounts: Object.freeze({
      allow: true,
      rule: "R-SUB-1",
      reason: `${facts.email} acts as ${roleInSubaccounts} (their subaccount role) in the subaccounts they can open, and that role allows this.`,
    }),
  };
}

export function compile(model: TenantModel): Snapshot {
  const tags = tagMatrixOf(model);
  const parent = compileAccount(model.parent, true, [], tags.rowOf);
  const subaccounts = model.subaccounts.map((sub) =>
    compileAccount(sub, false, sub.tags, tags.rowOf),
  );
  const accounts = new Map<string, CompiledAccount>([
    [parent.id, parent],
    ...subaccounts.map((sub) => [sub.id, sub] as const),
  ]);
  const units = new Map<string, CompiledUnit>(
    model.units.map((unit) => [
      unit.id,
      {
        facts: unit,
        groupIds: new Set(unit.groupIds),
        applicationIds: new Set(unit.applicationIds),
      },
    ]),
  );
  const unitsByAdmin = new Map<string, CompiledUnit[]>();
  for (const unit of units.values()) {
    for (const adminId of unit.facts.adminIds)
      unitsByAdmin.set(adminId, [...(unitsByAdmin.get(adminId) ?? []), unit]);
  }
  const admins = new Map<string, CompiledAdmin>();
  const activeOwners = new Map<string, number>();
  for (const facts of model.admins) {
    const home = accounts.get(facts.accountId);
    // An admin whose account is not in this tenant cannot be compiled into it: it reaches nothing.
    if (!home) continue;
    admins.set(facts.id, compileAdmin(facts, home, unitsByAdmin.get(facts.id) ?? [], tags));
    if (facts.role === "Owner" && facts.status === "Active") {
      activeOwners.set(facts.accountId, (activeOwners.get(facts.accountId) ?? 0) + 1);
    }
  }
  return { model, parent, accounts, subaccounts, admins, units, activeOwners };
}
