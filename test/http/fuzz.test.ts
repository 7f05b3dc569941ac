import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegisteredRoute } from "../../src/http/app.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { type Draft, duoDraft, encode, panelDraft } from "../helpers/fuzz-requests.js";
import { type FuzzTarget, openFuzzTarget } from "../helpers/fuzz-target.js";
import { PanelClient } from "../helpers/panel-client.js";
import { signBytes } from "../helpers/signed-bytes.js";
import { type JournalEntry, openWriteJournal } from "../helpers/write-journal.js";

/**
 * Issue 13 item 2: requests generated from every registered route (the panel's from its schemas,
 * Duo's from the parameter names its door reads), each hostile in one spot: NUL, lone surrogates,
 * invalid UTF-8, huge strings, wrong types, deep nesting, bad cursors, bad ids. No answer may be a
 * 5xx, and a refused request (4xx) must leave every row as it was, the audit log gaining only the
 * records of refusals that R-AUD-1 asks for.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261301);
/** Per door; the two doors together make the 2,000 requests a run. */
const REQUESTS_PER_DOOR = 1_000;
/** Generating stops when a door's budget is spent (a very slow machine), never mid-request. */
const BUDGET_MS_PER_DOOR = 75_000;
const REFUSAL_RECORDS = new Set(["access_denied", "admin_login_failed"]);

/** Routes that would end or move the fuzzing session itself; other tests cover them. */
const NOT_FUZZED = new Set(["POST /api/auth/sign-out", "POST /api/switch"]);

