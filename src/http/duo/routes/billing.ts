import type { FastifyPluginAsync } from "fastify";
import { EDITIONS, type Edition } from "../../../authz/index.js";
import { getEdition, setEdition } from "../../../domain/accounts/current.js";
import { ok } from "../envelope.js";
import { invalid, type ParamReader } from "../params.js";
import { asIntegration, paramsOf } from "../use-case.js";

/** research/duo-api.md §4.11: Duo's edition codes for Gatehouse's editions (R-TEN-4). */
export const DUO_EDITIONS = {
  Essentials: "ENTERPRISE",
  Advantage: "PLATFORM",
  Premier: "BEYOND",
  Free: "PERSONAL",
} as const satisfies Record<Edition, string>;
export type DuoEdition = (typeof DUO_EDITIONS)[Edition];

const FROM_DUO = new Map<string, Edition>(
  EDITIONS.map((edition) => [DUO_EDITIONS[edition], edition] as const),
);

/** An edition as Duo writes it (ENTERPRISE, PLATFORM, BEYOND, PERSONAL), or Gatehouse's own name. */
export function readEdition(reader: ParamReader, name: string): Edition | undefined {
  const text = reader.string(name);
  if (text === undefined) return undefined;
  const edition =
    FROM_DUO.get(text.toUpperCase()) ??
    EDITIONS.find((known) => known.toLowerCase() === text.toLowerCase());
  if (edition === undefined)
    throw invalid(
      name,
      `must be one of ${EDITIONS.map((e) => `${DUO_EDITIONS[e]} (${e})`).join(", ")}`,
    );
  return edition;
}

/**
 * research/duo-api.md §4.11: the edition of the account acted in, usually a child named by
 * `account_id` from its parent's Accounts API integration. Reading is Billing's ("Grant read
 * information"); changing is the Owner's "Change plan edition" row ("Grant settings").
 */
export const billingRoutes: FastifyPluginAsync = async (app) => {
  app.get("/admin/v1/billing/edition", { config: { action: "billing:view" } }, async (request) => {
    const edition = await asIntegration(app, request, "read", async (ctx) => getEdition(ctx));
    return ok({ edition: DUO_EDITIONS[edition] });
  });

  app.post(
    "/admin/v1/billing/edition",
    { config: { action: "edition:change" } },
    async (request) => {
      const reader = paramsOf(request);
      const edition = readEdition(reader, "edition");
      if (edition === undefined) throw invalid("edition", "is required");
      await asIntegration(app, request, "write", (ctx) => setEdition(ctx, edition));
      return ok("");
    },
  );
};
