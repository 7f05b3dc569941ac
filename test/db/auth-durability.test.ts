import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretKey } from "../../src/db/ids.js";
import { createSecretBox, parseSecretKey } from "../../src/db/secrets.js";
import { formOf } from "../helpers/auth-api.js";
import {
  type CliEnvironment,
  cliEnvironment,
  runCli,
  type StartedServer,
  startServer,
  withCliDatabase,
} from "../helpers/cli.js";
import { type Credentials, signedRequest } from "../helpers/duo.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { appCode, insertBypassCode, insertPhone, newBase32Secret } from "../helpers/factors.js";
import { insertAccount, insertApplication, insertUser } from "../helpers/fixtures.js";

/**
 * Issue 14 "Safe under attack", durability (R-AUTH-2, R-AUTH-4): a real `gatehouse serve` is killed
 * with SIGKILL while authentications stream in, then started again on the same data. Every
 * authentication it acknowledged must have its log entry, with the result it answered (the log is
 * written in the transaction of the attempt's effects), and no single-use code (a bypass code, an
 * authenticator app's time step) may succeed twice across the crash: every code is sent again
 * after the restart, and each succeeds exactly once over the whole run.
 */

const USERS = 6;
const CODES_PER_USER = 12;
/** Requests in flight at once: several are cut off mid-write by the kill. */
const IN_FLIGHT = 6;
const ACKS_BEFORE_KILL = 30;

interface Planned {
  username: string;
  passcode: string;
  /** Which code this is: the same key for every request that sends it. */
  code: string;
  /** Unique per request, logged as the access device's hostname: how its log entry is found. */
  hostname: string;
}

type Sent = Planned & { answer: "allow" | "deny" | "lost" };

