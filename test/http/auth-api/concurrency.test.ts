import { randomBytes } from "node:crypto";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretKey } from "../../../src/db/ids.js";
import { readMigrations } from "../../../src/db/migrate.js";
import { type DatabaseHandle, openDatabase } from "../../../src/db/open.js";
import { buildApp } from "../../../src/http/app.js";
import { authRequest } from "../../helpers/auth-api.js";
import { openTestDatabase, type TestDatabase } from "../../helpers/database.js";
import type { Credentials } from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import {
  appCode,
  hotpCode,
  insertBypassCode,
  insertPhone,
  insertToken,
  newBase32Secret,
  totpTokenCode,
  yubikeyOtp,
} from "../../helpers/factors.js";
import { insertAccount, insertApplication, insertUser } from "../../helpers/fixtures.js";

/**
 * Issue 14 "Safe under attack", races (R-AUTH-2, R-AUTH-3, R-AUTH-4): one code sent many times at
 * once must succeed as many times as it may, and wrong codes sent at once must lock the user out at
 * exactly the threshold. On PostgreSQL the requests go to two server instances sharing the
 * database, each with the server's own pool size, so they truly run at the same time; on PGlite
 * (one connection) they interleave at every await.
 */

/** The account most tests use: failures never reach its threshold, so they never lock anyone. */
const HIGH_THRESHOLD = 100;
const LOW_THRESHOLD = 5;
const ROUNDS = 3;

