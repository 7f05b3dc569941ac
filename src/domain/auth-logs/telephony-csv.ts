import type { Executor } from "../../db/executor.js";
import type { UseCaseContext } from "../context.js";
import { mayViewDetails } from "../users/view.js";
import { CSV_BATCH, csvFilename, streamCsv } from "./csv.js";
import { toTelephonyView } from "./telephony-list.js";
import {
  prepareTelephonyQuery,
  type TelephonyFilter,
  type TelephonyQuery,
} from "./telephony-query.js";
import { fetchTelephonyRecords } from "./telephony-records.js";

/** What a CSV download streams: the authorized query and whether full numbers may show (R-ROLE-3). */
export interface TelephonyExport {
  query: TelephonyQuery;
  details: boolean;
  filename: string;
}

/** R-REP-1: authorizes the export before anything streams. */
export function prepareTelephonyExport(
  ctx: UseCaseContext,
  filter: TelephonyFilter,
): TelephonyExport {
  return {
    query: prepareTelephonyQuery(ctx, filter),
    details: mayViewDetails(ctx),
    filename: csvFilename("telephony-log"),
  };
}

const HEADER = ["time", "type", "context", "phone", "credits", "user_id", "username", "txid"];

/** The export's lines, newest first. */
export function telephonyCsv(executor: Executor, input: TelephonyExport): AsyncGenerator<string> {
  return streamCsv(
    HEADER,
    (after) => fetchTelephonyRecords(executor, input.query, CSV_BATCH, after),
    (row) => {
      const view = toTelephonyView(row, input.details);
      return [
        view.created_at,
        view.type,
        view.context,
        view.phone,
        view.credits,
        view.user?.id ?? null,
        view.user?.username ?? null,
        view.txid,
      ];
    },
  );
}