describe(`authentications survive a SIGKILL of the server on ${TEST_ENGINE}`, () => {
  let cli: CliEnvironment;
  let env: NodeJS.ProcessEnv;
  let credentials: Credentials;
  const users: { username: string; totpSecret: string; bypassCodes: string[] }[] = [];
  let requestNumber = 0;

  beforeAll(async () => {
    cli = await cliEnvironment();
    // On PostgreSQL the environment has its key; on PGlite one is given, to seal the fixtures with.
    env = {
      ...cli.env,
      GATEHOUSE_SECRET_KEY: cli.env.GATEHOUSE_SECRET_KEY ?? randomBytes(32).toString("hex"),
    };
    if (!env.DATABASE_URL) {
      const migrated = await runCli(["migrate"], env);
      expect(migrated.code, migrated.stderr).toBe(0);
    }
    const secrets = createSecretBox(parseSecretKey(env.GATEHOUSE_SECRET_KEY ?? ""));
    await withCliDatabase(env, async (db) => {
      const accountId = await insertAccount(db, { name: "Durable Inc" });
      await db
        .updateTable("account_settings")
        .set({ user_lockout_threshold: 100 })
        .where("account_id", "=", accountId)
        .execute();
      const skey = newSecretKey();
      const ikey = await insertApplication(db, secrets, {
        accountId,
        type: "authapi",
        secretKey: skey,
      });
      credentials = { ikey, skey };
      for (let u = 0; u < USERS; u++) {
        const username = `durable${u}`;
        const userId = await insertUser(db, accountId, {
          username,
          realName: username,
          groupIds: [],
        });
        const totpSecret = newBase32Secret();
        await insertPhone(db, secrets, { accountId, userId, totpSecret });
        const bypassCodes = Array.from(
          { length: CODES_PER_USER },
          (_, c) => `${u + 1}${String(c).padStart(2, "0")}424242`,
        );
        for (const code of bypassCodes) await insertBypassCode(db, { accountId, userId, code });
        users.push({ username, totpSecret, bypassCodes });
      }
    });
  }, 600_000);
  afterAll(() => cli?.close());

  function plan(username: string, passcode: string, code: string): Planned {
    return { username, passcode, code, hostname: `req-${++requestNumber}` };
  }

  /** One authentication over HTTP, as a client sends it; `lost` when the connection died. */
  async function send(server: StartedServer, attempt: Planned): Promise<Sent> {
    const request = signedRequest({
      ...credentials,
      method: "POST",
      url: "/auth/v2/auth",
      body: formOf({
        username: attempt.username,
        factor: "passcode",
        passcode: attempt.passcode,
        hostname: attempt.hostname,
      }),
      contentType: "application/x-www-form-urlencoded",
    });
    const { host: _, ...headers } = request.headers;
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${server.url}${request.url}`, {
        method: "POST",
        headers,
        body: request.payload,
      });
      status = response.status;
      text = await response.text();
    } catch {
      // The connection died (the kill): the attempt may or may not have committed.
      return { ...attempt, answer: "lost" };
    }
    const result = (JSON.parse(text) as { response?: { result?: string } }).response?.result;
    if (status !== 200 || (result !== "allow" && result !== "deny"))
      throw new Error(`${attempt.hostname}: answered ${status} ${text}`);
    return { ...attempt, answer: result };
  }

  /**
   * Sends the attempts, IN_FLIGHT at a time, in order; once `stopAfter` are acknowledged, calls
   * `onStop` (the kill) and sends no more. Resolves with every attempt sent and its fate.
   */
  async function stream(
    server: StartedServer,
    attempts: Planned[],
    stopAfter = Number.POSITIVE_INFINITY,
    onStop: () => void = () => {},
  ): Promise<Sent[]> {
    const sent: Sent[] = [];
    let next = 0;
    let acknowledged = 0;
    let stopped = false;
    const worker = async () => {
      while (!stopped && next < attempts.length) {
        const attempt = attempts[next++] as Planned;
        const done = await send(server, attempt);
        sent.push(done);
        if (done.answer !== "lost" && ++acknowledged >= stopAfter && !stopped) {
          stopped = true;
          onStop();
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    return sent;
  }

  it("R-AUTH-4, R-AUTH-2: every acknowledged authentication is logged with its answer, and no single-use code succeeds twice across a kill -9", async () => {
    // Phase 1: each user's authenticator-app code, then the bypass codes, interleaved by user.
    const started = Date.now();
    const step = Math.floor(started / 30_000);
    const totp = users.map((user) =>
      plan(user.username, appCode(user.totpSecret, started), `totp:${user.username}:${step}`),
    );
    const bypass = Array.from({ length: CODES_PER_USER }, (_, c) =>
      users.map((user) => {
        const code = user.bypassCodes[c] as string;
        return plan(user.username, code, `bypass:${code}`);
      }),
    ).flat();
    const first = await startServer(env);
    const firstExit = once(first.child, "exit");
    let before: Sent[];
    try {
      before = await stream(first, [...totp, ...bypass], ACKS_BEFORE_KILL, () =>
        first.child.kill("SIGKILL"),
      );
    } finally {
      // Killed by the stream, or here if the stream failed first (a process left running holds
      // the data directory).
      first.child.kill("SIGKILL");
    }
    const [, signal] = await firstExit;
    expect(signal, "the server was killed, not stopped").toBe("SIGKILL");
    expect(before.filter((s) => s.answer !== "lost").length).toBeGreaterThanOrEqual(
      ACKS_BEFORE_KILL,
    );

    // Phase 2, on the same data: every code again, those used before the crash included.
    const second = await startServer(env);
    const secondExit = once(second.child, "exit");
    let after: Sent[];
    try {
      const again = bypass.map((attempt) => plan(attempt.username, attempt.passcode, attempt.code));
      // The app codes only while they are still within the window (step - 1 to step + 1).
      const inWindow = Date.now() < (step + 2) * 30_000 - 5_000;
      const totpAgain = inWindow
        ? totp.map((attempt) => plan(attempt.username, attempt.passcode, attempt.code))
        : [];
      after = await stream(second, [...totpAgain, ...again]);
      expect(
        after.filter((s) => s.answer === "lost"),
        "the restarted server answers",
      ).toEqual([]);
    } finally {
      second.child.kill("SIGTERM");
      await secondExit;
    }

    const { log, steps, leftover } = await withCliDatabase(env, async (db) => ({
      log: await db
        .selectFrom("authentication_log")
        .select(["access_hostname", "result", "factor"])
        .execute(),
      steps: await db
        .selectFrom("phones")
        .innerJoin("user_phones", "user_phones.phone_id", "phones.id")
        .innerJoin("users", "users.id", "user_phones.user_id")
        .select(["users.username", "phones.totp_last_step"])
        .execute(),
      leftover: await db
        .selectFrom("bypass_codes")
        .select("id")
        .where((eb) => eb.or([eb("remaining_uses", "is", null), eb("remaining_uses", ">", 0)]))
        .execute(),
    }));
    const byHostname = new Map<string, { result: string; factor: string }[]>();
    for (const entry of log)
      byHostname.set(entry.access_hostname ?? "", [
        ...(byHostname.get(entry.access_hostname ?? "") ?? []),
        { result: entry.result, factor: entry.factor },
      ]);
    const all = [...before, ...after];
    const lost = before.filter((s) => s.answer === "lost");
    const committedUnanswered = lost.filter((s) => byHostname.has(s.hostname)).length;
    console.log(
      `auth durability on ${TEST_ENGINE}: ${before.length} sent before the kill, ${lost.length} cut off (${committedUnanswered} of them had committed), ${after.length} sent after the restart`,
    );

    // R-AUTH-4: every acknowledged attempt has exactly its one log entry, with the answer given.
    for (const attempt of all.filter((s) => s.answer !== "lost"))
      expect(byHostname.get(attempt.hostname), attempt.hostname).toEqual([
        expect.objectContaining({ result: attempt.answer === "allow" ? "success" : "denied" }),
      ]);
    // One cut off by the kill either committed whole (its one entry) or not at all.
    for (const attempt of lost)
      expect(byHostname.get(attempt.hostname)?.length ?? 0, attempt.hostname).toBeLessThanOrEqual(
        1,
      );

    // R-AUTH-2: each bypass code succeeded exactly once over the run (before the crash, or after
    // it when its first try was cut off uncommitted); none is left with a use.
    const successes = new Map<string, number>();
    for (const attempt of all)
      if (byHostname.get(attempt.hostname)?.[0]?.result === "success")
        successes.set(attempt.code, (successes.get(attempt.code) ?? 0) + 1);
    for (const attempt of bypass) expect(successes.get(attempt.code), attempt.code).toBe(1);
    expect(leftover).toEqual([]);
    // An app code's step succeeded at most once, and the step it spent survived the crash.
    for (const attempt of totp) {
      expect(successes.get(attempt.code) ?? 0, attempt.code).toBeLessThanOrEqual(1);
      if (successes.get(attempt.code) === 1) {
        const spent = steps.find((row) => row.username === attempt.username)?.totp_last_step;
        expect(Number(spent), attempt.code).toBeGreaterThanOrEqual(step - 1);
      }
    }
  }, 600_000);
});
