import { randomUUID } from "node:crypto";
import { BSON } from "bson";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newSecretKey } from "../../../src/db/ids.js";
import {
  authRequest,
  BSON_TYPE,
  DOORS_BYPASS_CODE as BYPASS,
  bsonElements,
  bsonElementTypes,
  type DoorsFixture,
  formOf,
  legacyRequest,
  openDoorsFixture,
  type Params,
} from "../../helpers/auth-api.js";
import { type Credentials, signedRequest } from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { appCode } from "../../helpers/factors.js";

/**
 * Issue 14 "Safe under attack", the legacy door (/rest/v1) that duo_unix before 2.2 speaks
 * (research/auth-protocols.md §1, §8): v1 signatures without a date, BSON it can read (an int32
 * `code`, never a type it cannot skip), every refusal an HTTP 200 with stat FAIL because on a 401
 * or a 5xx its default fail mode lets the user in, and a final result at the first status poll
 * because after 20 polls without one it lets the user in too.
 */

const LIMIT_PER_SECOND = 2;

describe(`the legacy Auth API door (/rest/v1) for duo_unix 1.11 on ${TEST_ENGINE}`, () => {
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

  const legacy = (key: Credentials, method: "GET" | "POST", path: string, params: Params = {}) =>
    inject(legacyRequest(key, method, path, params));

  /** What duo_unix reads of a refusal: HTTP 200, stat FAIL, an int32 code, a string message. */
  function expectBsonFail(response: LightMyRequestResponse, code: number) {
    expect(response.statusCode, "never 401 or 5xx: duo_unix fails open on those").toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/bson/);
    expect(bsonElementTypes(response.rawPayload)).toEqual({
      stat: BSON_TYPE.string,
      code: BSON_TYPE.int32,
      message: BSON_TYPE.string,
    });
    const body = BSON.deserialize(response.rawPayload);
    expect(body).toMatchObject({ stat: "FAIL", code });
    return body;
  }

  it("a v1-signed BSON preauth is answered in BSON duo_unix reads: stat, an embedded response, the prompt and its factors", async () => {
    const response = await legacy(doors.keys.unix, "POST", "/rest/v1/preauth.bson", {
      user: "alice",
      hostname: "build.example.com",
      failmode: "open",
      ipaddr: "::1 5555 ::1 22",
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/bson/);
    expect(bsonElementTypes(response.rawPayload)).toEqual({
      stat: BSON_TYPE.string,
      response: BSON_TYPE.document,
    });
    const inner = bsonElements(response.rawPayload).get("response")?.value ?? Buffer.alloc(0);
    expect(bsonElementTypes(inner)).toEqual({
      result: BSON_TYPE.string,
      prompt: BSON_TYPE.string,
      factors: BSON_TYPE.document,
    });
    const body = BSON.deserialize(response.rawPayload);
    expect(body.stat).toBe("OK");
    expect(body.response.result).toBe("auth");
    expect(body.response.prompt).toContain("alice");
    // preauth itself, with the user able to try, records nothing (no attempt yet).
    expect(await writesSince()).toEqual([]);
  });

  it("R-AUTH-3: a preauth the user's standing decides is in BSON with its status text (bob has no device: enroll)", async () => {
    const response = await legacy(doors.keys.unix, "POST", "/rest/v1/preauth.bson", {
      user: "bob",
    });
    const inner = bsonElements(response.rawPayload).get("response")?.value ?? Buffer.alloc(0);
    expect(bsonElementTypes(inner)).toEqual({
      result: BSON_TYPE.string,
      status: BSON_TYPE.string,
    });
    expect(BSON.deserialize(response.rawPayload).response.result).toBe("enroll");
  });

  it("a refusal is HTTP 200 with stat FAIL and an int32 code, never a 401: a missing parameter, a bad signature, an unknown key, no credentials", async () => {
    expectBsonFail(await legacy(doors.keys.unix, "POST", "/rest/v1/preauth.bson", {}), 40002);
    const forged = { ...doors.keys.unix, skey: newSecretKey() };
    expectBsonFail(await legacy(forged, "POST", "/rest/v1/preauth.bson", { user: "alice" }), 40103);
    expectBsonFail(
      await legacy(forged, "POST", "/rest/v1/auth.bson", {
        user: "alice",
        factor: "auto",
        auto: BYPASS,
        async: "0",
      }),
      40103,
    );
    const unknown = { ...doors.keys.unix, ikey: "DI99999999999999999X" };
    expectBsonFail(
      await legacy(unknown, "POST", "/rest/v1/preauth.bson", { user: "alice" }),
      40102,
    );
    const bare = legacyRequest(doors.keys.unix, "POST", "/rest/v1/preauth.bson", { user: "alice" });
    const { authorization: _, ...withoutCredentials } = bare.headers;
    expectBsonFail(await inject({ ...bare, headers: withoutCredentials }), 40101);
    expect(await writesSince()).toEqual([]);
  });

  it("R-AUTH-1: a Unix application with legacy clients off, and an Auth API key, are 200 FAIL 40301, never 401", async () => {
    for (const key of [doors.keys.unixOff, doors.keys.authapi, doors.keys.adminapi]) {
      const body = expectBsonFail(
        await legacy(key, "POST", "/rest/v1/preauth.bson", { user: "alice" }),
        40301,
      );
      expect(body.message).toMatch(/legacy|Unix/);
      expectBsonFail(
        await legacy(key, "POST", "/rest/v1/auth.bson", {
          user: "alice",
          factor: "auto",
          auto: BYPASS,
          async: "0",
        }),
        40301,
      );
    }
    expect(await writesSince()).toEqual([]);
  });

  it("R-AUTH-4: status.bson answers a final result at the first poll, allow or deny (duo_unix lets the user in after 20 polls without one)", async () => {
    for (const [passcode, result] of [
      [BYPASS, "allow"],
      ["000000", "deny"],
      [appCode(doors.totpSecret), "allow"],
    ] as const) {
      const started = await legacy(doors.keys.unix, "POST", "/rest/v1/auth.bson", {
        user: "alice",
        factor: "auto",
        auto: passcode,
        async: "1",
        pushinfo: "Server+IP%3D10.0.0.1%26Command%3D",
        hostname: "build.example.com",
      });
      const txid = BSON.deserialize(started.rawPayload).response.txid as string;
      expect(txid).toMatch(/^[0-9a-f-]{36}$/);
      const poll = await legacy(doors.keys.unix, "GET", "/rest/v1/status.bson", { txid });
      expect(poll.statusCode).toBe(200);
      const inner = bsonElements(poll.rawPayload).get("response")?.value ?? Buffer.alloc(0);
      expect(bsonElementTypes(inner)).toEqual({
        result: BSON_TYPE.string,
        status: BSON_TYPE.string,
      });
      expect(BSON.deserialize(poll.rawPayload).response.result).toBe(result);
      const logged = await doors.database.handle.db
        .selectFrom("authentication_log")
        .select(["result", "application_id"])
        .where("txid", "=", txid)
        .execute();
      expect(logged).toEqual([
        { result: result === "allow" ? "success" : "denied", application_id: doors.keys.unix.ikey },
      ]);
    }
  });

  it("status.bson for a txid it never gave, or another application's, is a FAIL, never an OK without a result", async () => {
    expectBsonFail(
      await legacy(doors.keys.unix, "GET", "/rest/v1/status.bson", { txid: randomUUID() }),
      40002,
    );
    const theirs = await inject(
      authRequest(doors.keys.authapi, "POST", "/auth/v2/auth", {
        username: "alice",
        factor: "passcode",
        passcode: BYPASS,
        async: "1",
      }),
    );
    const txid = (json(theirs).response as { txid: string }).txid;
    await writesSince();
    expectBsonFail(await legacy(doors.keys.unix, "GET", "/rest/v1/status.bson", { txid }), 40002);
    expect(await writesSince()).toEqual([]);
  });

  it("the .json variant (duo_unix 1.12 to 2.0) answers the same in JSON", async () => {
    const preauth = await legacy(doors.keys.unix, "POST", "/rest/v1/preauth.json", {
      user: "alice",
    });
    expect(preauth.statusCode).toBe(200);
    expect(preauth.headers["content-type"]).toMatch(/^application\/json/);
    expect(json(preauth)).toMatchObject({ stat: "OK", response: { result: "auth" } });
    const auth = await legacy(doors.keys.unix, "POST", "/rest/v1/auth.json", {
      user: "alice",
      factor: "auto",
      auto: BYPASS,
      async: "0",
    });
    expect(json(auth)).toMatchObject({ stat: "OK", response: { result: "allow" } });
    const refused = await legacy(doors.keys.unixOff, "POST", "/rest/v1/preauth.json", {
      user: "alice",
    });
    expect(refused.statusCode).toBe(200);
    expect(json(refused)).toMatchObject({ stat: "FAIL", code: 40301 });
  });

  it("a request with a Date header (duo_unix 2.0.4 to 2.1) is checked as v2: a v1 signature fails, a v2 one passes, a stale date fails", async () => {
    const params = { user: "alice" };
    const v1 = legacyRequest(doors.keys.unix, "POST", "/rest/v1/preauth.bson", params);
    const withDate = { ...v1, headers: { ...v1.headers, date: new Date().toUTCString() } };
    expectBsonFail(await inject(withDate), 40103);
    const v2 = (date?: string) => {
      const signed = signedRequest({
        ...doors.keys.unix,
        method: "POST",
        url: "/rest/v1/preauth.bson",
        host: "localhost",
        body: formOf(params),
        contentType: "application/x-www-form-urlencoded",
        ...(date ? { date } : {}),
      });
      return { ...signed, headers: { ...signed.headers, host: "localhost:8443" } };
    };
    const fresh = await inject(v2());
    expect(fresh.statusCode).toBe(200);
    expect(BSON.deserialize(fresh.rawPayload)).toMatchObject({
      stat: "OK",
      response: { result: "auth" },
    });
    expectBsonFail(await inject(v2(new Date(Date.now() - 10 * 60_000).toUTCString())), 40105);
  });
});
