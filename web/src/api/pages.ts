import { keepPreviousData, type QueryKey, useInfiniteQuery } from "@tanstack/react-query";
import { api, queryString } from "./client.js";

/**
 * The panel's paged lists (src/domain/paging.ts): a keyset page of rows and the cursor that asks
 * for the next one (`after`), null on the last page.
 */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** A list request's filters, as queryString takes them. */
export type ListParams = Record<string, string | number | undefined>;

/** The server's largest page (MAX_PAGE_SIZE in src/domain/paging.ts): fewest round trips. */
export const MAX_PAGE_SIZE = 500;

/**
 * Every row of a paged list, page after page, for tables and pickers that filter and sort in the
 * browser. `maxPages` bounds what a picker holds in an account with very many rows.
 */
export async function fetchEvery<T>(
  path: string,
  params: ListParams = {},
  maxPages = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const rows: T[] = [];
  let after: string | undefined;
  for (let count = 0; count < maxPages; count += 1) {
    const page = await api.get<Page<T>>(
      `${path}${queryString({ ...params, limit: MAX_PAGE_SIZE, after })}`,
    );
    rows.push(...page.items);
    if (!page.next) break;
    after = page.next;
  }
  return rows;
}

/** Every row of the pages loaded so far, or undefined while the first loads. */
export function rowsOf<T>(data: { pages: Page<T>[] } | undefined): T[] | undefined {
  return data?.pages.flatMap((page) => page.items);
}

/**
 * A list searched and paged on the server, one page at a time ("Load more"). `params` are the
 * list's filters (with `limit`); the query key is the caller's, so mutations can invalidate by it.
 * `keepPrevious` keeps the rows shown while a changed filter's first page loads, so nothing flickers.
 */
export function usePagedList<T>(
  key: QueryKey,
  path: string,
  params: ListParams,
  { keepPrevious = false }: { keepPrevious?: boolean } = {},
) {
  return useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) =>
      api.get<Page<T>>(`${path}${queryString({ ...params, after: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next ?? undefined,
    ...(keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
}