describe(`issue 13 item 2: fuzzing both doors from their routes, on ${TEST_ENGINE}`, () => {
  let target: FuzzTarget;
  let owner: PanelClient;
  let stranger: PanelClient;
  let writesSince: () => Promise<JournalEntry[]>;
  const counts = { panel: 0, duo: 0 };
  let budgetSpent = false;
  /** Answers by status, printed with the run: a door answering only 401 would be fuzzing nothing. */
  const statuses: Record<string, Record<number, number>> = { panel: {}, duo: {} };

  beforeAll(async () => {
    target = await openFuzzTarget();
    owner = target.owner;
    stranger = new PanelClient(target.app, "198.51.100.99");
    writesSince = await openWriteJournal(target.db);
  });
  afterAll(() => target?.close());

  /** Fails on a 5xx; after a refusal, fails if the request left any row changed. */
  async function judge(draft: Draft, url: string, response: LightMyRequestResponse) {
    const where = `${draft.method} ${url.slice(0, 300)} (hostile: ${draft.mutation})`;
    expect(response.statusCode, `${where} answered ${response.body.slice(0, 300)}`).toBeLessThan(
      500,
    );
    const written = await writesSince();
    if (response.statusCode < 400) return;
    const changes = written.filter((entry) => !isRefusalRecord(entry));
    expect(changes, `${where} was refused (${response.statusCode}) but wrote`).toEqual([]);
  }

  async function run(
    door: "panel" | "duo",
    arbitrary: fc.Arbitrary<Draft>,
    send: (draft: Draft) => Promise<{ url: string; response: LightMyRequestResponse }>,
  ) {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (draft) => {
        const { url, response } = await send(draft);
        counts[door]++;
        const seen = statuses[door] ?? {};
        seen[response.statusCode] = (seen[response.statusCode] ?? 0) + 1;
        await judge(draft, url, response);
      }),
      {
        seed: SEED,
        numRuns: REQUESTS_PER_DOOR,
        interruptAfterTimeLimit: BUDGET_MS_PER_DOOR,
        markInterruptAsFailure: false,
        // The database carries each request's effects into the next: shrinking would replay on
        // another state, so the first failure is reported as found, with its seed.
        endOnFailure: true,
      },
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `fuzz ${door} on ${TEST_ENGINE}: ${counts[door]} requests in ${seconds}s, seed ${SEED}; statuses ${JSON.stringify(statuses[door])}`,
    );
    // The minimum holds whenever the budget allowed it; a machine too slow for it still fails on 5xx.
    if (Date.now() - started < BUDGET_MS_PER_DOOR) expect(counts[door]).toBe(REQUESTS_PER_DOOR);
    else budgetSpent = true;
  }

  it("panel door: signed-in and anonymous requests, no 5xx, refusals write nothing (R-AUD-1)", {
    timeout: BUDGET_MS_PER_DOOR * 3,
  }, async () => {
    const routes = target.app.routeList.filter(
      (route) => route.url.startsWith("/api/") && !NOT_FUZZED.has(`${route.method} ${route.url}`),
    );
    expect(routes.length).toBeGreaterThan(40);
    const byRoute = fc
      .constantFrom(...routes)
      .chain((route) => panelDraft(route, target.ids).map((draft) => ({ draft, route })));
    await run(
      "panel",
      byRoute.map(({ draft, route }) => Object.assign(draft, { publicRoute: isPublic(route) })),
      async (draft) => {
        const encoded = encode(draft, "json");
        const client = (draft as Draft & { publicRoute: boolean }).publicRoute ? stranger : owner;
        const response = await client.request({
          method: encoded.method as "GET",
          url: encoded.url,
          ...(encoded.body ? { body: encoded.body } : {}),
          headers: {
            ...(encoded.body ? { "content-type": "application/json" } : {}),
            ...encoded.headers,
          },
        });
        return { url: encoded.url, response };
      },
    );
    // The session survived the run: the refusals were the guard's, not a signed-out client's.
    expect((await owner.get("/api/auth/session")).statusCode).toBe(200);
  });

  it("Duo door: correctly signed v2 and v5 requests, no 5xx, refusals write nothing (R-AUD-1)", {
    timeout: BUDGET_MS_PER_DOOR * 3,
  }, async () => {
    const routes = target.app.routeList.filter((route) => /^\/(admin|accounts)\//.test(route.url));
    expect(routes.length).toBeGreaterThan(30);
    const draft = fc
      .constantFrom(...routes)
      .chain((route) =>
        fc.tuple(
          duoDraft(route, target.ids, target.duoVocabulary),
          fc.constantFrom(2, 5) as fc.Arbitrary<2 | 5>,
        ),
      );
    await run(
      "duo",
      draft.map(([d, version]) => Object.assign(d, { version })),
      async (d) => {
        const version = (d as Draft & { version: 2 | 5 }).version;
        const bodyAs = d.method !== "POST" ? "none" : version === 5 ? "json" : "form";
        const jsonBody =
          bodyAs === "json" ? { ...d, body: Object.fromEntries(d.query), query: [] } : d;
        const encoded = encode(jsonBody, bodyAs);
        const credentials = d.route.startsWith("/accounts/") ? target.accountsApi : target.adminApi;
        const request = signBytes({
          ...credentials,
          method: d.method as "GET",
          path: encoded.path,
          query: encoded.query,
          body:
            encoded.body === undefined
              ? { kind: "none" }
              : { kind: bodyAs === "json" ? "json" : "form", bytes: encoded.body },
          version,
        });
        const response = await target.app.inject({
          ...request,
          headers: { ...request.headers, ...encoded.headers },
        });
        return { url: request.url, response };
      },
    );
  });

  it("ran at least 2,000 requests over both doors", () => {
    console.log(`fuzz total on ${TEST_ENGINE}: ${counts.panel + counts.duo} requests`);
    if (!budgetSpent) expect(counts.panel + counts.duo).toBeGreaterThanOrEqual(2_000);
  });
});

/**
 * What a refusal may leave: the audit log's record of a denied attempt or failed sign-in (R-AUD-1),
 * and the sign-in throttle's count of attempts (R-ADM-4).
 */
function isRefusalRecord(entry: JournalEntry): boolean {
  if (entry.table === "sign_in_throttle") return true;
  return (
    entry.table === "audit_log" && entry.op === "INSERT" && REFUSAL_RECORDS.has(entry.action ?? "")
  );
}

function isPublic(route: RegisteredRoute): boolean {
  return route.config.public === true;
}
