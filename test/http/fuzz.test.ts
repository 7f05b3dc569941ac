import { BSON } from "bson";
import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegisteredRoute } from "../../src/http/app.js";
import { BSON_TYPE, bsonElements } from "../helpers/auth-api.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import {
  type AuthFuzzFixtures,
  addAuthFixtures,
  authDraft,
  endpointOf,
  isLegacy,
  signAuthDraft,
  withSeenTxids,
} from "../helpers/fuzz-auth.js";
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
 *
 * Issue 14: the Auth API door too (/auth/v2 and duo_unix's /rest/v1), whose answered attempts
 * write by design (R-AUTH-4: the log entry, the failure count, the spent code) and whose refusals
 * (a 4xx, or the legacy door's 200 with stat FAIL) must write nothing.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261301);
/** Per door; the doors together make the issues' 2,000 requests a run, and more. */
const REQUESTS_PER_DOOR = 1_000;
/** Generating stops when a door's budget is spent (a very slow machine), never mid-request. */
const BUDGET_MS_PER_DOOR = 75_000;
const REFUSAL_RECORDS = new Set(["access_denied", "admin_login_failed"]);

/** Routes that would end or move the fuzzing session itself; other tests cover them. */
const NOT_FUZZED = new Set(["POST /api/auth/sign-out", "POST /api/switch"]);

describe(`issue 13 item 2, issue 14: fuzzing every door from its routes, on ${TEST_ENGINE}`, () => {
  let target: FuzzTarget;
  let owner: PanelClient;
  let stranger: PanelClient;
  let writesSince: () => Promise<JournalEntry[]>;
  let auth: AuthFuzzFixtures | undefined;
  const counts = { panel: 0, duo: 0, auth: 0 };
  let budgetSpent = false;
  /** Answers by status, printed with the run: a door answering only 401 would be fuzzing nothing. */
  const statuses: Record<string, Record<number | string, number>> = {
    panel: {},
    duo: {},
    auth: {},
  };
  /** How the auth door's answers came out, printed with the run: a door that only refused. */
  const authAnswers = { allow: 0, deny: 0, refused: 0, legacyOk: 0, legacyFail: 0 };

  beforeAll(async () => {
    target = await openFuzzTarget();
    owner = target.owner;
    stranger = new PanelClient(target.app, "198.51.100.99");
    writesSince = await openWriteJournal(target.db);
  });
  afterAll(async () => {
    await auth?.close();
    await target?.close();
  });

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
    door: "panel" | "duo" | "auth",
    arbitrary: fc.Arbitrary<Draft>,
    send: (draft: Draft) => Promise<{ url: string; response: LightMyRequestResponse }>,
    judged: typeof judge = judge,
  ) {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (draft) => {
        const { url, response } = await send(draft);
        counts[door]++;
        const seen = statuses[door] ?? {};
        seen[response.statusCode] = (seen[response.statusCode] ?? 0) + 1;
        await judged(draft, url, response);
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

  it("issue 14, R-AUTH-1, R-AUTH-4: Auth API door (/auth/v2 and /rest/v1), correctly signed: no 5xx, no legacy 401, every legacy answer readable, refusals write nothing, answers write only what an attempt writes", {
    timeout: BUDGET_MS_PER_DOOR * 3,
  }, async () => {
    const fixtures = await addAuthFixtures(target);
    auth = fixtures;
    await writesSince();
    const routes = target.app.routeList.filter((route) =>
      /^\/(auth\/v2|rest\/v1)\//.test(route.url),
    );
    expect(routes.length).toBeGreaterThanOrEqual(14);
    const seenTxids: string[] = [];
    const draft = fc
      .constantFrom(...routes)
      .chain((route) =>
        fc.tuple(
          authDraft(route, fixtures, target.ids),
          fc.constantFrom(2, 5) as fc.Arbitrary<2 | 5>,
          fc.integer({ min: 0, max: 3 }),
          fc.nat(),
        ),
      )
      .map(([d, version, dated, pick]) =>
        Object.assign(d, { variant: { version, legacyDate: dated === 0 }, pick }),
      );
    type Variant = { variant: { version: 2 | 5; legacyDate: boolean }; pick: number };
    await run(
      "auth",
      draft,
      async (d) => {
        const { variant, pick } = d as Draft & Variant;
        const filled = withSeenTxids(d, seenTxids, pick);
        const request = signAuthDraft(filled, fixtures, variant);
        const response = await target.app.inject(request);
        const txid = answeredTxid(d.route, response);
        if (txid) seenTxids.push(txid);
        return { url: request.url, response };
      },
      judgeAuth,
    );
    console.log(
      `fuzz auth answers on ${TEST_ENGINE}: ${JSON.stringify(authAnswers)}; ${seenTxids.length} txids`,
    );
    // The door was reached, not only its guard: attempts were answered both ways, some async.
    expect(authAnswers.allow).toBeGreaterThan(0);
    expect(authAnswers.deny).toBeGreaterThan(0);
    expect(authAnswers.legacyOk).toBeGreaterThan(0);
    expect(seenTxids.length).toBeGreaterThan(0);
  });

  /**
   * The Auth API door's judge: no 5xx; duo_unix's door never a 401 either, and each of its answers
   * one it can read (it fails open on what it cannot); a refusal (4xx, or the legacy FAIL) writes
   * nothing; an answer writes only what its endpoint's attempt writes (R-AUTH-4), one log entry at
   * most.
   */
  async function judgeAuth(draft: Draft, url: string, response: LightMyRequestResponse) {
    const where = `${draft.method} ${url.slice(0, 300)} (hostile: ${draft.mutation})`;
    const said = `${where} answered ${response.statusCode} ${response.body.slice(0, 300)}`;
    expect(response.statusCode, said).toBeLessThan(500);
    const legacy = isLegacy(draft.route);
    if (legacy) expect(response.statusCode, `${said}: duo_unix fails open on 401`).toBe(200);
    const answer = readAnswer(draft.route, response, said);
    const written = await writesSince();
    const refused = response.statusCode >= 400 || answer.stat === "FAIL";
    if (legacy) authAnswers[answer.stat === "OK" ? "legacyOk" : "legacyFail"]++;
    if (refused) {
      authAnswers.refused++;
      expect(written, `${where} was refused but wrote`).toEqual([]);
      return;
    }
    if (answer.result === "allow" || answer.result === "deny") authAnswers[answer.result]++;
    const allowed = ANSWER_WRITES[endpointOf(draft.route)] ?? new Set();
    const foreign = written.filter((entry) => !allowed.has(`${entry.table} ${entry.op}`));
    expect(foreign, `${where} answered, and wrote what its attempt does not`).toEqual([]);
    const logged = written.filter((entry) => entry.table === "authentication_log");
    expect(logged.length, `${where}: one attempt, one log entry at most`).toBeLessThanOrEqual(1);
  }

  it("ran at least 2,000 requests over the doors", () => {
    const total = counts.panel + counts.duo + counts.auth;
    console.log(`fuzz total on ${TEST_ENGINE}: ${total} requests`);
    if (!budgetSpent) expect(total).toBeGreaterThanOrEqual(2_000);
  });
});

/**
 * What an answered attempt may write, by endpoint (R-AUTH-4): preauth, its log entry when the
 * user's standing decided; auth, the log entry, the async outcome, the failure count, the spent
 * code, an SMS sent; enroll, the new user, their phone, activation and bypass codes, and its
 * Administrator Actions record. Nothing else writes.
 */
const ANSWER_WRITES: Record<string, Set<string>> = {
  preauth: new Set(["authentication_log INSERT"]),
  auth: new Set([
    "authentication_log INSERT",
    "auth_transactions INSERT",
    "auth_transactions DELETE",
    "users UPDATE",
    "phones UPDATE",
    "hardware_tokens UPDATE",
    "bypass_codes UPDATE",
    "bypass_codes DELETE",
    "sms_passcodes INSERT",
    "sms_passcodes UPDATE",
    "telephony_log INSERT",
  ]),
  enroll: new Set([
    "users INSERT",
    "phones INSERT",
    "user_phones INSERT",
    "device_activations INSERT",
    "bypass_codes INSERT",
    "audit_log INSERT",
  ]),
};

interface AuthAnswer {
  stat: "OK" | "FAIL";
  result?: string;
  txid?: string;
}

/**
 * The answer's envelope, checked as its client reads it: duo_unix 1.11's BSON (stat a string; OK
 * with an embedded response, FAIL with an int32 code and a string message; a status answer always
 * with a result, or the client lets the user in after 20 polls), JSON elsewhere.
 */
function readAnswer(route: string, response: LightMyRequestResponse, said: string): AuthAnswer {
  let body: { stat?: unknown; code?: unknown; response?: Record<string, unknown> };
  if (route.endsWith(".bson")) {
    const elements = bsonElements(response.rawPayload);
    body = BSON.deserialize(response.rawPayload);
    expect(elements.get("stat")?.type, said).toBe(BSON_TYPE.string);
    if (body.stat === "FAIL") {
      expect(elements.get("code")?.type, said).toBe(BSON_TYPE.int32);
      expect(elements.get("message")?.type, said).toBe(BSON_TYPE.string);
    } else expect(elements.get("response")?.type, said).toBe(BSON_TYPE.document);
  } else body = response.json();
  expect(["OK", "FAIL"], said).toContain(body.stat);
  if (body.stat === "FAIL") expect(typeof body.code, said).toBe("number");
  const answer = body.response ?? {};
  if (body.stat === "OK" && /\/(auth_status|status\.(bson|json))$/.test(route))
    expect(["allow", "deny"], `${said}: a final result at every poll`).toContain(answer.result);
  return {
    stat: body.stat as AuthAnswer["stat"],
    ...(typeof answer.result === "string" ? { result: answer.result } : {}),
    ...(typeof answer.txid === "string" ? { txid: answer.txid } : {}),
  };
}

function answeredTxid(route: string, response: LightMyRequestResponse): string | undefined {
  if (response.statusCode !== 200 || !/\/auth(\.(bson|json))?$/.test(route)) return undefined;
  const body = route.endsWith(".bson") ? BSON.deserialize(response.rawPayload) : response.json();
  const txid = (body as { response?: { txid?: unknown } }).response?.txid;
  return typeof txid === "string" ? txid : undefined;
}

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
