import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { getApplication, listApplications } from "../../domain/applications/list.js";
import {
  createApplication,
  deleteApplication,
  updateApplication,
} from "../../domain/applications/manage.js";
import { unitChoices } from "../../domain/applications/placement.js";
import { apiHostname, publicUrlOf } from "../public-url.js";
import { IdOf, Input, Ok, PageOf, PageQuery } from "./schemas.js";
import { asAdmin } from "./use-case.js";

const ApplicationType = Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,63}$" });
const ApplicationFields = {
  id: Type.String(),
  type: Type.String(),
  name: Type.String(),
  notes: Type.String(),
  greeting: Type.String(),
  /** A Unix application answering duo_unix before 2.2 (always false for other types). */
  legacy_unix_clients: Type.Boolean(),
  created_at: Type.String(),
};
/** Never the secret key: the serializer drops any field not listed here. */
const Application = Type.Object(ApplicationFields);
/** The create response, the one time the secret key is shown, with the host its clients call. */
const CreatedApplication = Type.Object({
  ...ApplicationFields,
  secret_key: Type.String(),
  api_hostname: Type.String(),
});
const Params = Type.Object({ applicationId: IdOf("DI") });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Notes = Type.String({ maxLength: 1000 });
const Greeting = Type.String({ maxLength: 200 });
const Unit = Type.Object({ id: Type.String(), name: Type.String() });

/** The Applications pages (R-ROLE-2, R-TEN-5, R-UNIT-1, R-UNIT-3, R-UNIT-6, R-UNIT-8c). */
export const applicationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/applications",
    {
      config: { action: "applications:view" },
      schema: {
        querystring: Input({
          search: Type.Optional(Type.String({ maxLength: 100 })),
          type: Type.Optional(ApplicationType),
          ...PageQuery,
        }),
        response: { 200: PageOf(Application) },
      },
    },
    (request) => asAdmin(app, request, "read", (ctx) => listApplications(ctx, request.query)),
  );

  // R-UNIT-6, R-UNIT-1: the units "Protect an Application" offers this admin.
  app.get(
    "/applications/unit-choices",
    {
      config: { action: "applications:create" },
      schema: {
        response: { 200: Type.Object({ units: Type.Array(Unit), required: Type.Boolean() }) },
      },
    },
    (request) => asAdmin(app, request, "read", async (ctx) => unitChoices(ctx)),
  );

  app.post(
    "/applications",
    {
      // Admin API and Accounts API types are Owner-only: createApplication asks the engine with the type.
      config: { action: "applications:create" },
      schema: {
        body: Input({
          type: ApplicationType,
          name: Name,
          notes: Type.Optional(Notes),
          greeting: Type.Optional(Greeting),
          unit_id: Type.Optional(IdOf("DN")),
          legacy_unix_clients: Type.Optional(Type.Boolean()),
        }),
        response: { 200: CreatedApplication },
      },
    },
    async (request) => ({
      ...(await asAdmin(app, request, "write", (ctx) => createApplication(ctx, request.body))),
      api_hostname: apiHostname(publicUrlOf(request)),
    }),
  );

  app.get(
    "/applications/:applicationId",
    {
      config: { action: "applications:view" },
      schema: { params: Params, response: { 200: Application } },
    },
    (request) =>
      asAdmin(app, request, "read", (ctx) => getApplication(ctx, request.params.applicationId)),
  );

  app.patch(
    "/applications/:applicationId",
    {
      config: { action: "applications:update" },
      schema: {
        params: Params,
        body: Input({
          name: Type.Optional(Name),
          notes: Type.Optional(Notes),
          greeting: Type.Optional(Greeting),
          legacy_unix_clients: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Application },
      },
    },
    (request) =>
      asAdmin(app, request, "write", (ctx) =>
        updateApplication(ctx, request.params.applicationId, request.body),
      ),
  );

  app.delete(
    "/applications/:applicationId",
    {
      config: { action: "applications:delete" },
      schema: { params: Params, response: { 200: Ok } },
    },
    async (request) => {
      await asAdmin(app, request, "write", (ctx) =>
        deleteApplication(ctx, request.params.applicationId),
      );
      return { ok: true as const };
    },
  );
};
