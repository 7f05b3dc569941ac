import { sql } from "kysely";
import type { Executor } from "../../db/executor.js";
import { RateLimited } from "../errors.js";

export interface ThrottlePolicy {
  /** Sign-in attempts (passwords and codes) one address may make per window. */
  attemptsPerWindow: number;
  windowSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { attemptsPerWindow: 30, windowSeconds: 900 };

/**
 * R-ADM-4: counts one sign-in attempt for the address in a fixed window, atomically (several
 * instances share the table), and refuses it once the window's allowance is spent.
 */
export async function consumeSignInAttempt(
  executor: Executor,
  ip: string,
  policy: ThrottlePolicy,
  now: Date,
): Promise<void> {
  const windowStart = new Date(now.getTime() - policy.windowSeconds * 1000);
  const row = await executor
    .insertInto("sign_in_throttle")
    .values({ ip, window_started_at: now, attempts: 1 })
    .onConflict((oc) =>
      oc.column("ip").doUpdateSet({
        attempts: sql`case when sign_in_throttle.window_started_at <= ${windowStart} then 1 else sign_in_throttle.attempts + 1 end`,
        window_started_at: sql`case when sign_in_throttle.window_started_at <= ${windowStart} then ${now} else sign_in_throttle.window_started_at end`,
      }),
    )
    .returning(["attempts", "window_started_at"])
    .executeTakeFirstOrThrow();
  if (row.attempts > policy.attemptsPerWindow) {
    const endsAt = new Date(row.window_started_at).getTime() + policy.windowSeconds * 1000;
    throw new RateLimited(Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)));
  }
}
