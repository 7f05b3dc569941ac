import { randomUUID } from "node:crypto";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newSecretKey } from "../../../src/db/ids.js";
import {
  authRequest,
  DOORS_BYPASS_CODE as BYPASS,
  type DoorsFixture,
  openDoorsFixture,
  type Params,
} from "../../helpers/auth-api.js";
import { signedRequest } from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";

/**
 * Issue 14 "Safe under attack", the /auth/v2 door itself: what it answers before any factor is
 * weighed: signatures, keys of other APIs (R-AUTH-1), dates, the rate limit, malformed parameters
 * (each refused naming the parameter, writing nothing). The legacy door is in doors-legacy.test.ts.
 */

const LIMIT_PER_SECOND = 2;

describe(`the Auth API door (/auth/v2) on ${TEST_ENGINE}`, () => {
  let doors: DoorsFixture;
  beforeAll(async () => {
    doors = await openDoorsFixture(LIMIT_PER_SECOND);
  });
  afterAll(() => doors?.close());
  beforeEach(async () => {
    await doors.writesSince();
  });
  const writesSince = () => doors.writesSince();
  const inject = (request: InjectOptions): Promise<LightMyRequestResponse> =>
    doors.app.inject(request);
  const json = (response: LightMyRequestResponse) => response.json() as Record<string, unknown>;

  it("ping needs no signature and answers the server's time", async () => {
    const response = await inject({ method: "GET", url: "/auth/v2/ping" });
    expect(response.statusCode).toBe(200);
    const body = json(response) as { stat: string; response: { time: number } };
    expect(body.stat).toBe("OK");
    expect(Math.abs(body.response.time - Date.now() / 1000)).toBeLessThan(60);
  });

  it("check needs a signature: none is 401 40101, a wrong one 401 40103, a right one the time", async () => {
    const unsigned = await inject({ method: "GET", url: "/auth/v2/check" });
    expect([unsigned.statusCode, json(unsigned).code]).toEqual([401, 40101]);
    const forged = await inject(
      authRequest({ ...doors.keys.authapi, skey: newSecretKey() }, "GET", "/auth/v2/check"),
    );
    expect([forged.statusCode, json(forged).code]).toEqual([401, 40103]);
    const unknown = await inject(
      authRequest({ ...doors.keys.authapi, ikey: "DI99999999999999999X" }, "GET", "/auth/v2/check"),
    );
    expect([unknown.statusCode, json(unknown).code]).toEqual([401, 40102]);
    for (const digest of ["sha1", "sha512"] as const) {
      const signed = await inject(
        authRequest(doors.keys.authapi, "GET", "/auth/v2/check", {}, { digest }),
      );
      expect(signed.statusCode).toBe(200);
      const time = (json(signed).response as { time: number }).time;
      expect(Math.abs(time - Date.now() / 1000)).toBeLessThan(60);
    }
  });

  it("R-AUTH-1: an Admin API, Accounts API or Web SDK key, correctly signed, is 403 40301 on /auth/v2 and changes nothing", async () => {
    for (const key of [doors.keys.adminapi, doors.keys.accountsapi, doors.keys.websdk]) {
      for (const request of [
        authRequest(key, "GET", "/auth/v2/check"),
        authRequest(key, "POST", "/auth/v2/preauth", { username: "alice" }),
        authRequest(key, "POST", "/auth/v2/auth", {
          username: "alice",
          factor: "passcode",
          passcode: BYPASS,
        }),
        authRequest(key, "POST", "/auth/v2/enroll", { username: "mallory" }),
      ]) {
        const response = await inject(request);
        expect([request.url, response.statusCode, json(response).code]).toEqual([
          request.url,
          403,
          40301,
        ]);
      }
    }
    expect(await writesSince()).toEqual([]);
  });

  it("R-AUTH-1: an Auth API or Unix key, correctly signed, is 403 40301 on the Admin and Accounts APIs", async () => {
    for (const key of [doors.keys.authapi, doors.keys.unix])
      for (const [method, url] of [
        ["GET", "/admin/v1/users"],
        ["GET", "/admin/v1/info/summary"],
        ["POST", "/accounts/v1/account/list"],
      ] as const) {
        const response = await inject(signedRequest({ ...key, method, url }));
        expect([url, response.statusCode, json(response).code]).toEqual([url, 403, 40301]);
      }
    const create = await inject(
      signedRequest({
        ...doors.keys.authapi,
        method: "POST",
        url: "/admin/v1/users",
        body: "username=mallory",
        contentType: "application/x-www-form-urlencoded",
      }),
    );
    expect([create.statusCode, json(create).code]).toEqual([403, 40301]);
    expect(await writesSince()).toEqual([]);
  });

  it("a date more than five minutes off, however well signed, is 401 40105 (a replay is refused)", async () => {
    for (const offset of [-10 * 60_000, 10 * 60_000]) {
      const date = new Date(Date.now() + offset).toUTCString();
      const response = await inject(
        authRequest(
          doors.keys.authapi,
          "POST",
          "/auth/v2/auth",
          {
            username: "alice",
            factor: "passcode",
            passcode: BYPASS,
          },
          { date },
        ),
      );
      expect([response.statusCode, json(response).code]).toEqual([401, 40105]);
    }
    expect(await writesSince()).toEqual([]);
  });

  it("the rate limit counts each application apart and answers 429 42901 with Retry-After", async () => {
    // Bursts of requests at once, so that a burst falls within one second however slow the
    // machine; the first refusal ends the loop.
    let refused: LightMyRequestResponse | undefined;
    for (let burst = 0; burst < 20 && refused === undefined; burst++) {
      const answers = await Promise.all(
        Array.from({ length: 3 * LIMIT_PER_SECOND }, () =>
          doors.limited.inject(authRequest(doors.keys.authapi, "GET", "/auth/v2/check")),
        ),
      );
      for (const answer of answers) expect([200, 429]).toContain(answer.statusCode);
      refused = answers.find((answer) => answer.statusCode === 429);
    }
    if (!refused)
      throw new Error(`20 bursts, none refused by a limit of ${LIMIT_PER_SECOND} a second`);
    expect(json(refused)).toMatchObject({ stat: "FAIL", code: 42901 });
    expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    // Another application's first request of any second is within its own limit.
    const other = await doors.limited.inject(
      authRequest(doors.keys.authapi2, "GET", "/auth/v2/check"),
    );
    expect(other.statusCode).toBe(200);
    // Ping is unsigned: it belongs to no application, and no application's limit stops it.
    expect((await doors.limited.inject({ method: "GET", url: "/auth/v2/ping" })).statusCode).toBe(
      200,
    );
  });

  /** Replaced, when the case runs, by a txid another Auth API application started. */
  const OTHER_TXID = "(another application's txid)";
  const BYPASS_AUTH = { username: "alice", factor: "passcode", passcode: BYPASS };
  /** Per endpoint: what is wrong, the parameters sent, the parameter the refusal must name. */
  const MALFORMED: Record<string, [why: string, params: Params, named: string][]> = {
    "POST /auth/v2/enroll": [
      ["valid_secs not a number", { valid_secs: "soon" }, "valid_secs"],
      ["valid_secs zero", { valid_secs: "0" }, "valid_secs"],
      ["eleven bypass codes", { bypass_codes: "11" }, "bypass_codes"],
      ["bypass codes negative", { bypass_codes: "-1" }, "bypass_codes"],
      ["an empty username", { username: " " }, "username"],
      ["a username given twice", { username: ["a", "b"] }, "username"],
      ["a username with a line break", { username: "a\nb" }, "username"],
    ],
    "POST /auth/v2/enroll_status": [
      ["no user_id", { activation_code: "x" }, "user_id"],
      ["no activation_code", { user_id: "DU99999999999999999X" }, "activation_code"],
    ],
    "POST /auth/v2/preauth": [
      ["no user", {}, "username"],
      ["username and user_id", { username: "alice", user_id: "DU99999999999999999X" }, "username"],
      ["a username of 301 characters", { username: "a".repeat(301) }, "username"],
      ["a user_id of 21 characters", { user_id: "D".repeat(21) }, "user_id"],
      ["ipaddr of 201 characters", { username: "alice", ipaddr: "1".repeat(201) }, "ipaddr"],
      ["hostname of 301 characters", { username: "alice", hostname: "h".repeat(301) }, "hostname"],
      ["text_prompt not a boolean", { username: "alice", text_prompt: "maybe" }, "text_prompt"],
      // bob has no device: his preauth is decided by his standing, and logged, when it is valid.
      [
        "the same for a user whose preauth is logged",
        { username: "bob", text_prompt: "maybe" },
        "text_prompt",
      ],
    ],
    "POST /auth/v2/auth": [
      ["no factor", { username: "alice" }, "factor"],
      ["an unknown factor", { username: "alice", factor: "telepathy" }, "factor"],
      ["passcode without a passcode", { username: "alice", factor: "passcode" }, "passcode"],
      ["a passcode of 101 characters", { ...BYPASS_AUTH, passcode: "1".repeat(101) }, "passcode"],
      ["a passcode given twice", { ...BYPASS_AUTH, passcode: [BYPASS, BYPASS] }, "passcode"],
      ["no user", { factor: "passcode", passcode: BYPASS }, "username"],
      ["async not a boolean", { ...BYPASS_AUTH, async: "yes" }, "async"],
      ["prompt without a prompt", { username: "alice", factor: "prompt" }, "prompt"],
      [
        "sms to a device of 21 characters",
        { username: "alice", factor: "sms", device: "D".repeat(21) },
        "device",
      ],
      [
        "sms for a user with no phone that takes SMS",
        { username: "alice", factor: "sms" },
        "device",
      ],
    ],
    "GET /auth/v2/auth_status": [
      ["no txid", {}, "txid"],
      ["a txid that is no UUID", { txid: "nope" }, "txid"],
      ["a txid never given", { txid: randomUUID() }, "txid"],
      ["another application's txid", { txid: OTHER_TXID }, "txid"],
    ],
  };
  const CASES = Object.entries(MALFORMED).flatMap(([endpoint, cases]) =>
    cases.map(([why, params, named]) => [`${endpoint}, ${why}`, endpoint, params, named] as const),
  );

  it("the table covers every endpoint that reads parameters", () => {
    const endpoints = doors.app.routeList
      .filter((route) => route.url.startsWith("/auth/v2/"))
      .map((route) => `${route.method} ${route.url}`)
      .filter((endpoint) => !/\/(ping|check|logo)$/.test(endpoint));
    expect(Object.keys(MALFORMED).sort()).toEqual([...new Set(endpoints)].sort());
  });

  it.each(CASES)(
    "%s: 400 40002 naming the parameter, nothing written",
    async (_name, endpoint, given, named) => {
      const [method, path] = endpoint.split(" ") as ["GET" | "POST", string];
      const params = { ...given };
      if (given.txid === OTHER_TXID) {
        const started = await inject(
          authRequest(doors.keys.authapi2, "POST", "/auth/v2/auth", { ...BYPASS_AUTH, async: "1" }),
        );
        expect(started.statusCode, started.body).toBe(200);
        params.txid = (json(started).response as { txid: string }).txid;
        await writesSince();
      }
      const response = await inject(authRequest(doors.keys.authapi, method, path, params));
      expect(response.statusCode, response.body).toBe(400);
      const body = json(response);
      expect(body).toMatchObject({ stat: "FAIL", code: 40002 });
      expect(String(body.message_detail)).toMatch(new RegExp(`^${named}: `));
      expect(await writesSince()).toEqual([]);
    },
  );

  it("push, phone and auto (services Gatehouse does not run) are 400 40002 and write nothing", async () => {
    for (const factor of ["push", "phone", "auto"]) {
      const response = await inject(
        authRequest(doors.keys.authapi, "POST", "/auth/v2/auth", { username: "alice", factor }),
      );
      expect([factor, response.statusCode, json(response).code]).toEqual([factor, 400, 40002]);
    }
    expect(await writesSince()).toEqual([]);
  });
});
