import {
  type AccountFacts,
  type AdminFacts,
  DEFAULT_ROLE_SETTINGS,
  type Edition,
  type Role,
  type SubaccountFacts,
  type TenantModel,
  type UnitFacts,
} from "../../src/authz/index.js";

/** Small builders for hand-written tenants in the authz tests. */
export function account(id: string, name: string, edition: Edition = "Premier"): AccountFacts {
  return { id, name, edition, nfr: false, settings: { ...DEFAULT_ROLE_SETTINGS } };
}

export function subaccount(
  id: string,
  name: string,
  tags: string[] = [],
  edition: Edition = "Premier",
): SubaccountFacts {
  return { ...account(id, name, edition), tags };
}

export function admin(
  id: string,
  accountId: string,
  role: Role,
  extra: Partial<AdminFacts> = {},
): AdminFacts {
  return {
    id,
    email: `${id.toLowerCase()}@example.com`,
    name: id,
    accountId,
    role,
    subaccountRole:
      extra.subaccountRole === undefined
        ? accountId.startsWith("P")
          ? role
          : null
        : extra.subaccountRole,
    status: "Active",
    tags: [],
    restricted: false,
    directorySynced: false,
    ...extra,
  };
}

export function unit(id: string, accountId: string, extra: Partial<UnitFacts> = {}): UnitFacts {
  return {
    id,
    accountId,
    name: id,
    allApplications: false,
    allGroups: false,
    adminIds: [],
    groupIds: [],
    applicationIds: [],
    ...extra,
  };
}

export function tenant(parts: Partial<TenantModel> & { parent?: AccountFacts } = {}): TenantModel {
  return {
    parent: parts.parent ?? account("P", "Parent MSP"),
    subaccounts: parts.subaccounts ?? [],
    admins: parts.admins ?? [],
    units: parts.units ?? [],
  };
}
