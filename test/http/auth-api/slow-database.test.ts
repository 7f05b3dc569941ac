import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretKey } from "../../../src/db/ids.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { signedRequest } from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertApplication } from "../../helpers/fixtures.js";

/**
 * Issue 14 item 7: a client decides on its fail mode from ping and check, so both answer while the
 * database is slow. The database is made slow by a transaction that holds the applications table
 * locked (on PGlite, whose one connection it holds, every statement waits).
 */
describe(`the Auth API while the database is slow, on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let credentials: { ikey: string; skey: string };

  beforeAll(async () => {
    t = await buildTestApp();
    const accountId = await insertAccount(t.db, { name: "Acme" });
    const skey = newSecretKey();
    credentials = {
      ikey: await insertApplication(t.db, t.database.secrets, {
        accountId,
        type: "authapi",
        secretKey: skey,
      }),
      skey,
    };
  });
  afterAll(() => t.close());

  const signed = (url: string, method: "GET" | "POST" = "GET", body?: string) =>
    t.app.inject(
      signedRequest({
        ...credentials,
        method,
        url,
        ...(body === undefined ? {} : { body, contentType: "application/x-www-form-urlencoded" }),
      }),
    );

  it("ping answers without the database, and check from the key's last known row; preauth waits for the database", async () => {
    expect((await signed("/auth/v2/check")).statusCode).toBe(200);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = t.db.transaction().execute(async (tx) => {
      await sql`lock table applications in access exclusive mode`.execute(tx);
      locked();
      await held;
    });
    await isLocked;
    try {
      let preauthDone = false;
      const preauth = signed("/auth/v2/preauth", "POST", "username=alice").then((response) => {
        preauthDone = true;
        return response;
      });
      const ping = await t.app.inject({ method: "GET", url: "/auth/v2/ping" });
      expect(ping.json()).toMatchObject({ stat: "OK", response: { time: expect.any(Number) } });
      const check = await signed("/auth/v2/check");
      expect(check.json()).toMatchObject({ stat: "OK", response: { time: expect.any(Number) } });
      // Both answered while preauth, sent before them, still waits on the locked table.
      expect(preauthDone).toBe(false);
      release();
      await holder;
      expect((await preauth).json()).toMatchObject({ stat: "OK", response: { result: "enroll" } });
    } finally {
      release();
      await holder;
    }
  });

  it("check still refuses a wrong secret while the database is slow", async () => {
    const wrong = signedRequest({
      ikey: credentials.ikey,
      skey: newSecretKey(),
      method: "GET",
      url: "/auth/v2/check",
    });
    expect((await t.app.inject(wrong)).json()).toMatchObject({ stat: "FAIL", code: 40103 });
  });
});
