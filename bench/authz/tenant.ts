import {
  ACTION_NAMES,
  ACTIONS,
  type Action,
  DEFAULT_ROLE_SETTINGS,
  type Principal,
  ROLES,
  type Target,
  type TenantModel,
} from "../../src/authz/index.js";

/** mulberry32: a small seeded PRNG, so every run measures the same tenant and the same requests. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BenchTenant {
  model: TenantModel;
  /** user id → its group ids (100,000 users in 1,000 groups). */
  userGroups: Map<string, string[]>;
  groupIds: string[];
  applicationIds: string[];
}

const pick = <T>(rand: () => number, items: readonly T[]): T =>
  items[Math.floor(rand() * items.length)] as T;

/** 200 tag names, some differing only in case (R-TAG-1). */
function tagNames(): string[] {
  const names: string[] = [];
  for (let i = 0; names.length < 200; i++) {
    names.push(`Tag${i}`);
    if (i % 10 === 0) names.push(`tag${i}`);
  }
  return names.slice(0, 200);
}

export function generateTenant(
  sizes = {
    admins: 1000,
    subaccounts: 10_000,
    units: 100,
    users: 100_000,
    groups: 1000,
    applications: 500,
  },
): BenchTenant {
  const rand = random(20261123);
  const tags = tagNames();
  const groupIds = Array.from(
    { length: sizes.groups },
    (_, i) => `DG${String(i).padStart(18, "0")}`,
  );
  const applicationIds = Array.from(
    { length: sizes.applications },
    (_, i) => `DI${String(i).padStart(18, "0")}`,
  );
  const subaccounts = Array.from({ length: sizes.subaccounts }, (_, i) => ({
    id: `DA${String(i + 1).padStart(18, "0")}`,
    name: `Customer ${i}`,
    edition: "Premier" as const,
    nfr: i % 97 === 0,
    settings: { ...DEFAULT_ROLE_SETTINGS },
    // 30 % untagged; the rest one to three tags.
    tags:
      rand() < 0.3
        ? []
        : Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, tags)),
  }));
  const admins = Array.from({ length: sizes.admins }, (_, i) => {
    const role = i < 20 ? "Owner" : pick(rand, ROLES);
    return {
      id: `DE${String(i).padStart(18, "0")}`,
      email: `admin${i}@msp.example`,
      name: `Admin ${i}`,
      accountId: "DA000000000000000000",
      role,
      subaccountRole: role === "Owner" ? ("Owner" as const) : pick(rand, ROLES),
      status: "Active" as const,
      tags: Array.from({ length: Math.floor(rand() * 4) }, () => pick(rand, tags)),
      restricted: role !== "Owner" && rand() < 0.3,
      directorySynced: false,
    };
  });
  const restricted = admins.filter((a) => a.restricted);
  const units = Array.from({ length: sizes.units }, (_, i) => ({
    id: `DN${String(i).padStart(18, "0")}`,
    accountId: "DA000000000000000000",
    name: `Unit ${i}`,
    allGroups: rand() < 0.1,
    allApplications: rand() < 0.1,
    groupIds: Array.from({ length: 5 + Math.floor(rand() * 20) }, () => pick(rand, groupIds)),
    applicationIds: applicationIds.slice(i * 5, i * 5 + 5),
    // Most restricted admins sit in one to three units; some in none (R-UNIT-5).
    adminIds: restricted
      .filter((_, j) => j % sizes.units === i || (j * 7) % sizes.units === i)
      .map((a) => a.id),
  }));
  const userGroups = new Map<string, string[]>();
  for (let i = 0; i < sizes.users; i++) {
    userGroups.set(
      `DU${String(i).padStart(18, "0")}`,
      rand() < 0.5 ? [pick(rand, groupIds)] : [pick(rand, groupIds), pick(rand, groupIds)],
    );
  }
  const model: TenantModel = {
    parent: {
      id: "DA000000000000000000",
      name: "Bench MSP",
      edition: "Premier",
      nfr: false,
      settings: { ...DEFAULT_ROLE_SETTINGS },
    },
    subaccounts,
    admins,
    units,
  };
  return { model, userGroups, groupIds, applicationIds };
}

export interface BenchRequest {
  adminId: string;
  /** The admin as a session holds it: one principal object per admin, shared by its requests. */
  principal: Principal;
  action: Action;
  target: Target;
}

/** Requests as the rest of the system holds them: string ids; half at the parent (half of those on an object), half in a random subaccount. */
export function generateRequests(tenant: BenchTenant, count: number): BenchRequest[] {
  const rand = random(42);
  const userIds = [...tenant.userGroups.keys()];
  const admins = tenant.model.admins;
  const subs = tenant.model.subaccounts;
  const principals = new Map<string, Principal>(
    admins.map((admin) => [admin.id, { kind: "admin", adminId: admin.id }]),
  );
  const requests: BenchRequest[] = [];
  for (let i = 0; i < count; i++) {
    const adminId = pick(rand, admins).id;
    const principal = principals.get(adminId) as Principal;
    const action = pick(rand, ACTION_NAMES);
    const atParent = rand() < 0.5;
    const accountId = atParent ? tenant.model.parent.id : pick(rand, subs).id;
    const target: Target = { accountId };
    if (!atParent || rand() < 0.5) {
      const kind = ACTIONS[action].object;
      if (kind === "user") {
        const id = pick(rand, userIds);
        target.object = { kind: "user", id, groupIds: tenant.userGroups.get(id) ?? [] };
      } else if (kind === "group")
        target.object = { kind: "group", id: pick(rand, tenant.groupIds) };
      else if (kind === "application")
        target.object = { kind: "application", id: pick(rand, tenant.applicationIds) };
    }
    requests.push({ adminId, principal, action, target });
  }
  return requests;
}