describe(`concurrent authentications on ${TEST_ENGINE}`, { timeout: 300_000 }, () => {
  let database: TestDatabase;
  const extra: DatabaseHandle[] = [];
  /** Two instances on PostgreSQL; one on PGlite, which one process owns. */
  let instances: FastifyInstance[] = [];
  let accountId: string;
  let strictAccountId: string;
  let app: Credentials;
  let strictApp: Credentials;
  const db = () => database.handle.db;
  let users = 0;

  async function newUser(account = accountId): Promise<{ id: string; username: string }> {
    const username = `user${++users}`;
    const id = await insertUser(db(), account, { username, realName: username, groupIds: [] });
    return { id, username };
  }

  async function credentials(account: string): Promise<Credentials> {
    const skey = newSecretKey();
    const ikey = await insertApplication(db(), database.secrets, {
      accountId: account,
      type: "authapi",
      secretKey: skey,
    });
    return { ikey, skey };
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    const migrations = await readMigrations();
    const handles = database.url
      ? [
          await openDatabase({ kind: "postgres", url: database.url, poolSize: 10 }),
          await openDatabase({ kind: "postgres", url: database.url, poolSize: 10 }),
        ]
      : [database.handle];
    extra.push(...handles.filter((handle) => handle !== database.handle));
    instances = await Promise.all(
      handles.map((handle) =>
        buildApp({ database: handle, secrets: database.secrets, migrations }),
      ),
    );
    accountId = await insertAccount(db(), { name: "Race Inc" });
    strictAccountId = await insertAccount(db(), { name: "Strict Inc" });
    for (const [id, threshold] of [
      [accountId, HIGH_THRESHOLD],
      [strictAccountId, LOW_THRESHOLD],
    ] as const)
      await db()
        .updateTable("account_settings")
        .set({ user_lockout_threshold: threshold })
        .where("account_id", "=", id)
        .execute();
    app = await credentials(accountId);
    strictApp = await credentials(strictAccountId);
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close();
    for (const handle of extra) await handle.close();
    await database?.close();
  });

  /** Sends `count` auth requests with the same passcode at once, spread over the instances. */
  async function race(
    username: string,
    passcode: string,
    count: number,
  ): Promise<LightMyRequestResponse[]> {
    const responses = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        (instances[i % instances.length] as FastifyInstance).inject(
          authRequest(app, "POST", "/auth/v2/auth", {
            username,
            factor: "passcode",
            passcode,
            hostname: `race-${i}`,
          }),
        ),
      ),
    );
    for (const response of responses)
      expect(response.statusCode, `an answer, not an error: ${response.body}`).toBe(200);
    return responses;
  }

  const results = (responses: LightMyRequestResponse[]) =>
    responses.map(
      (response) => (response.json() as { response: { result: string } }).response.result,
    );
  const count = (values: string[], value: string) => values.filter((v) => v === value).length;

  async function logOf(userId: string) {
    return db()
      .selectFrom("authentication_log")
      .select(["result", "reason", "factor"])
      .where("user_id", "=", userId)
      .orderBy("id")
      .execute();
  }

  /** R-AUTH-4: each answer is in the log, with its result; `allowed` successes of `factor`. */
  async function expectLogged(
    userId: string,
    responses: string[],
    allowed: number,
    factor: string,
  ) {
    const log = await logOf(userId);
    expect(log).toHaveLength(responses.length);
    expect(log.filter((entry) => entry.result === "success")).toEqual(
      Array.from({ length: allowed }, () => ({
        result: "success",
        reason: "valid_passcode",
        factor,
      })),
    );
    expect(log.filter((entry) => entry.result === "denied")).toHaveLength(
      responses.length - allowed,
    );
  }

  describe.each([2, 20])("%s at once", (concurrency) => {
    it(`R-AUTH-2: one single-use bypass code sent ${concurrency} times at once succeeds exactly once (${ROUNDS} rounds)`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const user = await newUser();
        const code = `${round}13572468${concurrency}`;
        const codeId = await insertBypassCode(db(), { accountId, userId: user.id, code });
        const answers = results(await race(user.username, code, concurrency));
        expect(count(answers, "allow"), `round ${round}`).toBe(1);
        await expectLogged(user.id, answers, 1, "bypass_code");
        const left = await db()
          .selectFrom("bypass_codes")
          .select("remaining_uses")
          .where("id", "=", codeId)
          .executeTakeFirst();
        expect(left?.remaining_uses ?? 0).toBe(0);
      }
    });

    it(`R-AUTH-2: one authenticator-app (TOTP) code sent ${concurrency} times at once succeeds exactly once`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const user = await newUser();
        const secret = newBase32Secret();
        await insertPhone(db(), database.secrets, {
          accountId,
          userId: user.id,
          totpSecret: secret,
        });
        const answers = results(await race(user.username, appCode(secret), concurrency));
        expect(count(answers, "allow"), `round ${round}`).toBe(1);
        await expectLogged(user.id, answers, 1, "duo_mobile_passcode");
      }
    });

    it(`R-AUTH-2: one hardware token's HOTP code sent ${concurrency} times at once succeeds exactly once, and the counter moves once`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const user = await newUser();
        const secret = randomBytes(20).toString("hex");
        const tokenId = await insertToken(db(), database.secrets, {
          accountId,
          userId: user.id,
          type: "h6",
          secret,
          counter: 7,
        });
        // Two presses ahead of the counter, within the look-ahead.
        const answers = results(await race(user.username, hotpCode(secret, 9), concurrency));
        expect(count(answers, "allow"), `round ${round}`).toBe(1);
        await expectLogged(user.id, answers, 1, "hardware_token");
        const token = await db()
          .selectFrom("hardware_tokens")
          .select("counter")
          .where("id", "=", tokenId)
          .executeTakeFirstOrThrow();
        expect(token.counter).toBe(10);
      }
    });

    it(`R-AUTH-2: one TOTP token's code and one YubiKey OTP, each sent ${concurrency} times at once, succeed exactly once`, async () => {
      const user = await newUser();
      const secret = "3132333435363738393031323334353637383930";
      await insertToken(db(), database.secrets, {
        accountId,
        userId: user.id,
        type: "t8",
        secret,
      });
      const yubikey = {
        aesKey: "ecde18dbe76fbd0c33330f1c354871db",
        privateId: "8792ebfe26cc",
        publicId: "vvccccbcgujh",
      };
      await insertToken(db(), database.secrets, {
        accountId,
        userId: user.id,
        type: "yk",
        ...yubikey,
      });
      const totp = results(
        await race(user.username, totpTokenCode(secret, Date.now(), 8), concurrency),
      );
      expect(count(totp, "allow")).toBe(1);
      const otp = yubikeyOtp({ ...yubikey, counter: 3, use: 1 });
      const yk = results(await race(user.username, otp, concurrency));
      expect(count(yk, "allow")).toBe(1);
      const log = await logOf(user.id);
      expect(log).toHaveLength(2 * concurrency);
      expect(
        log
          .filter((entry) => entry.result === "success")
          .map((entry) => entry.factor)
          .sort(),
      ).toEqual(["hardware_token", "yubikey_code"]);
    });
  });

  it("R-AUTH-2: a bypass code with reuse_count 3, sent 10 times at once, succeeds exactly 3 times", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await newUser();
      const code = `${round}97531864`;
      const codeId = await insertBypassCode(db(), {
        accountId,
        userId: user.id,
        code,
        reuseCount: 3,
      });
      const answers = results(await race(user.username, code, 10));
      expect(count(answers, "allow"), `round ${round}`).toBe(3);
      await expectLogged(user.id, answers, 3, "bypass_code");
      const left = await db()
        .selectFrom("bypass_codes")
        .select("remaining_uses")
        .where("id", "=", codeId)
        .executeTakeFirst();
      expect(left?.remaining_uses ?? 0).toBe(0);
    }
  });

  it(`R-AUTH-3, R-AUTH-4: wrong passcodes sent at once lock the user out at exactly the threshold (${LOW_THRESHOLD}): that many are logged invalid_passcode, the rest locked_out`, async () => {
    for (const concurrency of [LOW_THRESHOLD + 1, 12, 30]) {
      const user = await newUser(strictAccountId);
      await insertPhone(db(), database.secrets, {
        accountId: strictAccountId,
        userId: user.id,
        totpSecret: newBase32Secret(),
      });
      // Seven digits: no authenticator-app code, and the user has no bypass or SMS codes.
      const wrong = Array.from({ length: concurrency }, (_, i) => String(1_000_000 + i));
      const responses = await Promise.all(
        wrong.map((passcode, i) =>
          (instances[i % instances.length] as FastifyInstance).inject(
            authRequest(strictApp, "POST", "/auth/v2/auth", {
              username: user.username,
              factor: "passcode",
              passcode,
            }),
          ),
        ),
      );
      for (const response of responses)
        expect(response.statusCode, `an answer, not an error: ${response.body}`).toBe(200);
      expect(count(results(responses), "deny")).toBe(concurrency);
      const log = await logOf(user.id);
      expect(log).toHaveLength(concurrency);
      expect(
        count(
          log.map((entry) => entry.reason),
          "invalid_passcode",
        ),
        `${concurrency} at once`,
      ).toBe(LOW_THRESHOLD);
      expect(
        count(
          log.map((entry) => entry.reason),
          "locked_out",
        ),
      ).toBe(concurrency - LOW_THRESHOLD);
      const row = await db()
        .selectFrom("users")
        .select(["status", "failed_auth_attempts"])
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: "locked out", failed_auth_attempts: LOW_THRESHOLD });
    }
  });
});
