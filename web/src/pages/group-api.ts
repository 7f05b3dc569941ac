import { usePagedList } from "../api/pages.js";

/** The shapes of src/http/panel/groups.ts. */
export type GroupStatus = "active" | "bypass" | "disabled";

export interface Group {
  id: string;
  name: string;
  description: string;
  status: GroupStatus;
  member_count: number;
  created_at: string;
}

export const GROUP_STATUS_LABELS: Record<GroupStatus, string> = {
  active: "Active",
  bypass: "Bypass",
  disabled: "Disabled",
};

export const GROUPS_KEY = ["groups"] as const;
export const groupKey = (id: string) => ["groups", "one", id] as const;

/** GET /api/groups: only the groups of a restricted admin's units (R-UNIT-8b), paged by keyset. */
export function useGroupPages(search: string, limit = 50) {
  return usePagedList<Group>([...GROUPS_KEY, "list", search, limit], "/groups", { search, limit });
}
