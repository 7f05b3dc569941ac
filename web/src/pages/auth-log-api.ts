/**
 * The shapes of src/http/panel/authentication-log.ts, telephony-log.ts and
 * authentication-activity.ts, and the filters as the pages hold them.
 */

export type AuthResult = "success" | "denied" | "error" | "fraud";
export const AUTH_RESULTS: readonly AuthResult[] = ["success", "denied", "error", "fraud"];

/** One record of GET /api/authentication-log. */
export interface AuthLogRecord {
  id: string;
  txid: string;
  created_at: string;
  event_type: "authentication" | "enrollment";
  result: AuthResult;
  /** Duo's reason code: valid_passcode, invalid_passcode, locked_out, ... */
  reason: string;
  /** Duo's factor code: duo_mobile_passcode, bypass_code, ... */
  factor: string;
  /** `id` is null when no user had the name the client gave. */
  user: { id: string | null; username: string; groups: string[] };
  application: { id: string; name: string } | null;
  access_device: { ip: string | null; hostname: string | null };
  auth_device: { id: string | null; name: string } | null;
  /** The policy that decided (by its name then) and which of its settings; null: the user's standing did. */
  policy: { key: string; name: string; section: string } | null;
}

export type TelephonyContext = "authentication" | "activation" | "test";

/** One message of GET /api/telephony-log. */
export interface TelephonyRecord {
  id: string;
  created_at: string;
  type: "sms";
  context: TelephonyContext;
  /** The last four digits only, for Application Managers (R-ROLE-3). */
  phone: string;
  credits: number;
  user: { id: string; username: string | null } | null;
  txid: string | null;
}

/** GET /api/dashboard/authentication-activity: the last seven days, oldest first. */
export interface ActivityDay extends Record<AuthResult, number> {
  date: string;
}
export interface AuthenticationActivity {
  days: ActivityDay[];
  utc_offset: number;
}

/** A date range as the filters' date fields hold it: "YYYY-MM-DD" in the viewer's time zone, or "". */
export interface DayRange {
  from: string;
  to: string;
}

/**
 * The API's times for a range of days: "from" at its local midnight, "to" at the midnight after
 * its day (the API's `to` is exclusive, the field's day is meant whole).
 */
export function rangeTimes(range: DayRange): { from?: string; to?: string } {
  const midnight = (day: string, plusDays = 0) => {
    const time = new Date(`${day}T00:00:00`);
    if (Number.isNaN(time.getTime())) return undefined;
    time.setDate(time.getDate() + plusDays);
    return time.toISOString();
  };
  return {
    from: range.from ? midnight(range.from) : undefined,
    to: range.to ? midnight(range.to, 1) : undefined,
  };
}

/** "To" before "From": said beside the field, and the filter waits for a range that makes sense. */
export function rangeError(range: DayRange): string | undefined {
  return range.from && range.to && range.to < range.from
    ? "The end is before the start"
    : undefined;
}
