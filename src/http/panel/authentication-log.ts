import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { authLogCsv, prepareAuthLogExport } from "../../domain/auth-logs/authentication-csv.js";
import { listAuthenticationLog } from "../../domain/auth-logs/authentication-list.js";
import { CsvResponse, sendCsv } from "./access-summary.js";
import { IdOf, Input, PageOf, PageQuery } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const Time = Type.String({ format: "date-time", maxLength: 64 });
const Code = Type.String({ pattern: "^[a-z][a-z0-9_]{0,63}$" });
const Result = Type.Union([
  Type.Literal("success"),
  Type.Literal("denied"),
  Type.Literal("error"),
  Type.Literal("fraud"),
]);
const EventType = Type.Union([Type.Literal("authentication"), Type.Literal("enrollment")]);
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
  application: Type.Optional(IdOf("DI")),
  result: Type.Optional(Result),
  reason: Type.Optional(Code),
  factor: Type.Optional(Code),
  event_type: Type.Optional(EventType),
};
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const AuthLogRecord = Type.Object({
  id: Type.String(),
  txid: Type.String(),
  created_at: Type.String(),
  event_type: EventType,
  result: Result,
  reason: Type.String(),
  factor: Type.String(),
  user: Type.Object({
    id: Nullable(Type.String()),
    username: Type.String(),
    groups: Type.Array(Type.String()),
  }),
  application: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  access_device: Type.Object({ ip: Nullable(Type.String()), hostname: Nullable(Type.String()) }),
  auth_device: Type.Union([
    Type.Object({ id: Nullable(Type.String()), name: Type.String() }),
    Type.Null(),
  ]),
  policy: Type.Union([
    Type.Object({ key: Type.String(), name: Type.String(), section: Type.String() }),
    Type.Null(),
  ]),
});

/**
 * R-AUTH-4: the Authentication Log, filtered, paged and as CSV (R-REP-1), for the roles that view
 * it (R-ROLE-3) and within a restricted admin's units (R-UNIT-8g).
 */
export const authenticationLogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/authentication-log",
    {
      config: { action: "reports:view_authentication_log" },
      schema: {
        querystring: Input({ ...Filter, ...PageQuery }),
        response: { 200: PageOf(AuthLogRecord) },
      },
    },
    (request) => asAdmin(app, request, "read", (ctx) => listAuthenticationLog(ctx, request.query)),
  );

  app.get(
    "/authentication-log.csv",
    {
      config: { action: "reports:view_authentication_log" },
      schema: { querystring: Input(Filter), response: { 200: CsvResponse } },
    },
    async (request, reply) => {
      const download = await asAdmin(app, request, "read", async (ctx) =>
        prepareAuthLogExport(ctx, request.query),
      );
      return sendCsv(reply, download.filename, authLogCsv(app.services.database.db, download));
    },
  );
};
