import type { AccountFacts, AdminFacts, RoleSettings, TenantModel, UnitFacts } from "./model.js";
import type { Edition } from "./vocabulary.js";

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
}

export interface CompiledUnit {
  facts: UnitFacts;
  groupIds: ReadonlySet<string>;
  applicationIds: ReadonlySet<string>;
}

export interface CompiledAdmin {
  facts: AdminFacts;
  home: CompiledAccount;
  tags: ReadonlySet<string>;
  tagList: readonly string[];
  units: readonly CompiledUnit[];
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

function compileAccount(
  facts: AccountFacts,
  isParent: boolean,
  tags: readonly string[],
): CompiledAccount {
  return {
    id: facts.id,
    name: facts.name,
    isParent,
    edition: facts.edition,
    nfr: facts.nfr,
    settings: facts.settings,
    tags: new Set(tags),
    tagList: [...new Set(tags)].sort(),
  };
}

export function compile(model: TenantModel): Snapshot {
  const parent = compileAccount(model.parent, true, []);
  const subaccounts = model.subaccounts.map((sub) => compileAccount(sub, false, sub.tags));
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
    admins.set(facts.id, {
      facts,
      home,
      tags: new Set(facts.tags),
      tagList: [...new Set(facts.tags)].sort(),
      units: unitsByAdmin.get(facts.id) ?? [],
    });
    if (facts.role === "Owner" && facts.status === "Active") {
      activeOwners.set(facts.accountId, (activeOwners.get(facts.accountId) ?? 0) + 1);
    }
  }
  return { model, parent, accounts, subaccounts, admins, units, activeOwners };
}
