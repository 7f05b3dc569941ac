import fc from "fast-check";
import {
  ACTION_NAMES,
  type AdminFacts,
  EDITIONS,
  type Principal,
  ROLES,
  type Role,
  type SubaccountFacts,
  type Target,
  type TenantModel,
  type UnitFacts,
} from "../../src/authz/index.js";

/** Tags that differ only in case, on purpose (R-TAG-1). */
const TAGS = ["EU", "eu", "Gov", "gov", "US", "Finance"];
const GROUPS = ["G1", "G2", "G3", "G4", "G5"];
const APPS = ["A1", "A2", "A3", "A4", "A5"];
const STATUSES = [
  "Active",
  "Active",
  "Active",
  "Disabled",
  "Expired",
  "Pending Activation",
] as const;

const settings = fc.record({
  helpdesk_bypass: fc.constantFrom("allow", "limit", "deny" as const),
  helpdesk_bypass_expiration: fc.integer({ min: 1, max: 120 }),
  helpdesk_can_send_enroll_email: fc.boolean(),
  user_managers_can_put_users_in_bypass: fc.boolean(),
});

/** Random tenants: up to 50 subaccounts and 30 admins, overlapping units, every edition, synced admins, admins whose units were deleted. */
export const tenantArb: fc.Arbitrary<TenantModel> = fc
  .record({
    parentEdition: fc.constantFrom(...EDITIONS),
    parentSettings: settings,
    subs: fc.array(
      fc.record({ edition: fc.constantFrom(...EDITIONS), tags: fc.subarray(TAGS), settings }),
      { maxLength: 50 },
    ),
    admins: fc.array(
      fc.record({
        home: fc.nat(),
        atParent: fc.boolean(),
        role: fc.oneof(
          { weight: 20, arbitrary: fc.constantFrom(...ROLES) },
          // R-ROLE-1: a role outside the seven, as the database could hold, must fail closed.
          { weight: 1, arbitrary: fc.constant("Phishing Manager" as Role) },
        ),
        subaccountRole: fc.constantFrom(...ROLES),
        status: fc.constantFrom(...STATUSES),
        tags: fc.subarray(TAGS),
        restricted: fc.boolean(),
        directorySynced: fc.boolean(),
      }),
      { minLength: 1, maxLength: 30 },
    ),
    units: fc.array(
      fc.record({
        home: fc.nat(),
        atParent: fc.boolean(),
        allGroups: fc.boolean(),
        allApplications: fc.boolean(),
        groupIds: fc.subarray(GROUPS),
        applicationIds: fc.subarray(APPS),
        members: fc.array(fc.nat(), { maxLength: 4 }),
      }),
      { maxLength: 8 },
    ),
  })
  .map(({ parentEdition, parentSettings, subs, admins, units }) => {
    const subaccounts: SubaccountFacts[] = subs.map((s, i) => ({
      id: `S${i}`,
      name: `Sub ${i}`,
      edition: s.edition,
      nfr: false,
      tags: s.tags,
      settings: s.settings,
    }));
    const homeOf = (atParent: boolean, n: number) =>
      atParent || subaccounts.length === 0 ? "P" : `S${n % subaccounts.length}`;
    const adminFacts: AdminFacts[] = admins.map((a, i) => {
      const accountId = homeOf(a.atParent, a.home);
      const parentLevel = accountId === "P";
      return {
        id: `A${i}`,
        email: `a${i}@example.com`,
        name: `Admin ${i}`,
        accountId,
        role: a.role,
        subaccountRole: parentLevel ? (a.role === "Owner" ? "Owner" : a.subaccountRole) : null,
        status: a.status,
        tags: parentLevel ? a.tags : [],
        restricted: a.restricted && a.role !== "Owner",
        directorySynced: a.directorySynced,
      };
    });
    const unitFacts: UnitFacts[] = units.map((u, i) => {
      const accountId = homeOf(u.atParent, u.home);
      const eligible = adminFacts.filter((a) => a.accountId === accountId && a.restricted);
      const adminIds = [
        ...new Set(
          u.members
            .filter(() => eligible.length > 0)
            .map((m) => eligible[m % eligible.length]?.id ?? ""),
        ),
      ];
      return {
        id: `N${i}`,
        accountId,
        name: `Unit ${i}`,
        allGroups: u.allGroups,
        allApplications: u.allApplications,
        groupIds: u.groupIds,
        applicationIds: u.applicationIds,
        adminIds,
      };
    });
    return {
      parent: {
        id: "P",
        name: "Parent",
        edition: parentEdition,
        nfr: false,
        settings: parentSettings,
      },
      subaccounts,
      admins: adminFacts,
      units: unitFacts,
    };
  });

const objectArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("user" as const),
      id: fc.option(fc.constant("U1"), { nil: undefined }),
      groupIds: fc.subarray(GROUPS),
    }),
  },
  fc.record({
    kind: fc.constant("group" as const),
    id: fc.option(fc.constantFrom(...GROUPS), { nil: undefined }),
  }),
  fc.record(
    {
      kind: fc.constant("application" as const),
      id: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
      // R-ROLE-2: Admin API and Accounts API applications are the Owner-only row.
      type: fc.constantFrom("websdk", "rdp", "adminapi", "accountsapi"),
    },
    { requiredKeys: ["kind", "id"] },
  ),
  fc.record({
    kind: fc.constant("policy" as const),
    id: fc.constant("POL"),
    global: fc.boolean(),
    applicationIds: fc.subarray(APPS),
    groupIds: fc.subarray(GROUPS),
  }),
);

/** A request from one of the tenant's admins (or a stranger) against one of its accounts (or another). */
export function requestArb(
  model: TenantModel,
): fc.Arbitrary<{ principal: Principal; action: string; target: Target }> {
  const accountIds = ["P", ...model.subaccounts.map((s) => s.id), "ELSEWHERE"];
  const adminIds = [...model.admins.map((a) => a.id), "STRANGER"];
  const homeOf = new Map(model.admins.map((a) => [a.id, a.accountId]));
  // Half of the requests go to the admin's own account, where roles, settings and units all apply.
  return fc
    .record({
      adminId: fc.constantFrom(...adminIds),
      atHome: fc.boolean(),
      action: fc.oneof(
        { weight: 20, arbitrary: fc.constantFrom(...ACTION_NAMES) },
        { weight: 1, arbitrary: fc.constant("users:obliterate") },
      ),
      target: fc.record({
        accountId: fc.constantFrom(...accountIds),
        object: fc.option(
          fc.oneof(
            { weight: 4, arbitrary: objectArb },
            {
              weight: 1,
              arbitrary: fc.record({
                kind: fc.constant("admin" as const),
                id: fc.constantFrom(...adminIds),
              }),
            },
          ),
          { nil: undefined, freq: 6 },
        ),
        groupId: fc.option(fc.constantFrom(...GROUPS), { nil: undefined, freq: 3 }),
        bypassExpirationMinutes: fc.option(fc.integer({ min: -5, max: 200 }), { nil: undefined }),
        adminChange: fc.option(
          fc.record(
            {
              role: fc.constantFrom(...ROLES),
              subaccountRole: fc.constantFrom(...ROLES),
              tags: fc.subarray(TAGS),
              unitIds: fc.subarray(["N0", "N1"]),
              restricted: fc.boolean(),
              status: fc.constantFrom(...STATUSES),
            },
            { requiredKeys: [] },
          ),
          { nil: undefined },
        ),
      }),
    })
    .map(({ adminId, atHome, action, target }) => ({
      principal: { kind: "admin" as const, adminId },
      action,
      target: atHome ? { ...target, accountId: homeOf.get(adminId) ?? target.accountId } : target,
    }));
}
