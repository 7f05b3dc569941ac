import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { api } from "../api/client.js";
import { MAX_PAGE_SIZE, usePagedList } from "../api/pages.js";
import { useSession } from "../api/session.js";
import type { Edition } from "../api/types.js";
import { SWITCHER_KEY } from "../components/account-switcher.js";

/** GET /api/accounts, one row (src/http/panel/accounts.ts). */
export interface Subaccount {
  id: string;
  name: string;
  edition: Edition;
  nfr: boolean;
  /** R-TAG-1: case-sensitive, sorted by the server. */
  tags: string[];
  /** R-TAG-2 for the signed-in admin; R-TAG-4 lists the others too. */
  accessible: boolean;
  created_at: string;
}

/** GET /api/tags: the tags assigned to at least one subaccount or admin (R-TAG-3). */
export interface TagUse {
  tag: string;
  subaccounts: number;
  admins: number;
}

/** The body of POST /api/accounts and PATCH /api/accounts/:id: only the fields being changed. */
export interface SubaccountInput {
  name?: string;
  edition?: Edition;
  nfr?: boolean;
  tags?: string[];
}

export const subaccountsKey = (accountId: string | undefined) =>
  ["subaccounts", accountId] as const;
export const tagsKey = (accountId: string | undefined) => ["tags", accountId] as const;

/**
 * R-TAG-4, R-TAG-6: the subaccounts of the parent, filtered by the server: `search` is part of the
 * name (any case), `tag` one exact, case-sensitive tag (R-TAG-1). Pages of 500, "Load more" after.
 */
export function useSubaccounts(search: string, tag: string) {
  const accountId = useSession().data?.account_id;
  return usePagedList<Subaccount>(
    [...subaccountsKey(accountId), search, tag],
    "/accounts",
    { search, tag, limit: MAX_PAGE_SIZE },
    { keepPrevious: true },
  );
}

/** R-TAG-3: the tags offered in the pickers. */
export function useTags() {
  const accountId = useSession().data?.account_id;
  return useQuery({
    queryKey: tagsKey(accountId),
    queryFn: () => api.get<TagUse[]>("/tags"),
  });
}

/** After a change to a subaccount: the list, the tags, the switcher and the decisions may all differ. */
export function useRefreshSubaccounts() {
  const client = useQueryClient();
  return useCallback(async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: ["subaccounts"] }),
      client.invalidateQueries({ queryKey: ["subaccount"] }),
      client.invalidateQueries({ queryKey: ["tags"] }),
      client.invalidateQueries({ queryKey: SWITCHER_KEY }),
      client.invalidateQueries({ queryKey: ["explain"] }),
    ]);
  }, [client]);
}
