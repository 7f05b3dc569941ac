import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { prepareTelephonyExport, telephonyCsv } from "../../domain/auth-logs/telephony-csv.js";
import { listTelephonyLog } from "../../domain/auth-logs/telephony-list.js";
import { CsvResponse, sendCsv } from "./access-summary.js";
import { Input, PageOf, PageQuery } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const Time = Type.String({ format: "date-time", maxLength: 64 });
const Context = Type.Union([
  Type.Literal("authentication"),
  Type.Literal("activation"),
  Type.Literal("test"),
]);
const Filter = {
  from: Type.Optional(Time),
  to: Type.Optional(Time),
  user: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 300,
      description: "A user id (exact), or part of the username (case-insensitive)",
    }),
  ),
  context: Type.Optional(Context),
};

const TelephonyRecord = Type.Object({
  id: Type.String(),
  created_at: Type.String(),
  type: Type.Literal("sms"),
  context: Context,
  phone: Type.String({ description: "The last four digits only, for Application Managers" }),
  credits: Type.Integer(),
  user: Type.Union([
    Type.Object({ id: Type.String(), username: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  txid: Type.Union([Type.String(), Type.Null()]),
});

/** The Telephony Log (every SMS sent, with its credits), paged and as CSV (R-REP-1, R-UNIT-8g). */
export const telephonyLogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/telephony-log",
    {
      config: { action: "reports:view_telephony_log" },
      schema: {
        querystring: Input({ ...Filter, ...PageQuery }),
        response: { 200: PageOf(TelephonyRecord) },
      },
    },
    (request) => asAdmin(app, request, "read", (ctx) => listTelephonyLog(ctx, request.query)),
  );

  app.get(
    "/telephony-log.csv",
    {
      config: { action: "reports:view_telephony_log" },
      schema: { querystring: Input(Filter), response: { 200: CsvResponse } },
    },
    async (request, reply) => {
      const download = await asAdmin(app, request, "read", async (ctx) =>
        prepareTelephonyExport(ctx, request.query),
      );
      return sendCsv(reply, download.filename, telephonyCsv(app.services.database.db, download));
    },
  );
};
