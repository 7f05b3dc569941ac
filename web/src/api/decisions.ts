import { useQuery, useQueryClient } from "@tanstack/react-query";
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

/** A query as the API's question body names it. */
function questionOf(query: DecisionQuery) {
  return {
    action: query.action,
    ...(query.accountId ? { account_id: query.accountId } : {}),
    ...(query.object ? { object: query.object } : {}),
  };
}

export function fetchExplanation(query: DecisionQuery): Promise<Explanation> {
  return api.post<Explanation>("/explain", questionOf(query));
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

/**
 * Several decisions in one request (POST /api/decisions: the navigation asks one per page); each
 * answer also fills the cache useDecision reads, so a page asking the same question asks nobody.
 * `allowed` is undefined until the answers are in.
 */
export function useDecisions(queries: readonly DecisionQuery[]): {
  allowed: ReadonlyMap<Action, boolean> | undefined;
} {
  const session = useSession().data;
  const queryClient = useQueryClient();
  const accountId = session?.account_id;
  const result = useQuery({
    queryKey: ["decisions", accountId, ...queries.map((query) => explainKey(accountId, query))],
    queryFn: async () => {
      const { answers } = await api.post<{ answers: Explanation[] }>("/decisions", {
        questions: queries.map(questionOf),
      });
      queries.forEach((query, index) => {
        const answer = answers[index];
        if (answer) queryClient.setQueryData(explainKey(accountId, query), answer);
      });
      return answers;
    },
    enabled: Boolean(session) && queries.length > 0,
    staleTime: 30_000,
  });
  if (!result.data) return { allowed: undefined };
  const answers = result.data;
  const allowed = new Map<Action, boolean>();
  queries.forEach((query, index) => {
    allowed.set(query.action, answers[index]?.allow ?? false);
  });
  return { allowed };
}
