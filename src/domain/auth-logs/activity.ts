import { sql } from "kysely";
import { AUTH_RESULTS, type AuthResult } from "../../db/schema.js";
import type { UseCaseContext } from "../context.js";
import { prepareAuthLogQuery } from "./authentication-query.js";
import { matchingAuthRecords } from "./authentication-records.js";

/** How many days the Dashboard's chart shows, today included. */
export const ACTIVITY_DAYS = 7;
const DAY_MS = 86_400_000;

/** One day of authentication activity: the attempts of each result. */
export type ActivityDay = { date: string } & Record<AuthResult, number>;

export interface AuthenticationActivity {
  /** Oldest first, ACTIVITY_DAYS of them, days with no attempt included (as zeros). */
  days: ActivityDay[];
  /** Minutes east of UTC the days were cut at. */
  utc_offset: number;
}

/** "YYYY-MM-DD" of the day `time` falls in, `offset` minutes east of UTC. */
function localDate(time: number, offset: number): string {
  return new Date(time + offset * 60_000).toISOString().slice(0, 10);
}

/**
 * The Dashboard's authentication activity (R-AUTH-4): attempts of the last seven days by day and
 * result. Only for viewers of the Authentication Log (R-ROLE-3: not Billing), and within their
 * units (R-UNIT-8g): the log's own query, scope in SQL, counted by the database. Days are cut at
 * the viewer's local midnight (`utcOffset`, minutes east of UTC), so "today" is the viewer's; a
 * fixed offset, so a day that changes daylight saving time is off by an hour at one end.
 */
export async function authenticationActivity(
  ctx: UseCaseContext,
  utcOffset: number,
  now = new Date(),
): Promise<AuthenticationActivity> {
  const offsetMs = utcOffset * 60_000;
  const localMidnight = Math.floor((now.getTime() + offsetMs) / DAY_MS) * DAY_MS;
  const start = new Date(localMidnight - (ACTIVITY_DAYS - 1) * DAY_MS - offsetMs);
  const query = prepareAuthLogQuery(ctx, { from: start.toISOString() });
  const rows = await matchingAuthRecords(ctx.tx, query)
    .select([
      sql<string>`to_char((l.created_at at time zone 'UTC') + make_interval(mins => ${utcOffset}::int), 'YYYY-MM-DD')`.as(
        "date",
      ),
      "l.result",
      sql<number | string>`count(*)`.as("n"),
    ])
    .groupBy(["date", "l.result"])
    .execute();
  const days: ActivityDay[] = Array.from({ length: ACTIVITY_DAYS }, (_, index) => ({
    date: localDate(start.getTime() + index * DAY_MS, utcOffset),
    ...(Object.fromEntries(AUTH_RESULTS.map((result) => [result, 0])) as Record<
      AuthResult,
      number
    >),
  }));
  const byDate = new Map(days.map((day) => [day.date, day]));
  for (const row of rows) {
    const day = byDate.get(row.date);
    if (day) day[row.result] += Number(row.n);
  }
  return { days, utc_offset: utcOffset };
}
