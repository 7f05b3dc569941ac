import { useQueries, useQuery } from "@tanstack/react-query";
import { api } from "./client.js";
import { useSession } from "./session.js";
import type { Action, ExplainObject, Explanation } from "./types.js";

/** What to ask the engine: an action, optionally on one object or in another account. */
export interface DecisionQuery {
  action: Action;
  object?: ExplainObject;
  accountId?: string;
}

function explainKey(accountId: string | undefined, query: DecisionQuery) {
  return [
    "explain",
    accountId,
    query.action,
    query.accountId ?? null,
    query.object?.kind ?? null,
    query.object?.id ?? null,
  ] as const;
}

export function fetchExplanation(query: DecisionQuery): Promise<Explanation> {
  return api.post<Explanation>("/explain", {
    action: query.action,
    ...(query.accountId ? { account_id: query.accountId } : {}),
    ...(query.object ? { object: query.object } : {}),
  });
}

/**
 * The engine's decision and explanation (POST /api/explain, R-AUD-2) for the signed-in admin, in
 * the account the session acts in unless the query names another. The same answer decides whether
 * an action is offered and what its "Why?" link says.
 */
export function useDecision(query: DecisionQuery, enabled = true) {
  const session = useSession().data;
  return useQuery({
    queryKey: explainKey(session?.account_id, query),
    queryFn: () => fetchExplanation(query),
    enabled: enabled && Boolean(session),
    staleTime: 30_000,
  });
}

/** Several decisions at once (the navigation); `allowed` is undefined until every answer is in. */
export function useDecisions(queries: readonly DecisionQuery[]): {
  allowed: ReadonlyMap<Action, boolean> | undefined;
} {
  const session = useSession().data;
  const results = useQueries({
    queries: queries.map((query) => ({
      queryKey: explainKey(session?.account_id, query),
      queryFn: () => fetchExplanation(query),
      enabled: Boolean(session),
      staleTime: 30_000,
    })),
  });
  if (results.some((result) => result.isPending)) return { allowed: undefined };
  const allowed = new Map<Action, boolean>();
  queries.forEach((query, index) => {
    allowed.set(query.action, results[index]?.data?.allow ?? false);
  });
  return { allowed };
}
