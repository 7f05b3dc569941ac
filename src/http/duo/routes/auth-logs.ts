import type { FastifyPluginAsync } from "fastify";
import {
  type AuthLogFilter,
  prepareAuthLogQuery,
} from "../../../domain/auth-logs/authentication-query.js";
import {
  countAuthRecords,
  fetchAuthRecords,
  positionOfTxid,
} from "../../../domain/auth-logs/authentication-records.js";
import { prepareTelephonyQuery } from "../../../domain/auth-logs/telephony-query.js";
import {
  countTelephonyRecords,
  fetchTelephonyRecords,
  positionOfMessage,
} from "../../../domain/auth-logs/telephony-records.js";
import type { UseCaseContext } from "../../../domain/context.js";
import type { LogOrder } from "../../../domain/log-keyset.js";
import type { Cursor } from "../../../domain/paging.js";
import {
  duoAuthLogV1,
  duoAuthLogV2,
  duoTelephonyV1,
  duoTelephonyV2,
  millisecondsOf,
} from "../auth-log-shapes.js";
import { ok } from "../envelope.js";
import { invalid, type ParamReader } from "../params.js";
import { asIntegration, paramsOf } from "../use-case.js";

/** Duo's v1 logs answer at most 1000 records a call; a client asks again from the last timestamp + 1. */
const V1_LOG_LIMIT = 1000;
/** §3: the v2 logs' page, 100 by default, at most 1000 (a larger limit is clamped silently). */
const V2_DEFAULT_LIMIT = 100;
const V2_MAX_LIMIT = 1000;
/** 9999-12-31T23:59:59Z: the last second a v1 client's mintime (seconds) may name. */
const MAX_SECONDS = 253_402_300_799;
const MAX_MILLISECONDS = MAX_SECONDS * 1000 + 999;
/** Duo's other v2 filters, which Gatehouse has nothing to match against: refused, never ignored. */
const UNSUPPORTED_FILTERS = [
  "phone_numbers",
  "registration_id",
  "token_id",
  "webauthnkey",
  "assessment",
  "detections",
  "filters",
];

/** The v2 logs' window, both ends required and inclusive, in milliseconds. */
interface Window {
  mintime: number;
  maxtime: number;
}

function readWindow(params: ParamReader): Window {
  const read = (name: string) => {
    const value = params.int(name, { min: 0, max: MAX_MILLISECONDS });
    if (value === undefined) throw invalid(name, "is required (Unix time in milliseconds)");
    return value;
  };
  const window = { mintime: read("mintime"), maxtime: read("maxtime") };
  if (window.mintime > window.maxtime) throw invalid("maxtime", "must not be before mintime");
  return window;
}

/** The window as the domain's filter: from inclusive, to exclusive (the millisecond after maxtime). */
function timesOf(window: Window): { from: string; to: string } {
  return {
    from: new Date(window.mintime).toISOString(),
    to: new Date(window.maxtime + 1).toISOString(),
  };
}

function readLimit(params: ParamReader): number {
  const text = params.string("limit");
  if (text === undefined) return V2_DEFAULT_LIMIT;
  if (!/^\d{1,9}$/.test(text)) throw invalid("limit", "must be a whole number");
  return Math.min(Math.max(Number(text), 1), V2_MAX_LIMIT);
}

function readOrder(params: ParamReader): LogOrder {
  return params.oneOf("sort", ["ts:desc", "ts:asc"]) === "ts:asc" ? "oldest" : "newest";
}

/**
 * §3: `next_offset` as the clients send it back: "<ms>,<id>" in one value, two repeated keys (the
 * Python client echoes the metadata's list), or a JSON array.
 */
function readNextOffset(params: ParamReader): { milliseconds: number; id: string } | undefined {
  const parts = params.list("next_offset");
  if (parts === undefined) return undefined;
  const time = parts.find((part) => /^\d{1,16}$/.test(part));
  const id = parts.find((part) => part !== time);
  if (
    parts.length !== 2 ||
    time === undefined ||
    id === undefined ||
    Number(time) > MAX_MILLISECONDS
  )
    throw invalid("next_offset", 'must be the metadata\'s next_offset given back, as "<ms>,<id>"');
  return { milliseconds: Number(time), id };
}

function refuseUnsupported(params: ParamReader): void {
  for (const name of UNSUPPORTED_FILTERS)
    if (params.has(name))
      throw invalid(
        name,
        "is not a filter Gatehouse supports; leave it out and filter the records",
      );
}

/** Results and event types are matched without regard to case; v1's FAILURE is v2's denied (§7.2). */
function lowerList(params: ParamReader, name: string): string[] | undefined {
  return params
    .list(name)
    ?.map((item) => item.toLowerCase())
    .map((item) => (name === "results" && item === "failure" ? "denied" : item));
}

