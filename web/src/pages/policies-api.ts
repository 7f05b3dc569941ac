import { useQuery } from "@tanstack/react-query";
import type { SectionName, PolicySections as Sections } from "../../../src/authn/policy-model.js";
import { api } from "../api/client.js";
import { fetchEvery } from "../api/pages.js";
import { useSignedIn } from "../api/session.js";

/** The shapes of src/http/panel/policies.ts (R-POL-1, R-POL-2): the server's own policy model. */
export type {
  Method,
  NewUserBehavior,
  PolicySections as Sections,
  SectionName,
  UserAuthBehavior,
} from "../../../src/authn/policy-model.js";
export { SECTION_NAMES } from "../../../src/authn/policy-model.js";

export interface GroupsInApplication {
  application_id: string;
  group_ids: string[];
}

export interface Policy {
  key: string;
  name: string;
  is_global: boolean;
  sections: Sections;
  application_ids: string[];
  groups: GroupsInApplication[];
}

/** PATCH /api/policies/:key: a section set to null is removed (it falls through again). */
export interface PolicyPatch {
  name?: string;
  sections?: { [S in SectionName]?: Sections[S] | null };
  apply_to_applications?: string[];
  unapply_from_applications?: string[];
  apply_to_groups?: GroupsInApplication[];
  unapply_from_groups?: GroupsInApplication[];
}

export interface Named {
  id: string;
  name: string;
}

/** Query keys: the first element is what a mutation invalidates, the second the acting account. */
export const policyKeys = {
  all: ["policies"] as const,
  list: (accountId: string) => ["policies", accountId, "list"] as const,
  one: (accountId: string, key: string) => ["policies", accountId, "one", key] as const,
};

/** The list's largest page; the server pages by offset, with the total. */
const PAGE_SIZE = 500;

async function fetchPolicies(): Promise<Policy[]> {
  const all: Policy[] = [];
  for (;;) {
    const page = await api.get<{ items: Policy[]; total: number }>(
      `/policies?limit=${PAGE_SIZE}&offset=${all.length}`,
    );
    all.push(...page.items);
    if (page.items.length === 0 || all.length >= page.total) return all;
  }
}

export function usePolicies() {
  const { account_id } = useSignedIn();
  return useQuery({ queryKey: policyKeys.list(account_id), queryFn: fetchPolicies });
}

export function usePolicy(key: string) {
  const { account_id } = useSignedIn();
  return useQuery({
    queryKey: policyKeys.one(account_id, key),
    queryFn: () => api.get<Policy>(`/policies/${encodeURIComponent(key)}`),
  });
}

export const policyPath = (key: string) => `/policies/${encodeURIComponent(key)}`;

export function updatePolicy(key: string, body: PolicyPatch): Promise<Policy> {
  return api.patch<Policy>(`/policies/${encodeURIComponent(key)}`, body);
}

/** The pickers offer at most this many pages of applications and groups. */
const MAX_PAGES = 20;

/** Applications and groups by id, for naming where a policy applies; what the admin may see. */
export function useNames() {
  const { account_id } = useSignedIn();
  const applications = useQuery({
    queryKey: ["applications", account_id, "policy-names"],
    queryFn: () => fetchEvery<Named & { type: string }>("/applications", {}, MAX_PAGES),
  });
  const groups = useQuery({
    queryKey: ["groups", account_id, "policy-names"],
    queryFn: () => fetchEvery<Named>("/groups", {}, MAX_PAGES),
  });
  const byId = (rows: Named[] | undefined) => new Map((rows ?? []).map((row) => [row.id, row]));
  const applicationNames = byId(applications.data);
  const groupNames = byId(groups.data);
  return {
    loaded: applications.isSuccess && groups.isSuccess,
    /** Whether the admin sees it: a restricted admin sees only their units' (R-UNIT-8). */
    seesApplication: (id: string) => applicationNames.has(id),
    seesGroup: (id: string) => groupNames.has(id),
    /** API applications take no policy: nobody logs in to them. */
    applications: (applications.data ?? []).filter(
      (app) => app.type !== "adminapi" && app.type !== "accountsapi",
    ),
    groups: groups.data ?? [],
    application: (id: string) =>
      applicationNames.get(id)?.name ?? "An application outside your administrative units",
    group: (id: string) => groupNames.get(id)?.name ?? "A group outside your administrative units",
  };
}

/**
 * Where a policy applies in words: "Applied to Payroll, VPN and 3 groups"; the first applications by
 * name, then how many more and how many groups.
 */
export function placementText(policy: Policy, applicationName: (id: string) => string): string {
  if (policy.is_global) return "Wherever no other policy applies";
  const shown = 3;
  const groups = policy.groups.reduce((sum, entry) => sum + entry.group_ids.length, 0);
  const apps = policy.application_ids;
  const parts = [
    ...apps.slice(0, shown).map(applicationName),
    apps.length > shown ? plural(apps.length - shown, "more application") : "",
    groups > 0 ? plural(groups, "group") : "",
  ].filter((part) => part !== "");
  if (parts.length === 0) return "Not applied anywhere";
  const last = parts.pop();
  return `Applied to ${parts.length > 0 ? `${parts.join(", ")} and ${last}` : last}`;
}

export function plural(count: number, noun: string): string {
  return `${count.toLocaleString()} ${noun}${count === 1 ? "" : "s"}`;
}
