import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import {
  auditLogCsv,
  auditLogFilename,
  listAuditLog,
  prepareAuditQuery,
} from "../../domain/audit-log.js";
import { CsvResponse, sendCsv } from "./access-summary.js";
import { AccountId, Input, PageOf, PageQuery } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const Time = Type.String({ format: "date-time", maxLength: 64 });
const Filter = {
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
  action: Type.Optional(Type.String({ pattern: "^[a-z][a-z0-9_]*$", maxLength: 64 })),
  object: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  account: Type.Optional(AccountId),
  from: Type.Optional(Time),
  to: Type.Optional(Time),
};
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const AuditRecord = Type.Object({
  id: Type.String(),
  created_at: Type.String(),
  account_id: Nullable(Type.String()),
  actor: Type.Object({
    kind: Type.Union([Type.Literal("admin"), Type.Literal("application"), Type.Literal("system")]),
    id: Nullable(Type.String()),
    name: Type.String(),
  }),
  action: Type.String(),
  object: Type.Union([
    Type.Object({ kind: Type.String(), id: Type.String(), name: Nullable(Type.String()) }),
    Type.Null(),
  ]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  rule: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  user_agent: Nullable(Type.String()),
});

/** R-AUD-1: the Administrator Actions log, filtered, paged, and as CSV; R-UNIT-8g for restricted admins. */
export const auditLogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/audit-log",
    {
      config: { action: "reports:view_administrator_actions" },
      schema: {
        querystring: Input({ ...Filter, ...PageQuery }),
        response: { 200: PageOf(AuditRecord) },
      },
    },
    (request) => asAdmin(app, request, "read", (ctx) => listAuditLog(ctx, request.query)),
  );

  app.get(
    "/audit-log.csv",
    {
      config: { action: "reports:view_administrator_actions" },
      schema: { querystring: Input(Filter), response: { 200: CsvResponse } },
    },
    async (request, reply) => {
      const query = await asAdmin(app, request, "read", async (ctx) =>
        prepareAuditQuery(ctx, request.query),
      );
      return sendCsv(reply, auditLogFilename(), auditLogCsv(app.services.database.db, query));
    },
  );
};
