import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  type Caller,
  runUseCase,
  type UseCaseContext,
  type UseCaseMode,
} from "../../domain/context.js";
import { clientOf } from "../auth/session-plugin.js";
import type { ApiIntegration } from "./authenticate.js";
import { ParamReader } from "./params.js";

export function paramsOf(request: FastifyRequest): ParamReader {
  return new ParamReader(request.duoParams);
}

function callerOf(integration: ApiIntegration, request: FastifyRequest): Caller {
  return {
    principal: {
      kind: "application",
      id: integration.id,
      accountId: integration.accountId,
      type: integration.type,
      grants: integration.grants,
    },
    // Duo's log names API actors by the integration (research/duo-api.md §4.9: username "API").
    actor: { kind: "application", id: integration.id, name: integration.name },
    homeAccountId: integration.accountId,
    client: clientOf(request),
  };
}

/**
 * Runs a use case for the integration, in its own account or, on the Admin API from a parent, in
 * the child its `account_id` names (R-TEN-5; the engine refuses any other account). On the Accounts
 * API `account_id` names the child acted on (account/delete), so it acts in its own account.
 */
export function asIntegration<T>(
  app: FastifyInstance,
  request: FastifyRequest,
  mode: UseCaseMode,
  work: (ctx: UseCaseContext) => Promise<T>,
): Promise<T> {
  const integration = request.integration;
  if (!integration) throw new Error("Duo routes run behind the signature check");
  const accountId =
    request.routeOptions.config.duoFamily === "accounts"
      ? integration.accountId
      : (paramsOf(request).string("account_id", { max: 20 }) ?? integration.accountId);
  return runUseCase(app.services, callerOf(integration, request), accountId, mode, work);
}
