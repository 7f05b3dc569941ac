import type { FastifyPluginAsync } from "fastify";
import { createSubaccount, deleteSubaccount } from "../../../domain/accounts/manage.js";
import { listSubaccounts, type SubaccountView } from "../../../domain/accounts/subaccounts.js";
import { apiHostname, publicUrlOf } from "../../public-url.js";
import { ok } from "../envelope.js";
import { asIntegration, paramsOf } from "../use-case.js";
import { DUO_EDITIONS, readEdition } from "./billing.js";

/**
 * research/duo-api.md §6: a child account as the Accounts API lists it. Duo's fields first; then
 * Gatehouse's: `edition` (Duo's code, as /admin/v1/billing/edition), `nfr` (a not-for-resale
 * account, R-TEN-3) and `access_tags` (R-TAG-1, sorted).
 */
export interface DuoChildAccount {
  account_id: string;
  name: string;
  api_hostname: string;
  edition: string;
  nfr: boolean;
  access_tags: string[];
}

function toDuoAccount(hostname: string, view: SubaccountView): DuoChildAccount {
  return {
    account_id: view.id,
    name: view.name,
    api_hostname: hostname,
    edition: DUO_EDITIONS[view.edition],
    nfr: view.nfr,
    access_tags: view.tags,
  };
}

const PAGE = 500;

/** research/duo-api.md §6: the Accounts API, every call a POST, for Accounts API integrations only. */
export const accountsRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    "/accounts/v1/account/list",
    { config: { action: "subaccounts:list", duoFamily: "accounts" } },
    async (request) => {
      const children = await asIntegration(app, request, "read", async (ctx) => {
        const all: SubaccountView[] = [];
        for (;;) {
          const page = await listSubaccounts(ctx, { limit: PAGE, offset: all.length });
          all.push(...page.items);
          if (page.items.length < PAGE || all.length >= (page.total ?? 0)) return all;
        }
      });
      const hostname = apiHostname(publicUrlOf(request));
      return ok(children.map((child) => toDuoAccount(hostname, child)));
    },
  );

  app.post(
    "/accounts/v1/account/create",
    { config: { action: "subaccounts:create", duoFamily: "accounts" } },
    async (request) => {
      const reader = paramsOf(request);
      const input = {
        name: reader.required("name", { max: 100 }),
        nfr: reader.bool("nfr"),
        edition: readEdition(reader, "edition"),
        tags: reader.list("access_tags"),
      };
      const created = await asIntegration(app, request, "write", (ctx) =>
        createSubaccount(ctx, input),
      );
      return ok(toDuoAccount(apiHostname(publicUrlOf(request)), created));
    },
  );

  app.post(
    "/accounts/v1/account/delete",
    { config: { action: "subaccounts:delete", duoFamily: "accounts" } },
    async (request) => {
      const accountId = paramsOf(request).required("account_id", { max: 20 });
      // Duo's account/delete removes the child with everything in it.
      await asIntegration(app, request, "write", (ctx) =>
        deleteSubaccount(ctx, accountId, { force: true }),
      );
      return ok("");
    },
  );
};
