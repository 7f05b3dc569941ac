import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { ACTION_NAMES, ADMIN_STATUSES } from "../../authz/index.js";
import { OBJECT_KINDS } from "../../db/queries/object-facts.js";
import { explainDecision, explainDecisions, simulateChange } from "../../domain/explain.js";
import { AccountId, Edition, IdOf, Input, Role, Tag } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const AdminId = IdOf("DE");
const UnitId = Type.String({ minLength: 1, maxLength: 64 });
const ObjectId = Type.String({ minLength: 1, maxLength: 64 });
const Ids = <T extends typeof UnitId>(id: T) => Type.Array(id, { maxItems: 10_000 });
const Tags = Type.Array(Tag, { maxItems: 100 });
const AdminStatus = Type.Enum([...ADMIN_STATUSES]);

/** src/authz/simulate.ts's ModelChange, field for field: one change an Owner is about to save. */
export const ModelChangeSchema = Type.Union([
  Input({
    kind: Type.Literal("admin"),
    adminId: AdminId,
    role: Type.Optional(Role),
    subaccountRole: Type.Optional(Role),
    tags: Type.Optional(Tags),
    restricted: Type.Optional(Type.Boolean()),
    unitIds: Type.Optional(Ids(UnitId)),
    status: Type.Optional(AdminStatus),
    delete: Type.Optional(Type.Boolean()),
  }),
  Input({
    kind: Type.Literal("subaccount"),
    accountId: AccountId,
    tags: Type.Optional(Tags),
    edition: Type.Optional(Edition),
    delete: Type.Optional(Type.Boolean()),
  }),
  Input({ kind: Type.Literal("parent"), edition: Edition }),
  Input({
    kind: Type.Literal("unit"),
    unitId: UnitId,
    groupIds: Type.Optional(Ids(ObjectId)),
    applicationIds: Type.Optional(Ids(ObjectId)),
    allGroups: Type.Optional(Type.Boolean()),
    allApplications: Type.Optional(Type.Boolean()),
    adminIds: Type.Optional(Ids(AdminId)),
    delete: Type.Optional(Type.Boolean()),
  }),
]);

/** One "may I?" / "why not?" question (R-AUD-2). */
const Question = Input({
  admin_id: Type.Optional(AdminId),
  action: Type.Enum([...ACTION_NAMES]),
  account_id: Type.Optional(AccountId),
  object: Type.Optional(Input({ kind: Type.Enum([...OBJECT_KINDS]), id: ObjectId })),
});

const Explanation = Type.Object({
  allow: Type.Boolean(),
  rule: Type.String(),
  reason: Type.String(),
  facts: Type.Array(Type.String()),
  restricted_to_units: Type.Boolean(),
});

const Nullable = <T extends typeof Role>(schema: T) => Type.Union([schema, Type.Null()]);
const AccessDelta = Type.Object({
  adminId: Type.String(),
  email: Type.String(),
  accountId: Type.String(),
  accountName: Type.String(),
  before: Nullable(Role),
  after: Nullable(Role),
  // R-SUM-1 Decision: before/after are the configured access; the status says when it applies.
  statusBefore: AdminStatus,
  status: AdminStatus,
});
const Ids2 = Type.Object({ before: Type.Array(Type.String()), after: Type.Array(Type.String()) });
const Simulation = Type.Object({
  gains: Type.Array(AccessDelta),
  losses: Type.Array(AccessDelta),
  changes: Type.Array(AccessDelta),
  scopes: Type.Array(
    Type.Object({
      adminId: Type.String(),
      email: Type.String(),
      status: AdminStatus,
      groups: Ids2,
      applications: Ids2,
    }),
  ),
  warnings: Type.Array(Type.String()),
});

/** R-AUD-2: "why can't I", and the preview of a delegation change. */
export const explainRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Every admin may ask about themself, even a restricted admin in no unit, who keeps only their
  // own profile (R-UNIT-5); asking about another admin needs admins:view (the use case).
  app.post(
    "/explain",
    {
      config: { action: "profile:edit" },
      schema: { body: Question, response: { 200: Explanation } },
    },
    (request) => asAdmin(app, request, "read", (ctx) => explainDecision(ctx, request.body)),
  );

  app.post(
    "/decisions",
    {
      config: { action: "profile:edit" },
      schema: {
        body: Input({ questions: Type.Array(Question, { minItems: 1, maxItems: 50 }) }),
        response: { 200: Type.Object({ answers: Type.Array(Explanation) }) },
      },
    },
    (request) =>
      asAdmin(app, request, "read", async (ctx) => ({
        answers: await explainDecisions(ctx, request.body.questions),
      })),
  );

  app.post(
    "/simulate",
    {
      // The preview shows the whole tenant's access: Owners at the parent only (R-SUB-4).
      config: { action: "tags:manage" },
      schema: { body: Input({ change: ModelChangeSchema }), response: { 200: Simulation } },
    },
    (request) =>
      asAdmin(app, request, "read", async (ctx) => simulateChange(ctx, request.body.change)),
  );
};
