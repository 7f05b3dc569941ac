import type { AuthResult } from "../../db/schema.js";
import type { UseCaseContext } from "../context.js";
import { pageOf, parseAfter } from "../log-keyset.js";
import type { Page } from "../paging.js";
import { mayViewDetails } from "../users/view.js";
import { type AuthLogFilter, type EventType, prepareAuthLogQuery } from "./authentication-query.js";
import { type AuthLogRow, fetchAuthRecords } from "./authentication-records.js";
import { hidePhoneNumbers } from "./phone-numbers.js";
import { USER_ID } from "./values.js";

/** The panel's filter: one value per field, as its form sends them. */
export interface PanelAuthLogFilter {
  from?: string;
  to?: string;
  /** A user id (exact), or part of a username (case-insensitive). */
  user?: string;
  application?: string;
  result?: string;
  reason?: string;
  factor?: string;
  event_type?: string;
}

/** One record as the panel shows it; the panel puts result, reason and factor into words. */
export interface AuthLogRecordView {
  id: string;
  txid: string;
  created_at: string;
  event_type: EventType;
  result: AuthResult;
  reason: string;
  factor: string;
  user: { id: string | null; username: string; groups: string[] };
  application: { id: string; name: string } | null;
  access_device: { ip: string | null; hostname: string | null };
  auth_device: { id: string | null; name: string } | null;
  /** The policy that decided, by the name it had then, and which of its sections (R-AUTH-4). */
  policy: { key: string; name: string; section: string } | null;
}

const listOf = (value: string | undefined) => (value === undefined ? undefined : [value]);

export function toAuthLogFilter(filter: PanelAuthLogFilter): AuthLogFilter {
  const user = filter.user?.trim();
  return {
    ...(filter.from === undefined ? {} : { from: filter.from }),
    ...(filter.to === undefined ? {} : { to: filter.to }),
    ...(user ? (USER_ID.test(user) ? { userIds: [user] } : { username: user }) : {}),
    applicationIds: listOf(filter.application),
    results: listOf(filter.result),
    reasons: listOf(filter.reason),
    factors: listOf(filter.factor),
    eventTypes: listOf(filter.event_type),
  };
}

/**
 * A record for the panel. `details` is R-ROLE-3's "no phone numbers" for Application Managers: an
 * SMS device's name carries its number, so theirs shows the last four digits only.
 */
export function toAuthLogView(row: AuthLogRow, details: boolean): AuthLogRecordView {
  const deviceName = row.auth_device_name;
  return {
    id: String(row.id),
    txid: row.txid,
    created_at: new Date(row.created_at).toISOString(),
    event_type: row.event_type,
    result: row.result,
    reason: row.reason,
    factor: row.factor,
    user: { id: row.user_id, username: row.username, groups: row.user_groups ?? [] },
    application:
      row.application_id === null
        ? null
        : { id: row.application_id, name: row.application_name ?? row.application_id },
    access_device: { ip: row.access_ip, hostname: row.access_hostname },
    auth_device:
      deviceName === null
        ? null
        : { id: row.auth_device_id, name: details ? deviceName : hidePhoneNumbers(deviceName) },
    policy:
      row.policy_key === null || row.policy_section === null
        ? null
        : {
            key: row.policy_key,
            name: row.policy_name ?? row.policy_key,
            section: row.policy_section,
          },
  };
}

/** R-AUTH-4: the Authentication Log, filtered, one page at a time (keyset: newest first). */
export async function listAuthenticationLog(
  ctx: UseCaseContext,
  filter: PanelAuthLogFilter & { limit: number; after?: string },
): Promise<Page<AuthLogRecordView>> {
  const after = parseAfter(filter.after);
  const query = prepareAuthLogQuery(ctx, toAuthLogFilter(filter));
  const details = mayViewDetails(ctx);
  const rows = await fetchAuthRecords(ctx.tx, query, filter.limit + 1, after);
  const page = pageOf(rows, filter.limit);
  return { items: page.rows.map((row) => toAuthLogView(row, details)), next: page.next };
}
