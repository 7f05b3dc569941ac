import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { ApiError, api, setCsrfToken } from "./client.js";
import type { Session } from "./types.js";

export const SESSION_KEY = ["session"] as const;

/** The signed-in session, or null when there is none (the server answered 401). */
async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api.get<Session>("/auth/session");
    setCsrfToken(session.csrf_token);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(undefined);
      return null;
    }
    throw error;
  }
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000 });
}

/** The session of a page behind the shell, which renders only once it has one. */
export function useSignedIn(): Session {
  const { data } = useSession();
  if (!data) throw new Error("useSignedIn is for pages inside the signed-in shell");
  return data;
}

/**
 * Forgets everything cached for the previous session or account: after sign-in, sign-out and an
 * account switch every answer may differ, so nothing stale is shown.
 */
export function useResetData() {
  const client = useQueryClient();
  return useCallback(async () => {
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
    await client.invalidateQueries({ queryKey: SESSION_KEY });
  }, [client]);
}
