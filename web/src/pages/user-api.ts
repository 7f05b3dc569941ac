import { usePagedList } from "../api/pages.js";

/** The shapes of src/http/panel/users.ts, groups.ts and bypass-codes.ts the Users pages read. */
export type UserStatus = "active" | "bypass" | "disabled" | "locked out" | "pending deletion";

export interface GroupRef {
  id: string;
  name: string;
}

export interface User {
  id: string;
  username: string;
  aliases: string[];
  real_name: string;
  /** R-ROLE-3: absent for admins who see only name, username and status. */
  email?: string;
  notes?: string;
  status: UserStatus;
  groups: GroupRef[];
  created_at: string;
  last_login_at: string | null;
}

export interface BypassCode {
  id: string;
  created_at: string;
  expires_at: string | null;
  reuse_count: number;
  remaining_uses: number | null;
  created_by: string;
  created_by_admin: boolean;
}

export type CreatedBypassCode = BypassCode & { code: string };

export const USERS_KEY = ["users"] as const;
export const userKey = (id: string) => ["users", "one", id] as const;
export const bypassCodesKey = (id: string) => ["users", "bypass-codes", id] as const;

export const STATUS_LABELS: Record<UserStatus, string> = {
  active: "Active",
  bypass: "Bypass",
  disabled: "Disabled",
  "locked out": "Locked Out",
  "pending deletion": "Pending Deletion",
};

export const STATUS_COLORS: Record<UserStatus, string> = {
  active: "teal",
  bypass: "yellow",
  disabled: "gray",
  "locked out": "red",
  "pending deletion": "orange",
};

/** GET /api/users, searched on the server and paged by keyset ("Load more"). */
export function useUserPages(search: string, limit = 50, groupId?: string) {
  return usePagedList<User>([...USERS_KEY, "list", search, limit, groupId], "/users", {
    search,
    limit,
    group_id: groupId,
  });
}