function authFilterOf(params: ParamReader, window: Window): AuthLogFilter {
  refuseUnsupported(params);
  return {
    ...timesOf(window),
    userIds: params.list("users"),
    groupIds: params.list("groups"),
    applicationIds: params.list("applications"),
    results: lowerList(params, "results"),
    reasons: params.list("reasons"),
    factors: params.list("factors"),
    eventTypes: lowerList(params, "event_types"),
  };
}

/** A v2 page: the records, and their number in all with the next position while more remain. */
async function authLogPage(
  ctx: UseCaseContext,
  filter: AuthLogFilter,
  page: { limit: number; order: LogOrder; offset?: { milliseconds: number; id: string } },
) {
  const query = prepareAuthLogQuery(ctx, filter);
  const after: Cursor | undefined =
    page.offset &&
    (await positionOfTxid(ctx.tx, query.accountId, page.offset.milliseconds, page.offset.id));
  const rows = await fetchAuthRecords(ctx.tx, query, page.limit + 1, after, page.order);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  const more = rows.length > page.limit && last !== undefined;
  return {
    authlogs: items.map(duoAuthLogV2),
    metadata: {
      total_objects: await countAuthRecords(ctx.tx, query),
      // §3: only while more remain; a null would loop some clients forever.
      ...(more ? { next_offset: [String(millisecondsOf(last.cursor_time)), last.txid] } : {}),
    },
  };
}

async function telephonyPage(
  ctx: UseCaseContext,
  window: Window,
  page: { limit: number; order: LogOrder; offset?: { milliseconds: number; id: string } },
) {
  const query = prepareTelephonyQuery(ctx, timesOf(window));
  const after: Cursor | undefined =
    page.offset &&
    (await positionOfMessage(ctx.tx, query.accountId, page.offset.milliseconds, page.offset.id));
  const rows = await fetchTelephonyRecords(ctx.tx, query, page.limit + 1, after, page.order);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  const more = rows.length > page.limit && last !== undefined;
  return {
    items: items.map(duoTelephonyV2),
    metadata: {
      total_objects: await countTelephonyRecords(ctx.tx, query),
      ...(more ? { next_offset: `${millisecondsOf(last.cursor_time)},${last.id}` } : {}),
    },
  };
}

/** v1: from `mintime` (seconds) on, oldest first, at most 1000. */
function v1From(params: ParamReader): { from?: string } {
  const mintime = params.int("mintime", { min: 0, max: MAX_SECONDS });
  return mintime === undefined ? {} : { from: new Date(mintime * 1000).toISOString() };
}

/**
 * research/duo-api.md §4.9: the authentication log (R-AUTH-4) and the telephony log, v1 and v2
 * ("Grant read log"). The domain authorizes (reports:view_*), checks the filters and applies the
 * same query as the panel; these routes read Duo's parameters and write Duo's shapes.
 */
export const authLogRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    "/admin/v2/logs/authentication",
    { config: { action: "reports:view_authentication_log" } },
    async (request) => {
      const params = paramsOf(request);
      const window = readWindow(params);
      const filter = authFilterOf(params, window);
      const page = { limit: readLimit(params), order: readOrder(params) };
      const offset = readNextOffset(params);
      return ok(
        await asIntegration(app, request, "read", (ctx) =>
          authLogPage(ctx, filter, { ...page, ...(offset ? { offset } : {}) }),
        ),
      );
    },
  );

  app.get(
    "/admin/v1/logs/authentication",
    { config: { action: "reports:view_authentication_log" } },
    async (request) => {
      const from = v1From(paramsOf(request));
      return ok(
        await asIntegration(app, request, "read", async (ctx) => {
          const query = prepareAuthLogQuery(ctx, from);
          const rows = await fetchAuthRecords(ctx.tx, query, V1_LOG_LIMIT, undefined, "oldest");
          return rows.map(duoAuthLogV1);
        }),
      );
    },
  );

  app.get(
    "/admin/v2/logs/telephony",
    { config: { action: "reports:view_telephony_log" } },
    async (request) => {
      const params = paramsOf(request);
      const window = readWindow(params);
      refuseUnsupported(params);
      const page = { limit: readLimit(params), order: readOrder(params) };
      const offset = readNextOffset(params);
      return ok(
        await asIntegration(app, request, "read", (ctx) =>
          telephonyPage(ctx, window, { ...page, ...(offset ? { offset } : {}) }),
        ),
      );
    },
  );

  app.get(
    "/admin/v1/logs/telephony",
    { config: { action: "reports:view_telephony_log" } },
    async (request) => {
      const from = v1From(paramsOf(request));
      return ok(
        await asIntegration(app, request, "read", async (ctx) => {
          const query = prepareTelephonyQuery(ctx, from);
          const rows = await fetchTelephonyRecords(
            ctx.tx,
            query,
            V1_LOG_LIMIT,
            undefined,
            "oldest",
          );
          return rows.map(duoTelephonyV1);
        }),
      );
    },
  );
};
