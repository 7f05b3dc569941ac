import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  type Caller,
  runUseCase,
  type UseCaseContext,
  type UseCaseMode,
} from "../../domain/context.js";
import { NotFound } from "../../domain/errors.js";
import { clientOf } from "../auth/session-plugin.js";
import type { ApiIntegration } from "./authenticate.js";
import type { Params } from "./canonical.js";
import { ParamReader } from "./params.js";

export function paramsOf(request: FastifyRequest): ParamReader {
  return new ParamReader(request.duoParams);
}

/** `account_id` when it is given once and could be an id; what asIntegration then reads too. */
export function plainAccountId(params: Params): string | undefined {
  const values = params.get("account_id");
  const value = values?.length === 1 ? values[0] : undefined;
  return value !== undefined && value.length <= 20 ? value : undefined;
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
 * A read decides on the tenant state the route gate read (request.duoTenant); a write reads and
 * locks its own, and after it the request's later reads do too.
 */
export async function asIntegration<T>(
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
  const caller = callerOf(integration, request);
  if (mode === "read")
    return runUseCase(app.services, caller, accountId, mode, work, request.duoTenant);
  request.duoTenant = undefined;
  return runUseCase(app.services, caller, accountId, mode, work);
}

/**
 * Duo's deletes are idempotent (research/duo-api.md §4.1: "If the user is already deleted, does
 * nothing"; the official client says the same of phones and tokens): `work` refusing because the
 * `kind` `id` it deletes is not found answers like a delete. Nothing was written: the use cases
 * refuse before their first write, so the transaction is still good to commit.
 */
export async function deleteIfPresent(
  kind: string,
  id: string,
  work: () => Promise<unknown>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof NotFound && error.kind === kind && error.id === id)) throw error;
  }
}
