import { useQuery } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { fetchEvery } from "../api/pages.js";
import { useSignedIn } from "../api/session.js";
import type { Role } from "../api/types.js";

/** The shapes of src/http/panel/units.ts, admins.ts, groups.ts and applications.ts the unit pages read. */
export interface Unit {
  id: string;
  name: string;
  description: string;
  all_groups: boolean;
  all_applications: boolean;
  group_ids: string[];
  application_ids: string[];
  admin_ids: string[];
  counts: { groups: number; applications: number; admins: number };
  created_at: string;
}

/** POST /api/units and PATCH /api/units/:id (R-UNIT-2): a unit's editable fields. */
export type UnitBody = Pick<
  Unit,
  | "name"
  | "description"
  | "all_groups"
  | "all_applications"
  | "group_ids"
  | "application_ids"
  | "admin_ids"
>;

export interface ScopePreview {
  all: boolean;
  count: number;
  items?: { id: string; name: string }[];
  truncated?: boolean;
}

/** GET /api/units/preview (R-UNIT-7). */
export interface UnitPreview {
  admin_id: string;
  restricted: boolean;
  unit_ids: string[];
  groups: ScopePreview;
  applications: ScopePreview;
  refusal: { rule: string; reason: string } | null;
}

export interface AdminSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: string;
  restricted_by_units: boolean;
  unit_ids: string[];
}

export interface Named {
  id: string;
  name: string;
}

/** The pickers offer at most this many pages (10,000 rows); past that, later rows are not offered. */
const MAX_PAGES = 20;

/** Every row of a list, up to MAX_PAGES pages. */
function fetchPicker<T>(path: string): Promise<T[]> {
  return fetchEvery<T>(path, {}, MAX_PAGES);
}

/** Query keys: the first element is what a mutation invalidates, the second the acting account. */
export const unitKeys = {
  all: ["units"] as const,
  list: (accountId: string) => ["units", accountId, "list"] as const,
  one: (accountId: string, id: string) => ["units", accountId, "one", id] as const,
  preview: (accountId: string, adminId: string, unitIds: readonly string[]) =>
    ["units", accountId, "preview", adminId, ...unitIds] as const,
};
export const ADMINS_KEY = ["admins"] as const;

export function useUnits() {
  const { account_id } = useSignedIn();
  return useQuery({
    queryKey: unitKeys.list(account_id),
    queryFn: () => fetchPicker<Unit>("/units"),
  });
}

export function useUnit(id: string | undefined) {
  const { account_id } = useSignedIn();
  return useQuery({
    queryKey: unitKeys.one(account_id, id ?? ""),
    queryFn: () => api.get<Unit>(`/units/${encodeURIComponent(id ?? "")}`),
    enabled: id !== undefined,
  });
}

/** The admins of the account, for the unit's "Administrators" picker and R-UNIT-5's warning. */
export function useAdmins(enabled = true) {
  const { account_id } = useSignedIn();
  return useQuery({
    queryKey: [...ADMINS_KEY, account_id, "unit-picker"],
    queryFn: () => fetchPicker<AdminSummary>("/admins"),
    enabled,
  });
}

export function useGroups() {
  const { account_id } = useSignedIn();
  return useQuery({
    queryKey: ["groups", account_id, "unit-picker"],
    queryFn: () => fetchPicker<Named>("/groups"),
  });
}

export function useApplications() {
  const { account_id } = useSignedIn();
  return useQuery({
    queryKey: ["applications", account_id, "unit-picker"],
    queryFn: () => fetchPicker<Named>("/applications"),
  });
}

/**
 * R-UNIT-7: what an admin manages through their saved units other than the one being edited, with
 * names, and the engine's verdict on restricting them (R-UNIT-8h, R-ROLE-6).
 */
export function usePreview(adminId: string, otherUnitIds: readonly string[]) {
  const { account_id } = useSignedIn();
  return useQuery({
    queryKey: unitKeys.preview(account_id, adminId, otherUnitIds),
    queryFn: () => {
      const search = new URLSearchParams({ admin_id: adminId, details: "true" });
      for (const id of otherUnitIds) search.append("unit_ids", id);
      return api.get<UnitPreview>(`/units/preview?${search.toString()}`);
    },
    staleTime: 10_000,
  });
}

/** "All" where a scope is every object of the account, otherwise its count. */
export function scopeText(all: boolean, count: number): string {
  return all ? "All" : count.toLocaleString();
}

export function plural(count: number, noun: string): string {
  return `${count.toLocaleString()} ${noun}${count === 1 ? "" : "s"}`;
}
