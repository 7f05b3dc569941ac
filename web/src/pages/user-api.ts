import { useInfiniteQuery } from "@tanstack/react-query";
import { api, queryString } from "../api/client.js";

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

/** A keyset page of a panel list (`next` is the cursor for `after`). */
export interface Page<T> {
  items: T[];
  next: string | null;
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
  return useInfiniteQuery({
    queryKey: [...USERS_KEY, "list", search, limit, groupId],
    queryFn: ({ pageParam }) =>
      api.get<Page<User>>(
        `/users${queryString({ search, limit, group_id: groupId, after: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next ?? undefined,
  });
}

/** Every row of the pages loaded so far, or undefined while the first loads. */
export function rowsOf<T>(data: { pages: Page<T>[] } | undefined): T[] | undefined {
  return data?.pages.flatMap((page) => page.items);
}
