import type { UseCaseContext } from "../context.js";
import { pageOf, parseAfter } from "../log-keyset.js";
import type { Page } from "../paging.js";
import { mayViewDetails } from "../users/view.js";
import { hidePhoneNumbers } from "./phone-numbers.js";
import {
  prepareTelephonyQuery,
  type TelephonyContext,
  type TelephonyFilter,
} from "./telephony-query.js";
import { fetchTelephonyRecords, type TelephonyRow } from "./telephony-records.js";

/** One message as the panel shows it. */
export interface TelephonyRecordView {
  id: string;
  created_at: string;
  type: "sms";
  context: TelephonyContext;
  /** R-ROLE-3: the last four digits only, for Application Managers. */
  phone: string;
  credits: number;
  user: { id: string; username: string | null } | null;
  txid: string | null;
}

export function toTelephonyView(row: TelephonyRow, details: boolean): TelephonyRecordView {
  return {
    id: String(row.id),
    created_at: new Date(row.created_at).toISOString(),
    type: row.type,
    context: row.context,
    phone: details ? row.phone_number : hidePhoneNumbers(row.phone_number),
    credits: row.credits,
    user: row.user_id === null ? null : { id: row.user_id, username: row.username },
    txid: row.txid,
  };
}

/** The Telephony Log, filtered, one page at a time (keyset: newest first). */
export async function listTelephonyLog(
  ctx: UseCaseContext,
  filter: TelephonyFilter & { limit: number; after?: string },
): Promise<Page<TelephonyRecordView>> {
  const after = parseAfter(filter.after);
  const query = prepareTelephonyQuery(ctx, filter);
  const details = mayViewDetails(ctx);
  const rows = await fetchTelephonyRecords(ctx.tx, query, filter.limit + 1, after);
  const page = pageOf(rows, filter.limit);
  return { items: page.rows.map((row) => toTelephonyView(row, details)), next: page.next };
}
