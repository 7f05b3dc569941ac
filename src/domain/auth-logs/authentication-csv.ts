import type { Executor } from "../../db/executor.js";
import type { UseCaseContext } from "../context.js";
import { mayViewDetails } from "../users/view.js";
import { type PanelAuthLogFilter, toAuthLogFilter, toAuthLogView } from "./authentication-list.js";
import { type AuthLogQuery, prepareAuthLogQuery } from "./authentication-query.js";
import { fetchAuthRecords } from "./authentication-records.js";
import { CSV_BATCH, csvFilename, streamCsv } from "./csv.js";

const HEADER = [
  "time",
  "txid",
  "event_type",
  "result",
  "reason",
  "factor",
  "user_id",
  "username",
  "user_groups",
  "application_id",
  "application",
  "access_ip",
  "access_hostname",
  "auth_device",
  "policy_key",
  "policy",
  "policy_section",
];

/** What a CSV download streams: the authorized query and whether phone numbers may show (R-ROLE-3). */
export interface AuthLogExport {
  query: AuthLogQuery;
  details: boolean;
  filename: string;
}

/** R-REP-1: authorizes the export (the same filter and scope as the list) before anything streams. */
export function prepareAuthLogExport(
  ctx: UseCaseContext,
  filter: PanelAuthLogFilter,
): AuthLogExport {
  return {
    query: prepareAuthLogQuery(ctx, toAuthLogFilter(filter)),
    details: mayViewDetails(ctx),
    filename: csvFilename("authentication-log"),
  };
}

/** The export's lines, newest first; Duo's codes as they are, for scripts and spreadsheets. */
export function authLogCsv(executor: Executor, input: AuthLogExport): AsyncGenerator<string> {
  return streamCsv(
    HEADER,
    (after) => fetchAuthRecords(executor, input.query, CSV_BATCH, after),
    (row) => {
      const view = toAuthLogView(row, input.details);
      return [
        view.created_at,
        view.txid,
        view.event_type,
        view.result,
        view.reason,
        view.factor,
        view.user.id,
        view.user.username,
        view.user.groups.join("; "),
        view.application?.id ?? null,
        view.application?.name ?? null,
        view.access_device.ip,
        view.access_device.hostname,
        view.auth_device?.name ?? null,
        view.policy?.key ?? null,
        view.policy?.name ?? null,
        view.policy?.section ?? null,
      ];
    },
  );
}
