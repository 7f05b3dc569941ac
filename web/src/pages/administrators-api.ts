import { useQuery } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import { fetchEvery } from "../api/pages.js";
import { useSignedIn } from "../api/session.js";
import type { AdminStatus, Dashboard, Role } from "../api/types.js";

/** GET /api/admins/:id, one row of GET /api/admins (src/http/panel/admins.ts). */
export interface Admin {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  role: Role;
  subaccount_role: Role | null;
  status: AdminStatus;
  tags: string[];
  restricted_by_units: boolean;
  unit_ids: string[];
  directory_synced: boolean;
  is_temporary: boolean;
  last_sign_in_at: string | null;
  created_at: string;
}

/** R-ADM-2: the link a new admin activates with, shown once to the Owner. */
export interface ActivationLink {
  url: string;
  expires_at: string;
  /** Where it was emailed, when the Owner asked for that. */
  emailed_to?: string;
}

/** What the unit pickers need of GET /api/units. */
export interface UnitSummary {
  id: string;
  name: string;
}

export const ROLES: readonly Role[] = [
  "Owner",
  "Administrator",
  "Application Manager",
  "User Manager",
  "Help Desk",
  "Billing",
  "Read-only",
];

export const adminsKey = (accountId: string) => ["admins", accountId] as const;
export const adminKey = (accountId: string, id: string) => ["admins", accountId, id] as const;

/** Every administrator of the account the session acts in (R-TEN-2): the table filters and sorts them. */
export function useAdmins() {
  const session = useSignedIn();
  return useQuery({
    queryKey: adminsKey(session.account_id),
    queryFn: () => fetchEvery<Admin>("/admins"),
  });
}

export function useAdmin(id: string) {
  const session = useSignedIn();
  return useQuery({
    queryKey: adminKey(session.account_id, id),
    queryFn: () => api.get<Admin>(`/admins/${encodeURIComponent(id)}`),
  });
}

/**
 * The account's units, for the pickers: asked only where the engine allows units:manage (Owners, in
 * paid editions, R-UNIT-1, R-PLAN-3); undefined elsewhere, and the pickers are not offered.
 */
export function useUnitChoices(): { units: UnitSummary[] | undefined; allowed: boolean } {
  const session = useSignedIn();
  const decision = useDecision({ action: "units:manage" });
  const allowed = decision.data?.allow === true;
  const units = useQuery({
    queryKey: ["units", session.account_id, "choices"] as const,
    queryFn: async () =>
      (await fetchEvery<UnitSummary>("/units")).map(({ id, name }) => ({ id, name })),
    enabled: allowed,
  });
  return { units: units.data, allowed };
}

/** The account the session acts in (the Dashboard's answer, shared with its cache). */
export function useCurrentAccount(): Dashboard | undefined {
  const session = useSignedIn();
  const account = useQuery({
    queryKey: ["dashboard", session.account_id] as const,
    queryFn: () => api.get<Dashboard>("/account"),
  });
  return account.data;
}

/** Is the session acting in a subaccount? Its admins have no subaccount role nor tags (R-SUB-5). */
export function useIsSubaccount(): boolean | undefined {
  return useCurrentAccount()?.is_subaccount;
}

/** R-PLAN-1: is the account the session acts in Free, where every admin acts as an Owner? */
export function useIsFree(): boolean {
  return useCurrentAccount()?.edition === "Free";
}

/** R-TAG-6: name, email, role, subaccount role or a tag; tags case-sensitively (R-TAG-1). */
export function adminMatches(admin: Admin, query: string): boolean {
  const lower = query.toLowerCase();
  return (
    admin.name.toLowerCase().includes(lower) ||
    admin.email.toLowerCase().includes(lower) ||
    admin.role.toLowerCase().includes(lower) ||
    (admin.subaccount_role?.toLowerCase().includes(lower) ?? false) ||
    admin.tags.some((tag) => tag.includes(query))
  );
}
