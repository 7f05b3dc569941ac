import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Executor } from "../../../src/db/executor.js";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  officialClient,
  startHttpsServer,
} from "../../helpers/duo.js";
import { duoPythonRuns, PYTHON } from "../../helpers/duo-python.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { appCode, insertPhone, newBase32Secret } from "../../helpers/factors.js";
import { insertAccount, insertGroup, insertUser } from "../../helpers/fixtures.js";

const run = promisify(execFile);

interface AuthLog {
  txid: string;
  timestamp: number;
  isotimestamp: string;
  event_type: string;
  result: string;
  reason: string;
  factor: string;
  user: { key: string | null; name: string; groups: string[] };
  application: { key: string | null; name: string | null };
}
interface AuthLogPage {
  authlogs: AuthLog[];
  metadata: { total_objects: number; next_offset?: [string, string] };
}
interface TelephonyPage {
  items: { telephony_id: string; ts: string; phone: string; context: string }[];
  metadata: { total_objects: number; next_offset?: string };
}

/** One log record at a chosen time (to the microsecond), as the writer stores it. */
interface Seed {
  at: string;
  txid: string;
  user: { id: string | null; username: string; groups?: string[] };
  application?: { id: string; name: string } | null;
  result: "success" | "denied" | "error" | "fraud";
  reason: string;
  factor: string;
  eventType?: "authentication" | "enrollment";
}

function seedLog(db: Executor, accountId: string, seeds: Seed[]) {
  return db
    .insertInto("authentication_log")
    .values(
      seeds.map((seed) => ({
        txid: seed.txid,
        account_id: accountId,
        // Microseconds: a Date would round them away.
        created_at: sql<Date>`${seed.at}::timestamptz`,
        event_type: seed.eventType ?? "authentication",
        result: seed.result,
        reason: seed.reason,
        factor: seed.factor,
        user_id: seed.user.id,
        username: seed.user.username,
        user_groups: seed.user.groups ?? [],
        application_id: seed.application?.id ?? null,
        application_name: seed.application?.name ?? null,
        access_ip: "203.0.113.9",
        access_hostname: "laptop-7",
      })),
    )
    .execute();
}

/** A six-digit code the authenticator app shows at no time step the server would accept now. */
function wrongCode(secret: string): string {
  const step = 30_000;
  const valid = new Set(
    [-2, -1, 0, 1, 2].map((delta) => appCode(secret, Date.now() + delta * step)),
  );
  let code = 123_456;
  while (valid.has(String(code))) code += 1;
  return String(code);
}

const txid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const ms = (iso: string) => String(Date.parse(iso));

describe(`Duo authentication and telephony logs (research/duo-api.md §4.9) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let accountId: string;
  let reader: Credentials;
  let noLog: Credentials;
  let vpn: Credentials;
  let alice: string;
  let bob: string;
  let staff: string;
  let wikiId: string;
  const totp = newBase32Secret();
  const db = () => server.database.handle.db;
  const read = (
    params: Record<string, string | string[]>,
    path = "/admin/v2/logs/authentication",
  ) => officialClient(server, reader, 5)("GET", path, params);

  // research/auth-protocols.md §7.2's variety, at fixed times in March 2024; r1 and r2 share a
  // millisecond (a cursor's ms alone would not tell them apart).
  const WINDOW = {
    mintime: ms("2024-03-01T10:00:00.100Z"),
    maxtime: ms("2024-03-01T10:00:04.999Z"),
  };
  let seeds: Seed[];

  beforeAll(async () => {
    server = await startHttpsServer();
    accountId = await insertAccount(db(), { name: "Litware" });
    staff = await insertGroup(db(), accountId, "Staff");
    const contractors = await insertGroup(db(), accountId, "Contractors");
    alice = await insertUser(db(), accountId, {
      username: "alice",
      realName: "Alice",
      groupIds: [staff],
    });
    bob = await insertUser(db(), accountId, {
      username: "bob",
      realName: "Bob",
      groupIds: [contractors],
    });
    await insertPhone(db(), server.database.secrets, {
      accountId,
      userId: alice,
      totpSecret: totp,
    });
    reader = await createCredentials(server, accountId, "adminapi", ["adminapi_read_log"]);
    noLog = await createCredentials(server, accountId, "adminapi", ["adminapi_read_resource"]);
    vpn = await createCredentials(server, accountId, "authapi");
    await db()
      .updateTable("applications")
      .set({ name: "VPN" })
      .where("id", "=", vpn.ikey)
      .execute();
    wikiId = (await createCredentials(server, accountId, "authapi")).ikey;
    await db().updateTable("applications").set({ name: "Wiki" }).where("id", "=", wikiId).execute();
    const a = { id: alice, username: "alice", groups: ["Staff"] };
    const b = { id: bob, username: "bob", groups: ["Contractors"] };
    const VPN = { id: vpn.ikey, name: "VPN" };
    const WIKI = { id: wikiId, name: "Wiki" };
    seeds = [
      {
        at: "2024-03-01T09:59:59.999999Z",
        txid: txid(0),
        user: a,
        application: VPN,
        result: "success",
        reason: "valid_passcode",
        factor: "bypass_code",
      },
      {
        at: "2024-03-01T10:00:00.100000Z",
        txid: txid(1),
        user: a,
        application: VPN,
        result: "success",
        reason: "valid_passcode",
        factor: "duo_mobile_passcode",
      },
      {
        at: "2024-03-01T10:00:00.100400Z",
        txid: txid(2),
        user: b,
        application: VPN,
        result: "denied",
        reason: "invalid_passcode",
        factor: "passcode",
      },
      {
        at: "2024-03-01T10:00:01.000000Z",
        txid: txid(3),
        user: a,
        application: WIKI,
        result: "denied",
        reason: "locked_out",
        factor: "not_available",
      },
      {
        at: "2024-03-01T10:00:02.500000Z",
        txid: txid(4),
        user: { id: null, username: "mallory" },
        application: VPN,
        result: "denied",
        reason: "deny_unenrolled_user",
        factor: "not_available",
      },
      {
        at: "2024-03-01T10:00:03.000000Z",
        txid: txid(5),
        user: a,
        application: null,
        result: "success",
        reason: "user_approved",
        factor: "duo_mobile_passcode",
        eventType: "enrollment",
      },
      {
        at: "2024-03-01T10:00:04.999999Z",
        txid: txid(6),
        user: b,
        application: WIKI,
        result: "fraud",
        reason: "user_marked_fraud",
        factor: "duo_push",
      },
      {
        at: "2024-03-01T10:00:05.000000Z",
        txid: txid(7),
        user: b,
        application: WIKI,
        result: "error",
        reason: "error",
        factor: "passcode",
      },
    ];
    await seedLog(db(), accountId, seeds);
    await db()
      .insertInto("telephony_log")
      .values(
        [1, 2, 3, 4, 5].map((n) => ({
          account_id: accountId,
          created_at: sql<Date>`${`2024-05-01T08:00:0${n}.000001Z`}::timestamptz`,
          type: "sms" as const,
          context: n === 5 ? ("activation" as const) : ("authentication" as const),
          phone_number: `+1555123010${n}`,
          credits: 1,
          user_id: n % 2 === 0 ? bob : alice,
          txid: txid(100 + n),
        })),
      )
      .execute();
  });
  afterAll(() => server.close());

  it("R-AUTH-4: a real authentication through /auth/v2/auth is in the v2 log in Duo's record shape", async () => {
    const auth = officialClient(server, vpn, 2);
    const started = Date.now();
    const allowed = await auth("POST", "/auth/v2/auth", {
      username: "alice",
      factor: "passcode",
      passcode: appCode(totp),
      async: "1",
      ipaddr: "198.51.100.20",
      hostname: "alice-laptop",
    });
    expect(allowed.stat).toBe("OK");
    const allowedTxid = (allowed.response as { txid: string }).txid;
    const denied = await auth("POST", "/auth/v2/auth", {
      username: "alice",
      factor: "passcode",
      passcode: wrongCode(totp),
      async: "1",
    });
    const deniedTxid = (denied.response as { txid: string }).txid;

    const answer = await read({
      mintime: String(started - 60_000),
      maxtime: String(Date.now() + 60_000),
    });
    expect(answer.stat).toBe("OK");
    const page = answer.response as AuthLogPage;
    const record = page.authlogs.find((row) => row.txid === allowedTxid);
    expect(record).toEqual({
      txid: allowedTxid,
      timestamp: expect.any(Number),
      isotimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/),
      event_type: "authentication",
      result: "success",
      reason: "valid_passcode",
      factor: "duo_mobile_passcode",
      user: { key: alice, name: "alice", groups: ["Staff"] },
      application: { key: vpn.ikey, name: "VPN" },
      access_device: {
        ip: "198.51.100.20",
        hostname: "alice-laptop",
        location: { city: null, state: null, country: null },
      },
      auth_device: {
        ip: null,
        location: { city: null, state: null, country: null },
        name: expect.any(String),
      },
      alias: "",
      email: "alice@example.com",
      trusted_endpoint_status: null,
      ood_software: null,
      adaptive_trust_assessments: {},
    });
    // Seconds in the record, although the query speaks milliseconds (§4.9).
    expect(record?.timestamp).toBe(Math.floor(Date.parse(record?.isotimestamp ?? "") / 1000));
    expect(record?.timestamp).toBeGreaterThanOrEqual(Math.floor(started / 1000));
    expect(page.authlogs.find((row) => row.txid === deniedTxid)).toMatchObject({
      result: "denied",
      reason: "invalid_passcode",
      user: { key: alice, name: "alice" },
      access_device: { ip: null, hostname: null },
    });
    // Newest first by default; the last page carries no next_offset.
    expect(page.authlogs.map((row) => row.txid).slice(0, 2)).toEqual([deniedTxid, allowedTxid]);
    expect(page.metadata).toEqual({ total_objects: 2 });
  });

  it("§3: pages newest first and oldest first by [ms, txid], in a window inclusive at both ends, through a shared millisecond", async () => {
    const inWindow = seeds.slice(1, 7).map((seed) => seed.txid);
    const walk = async (sort: string, asList: boolean) => {
      const pages: string[][] = [];
      let next: [string, string] | undefined;
      do {
        const answer = await read({
          mintime: WINDOW.mintime,
          maxtime: WINDOW.maxtime,
          limit: "2",
          sort,
          ...(next ? { next_offset: asList ? next : next.join(",") } : {}),
        });
        expect(answer.stat).toBe("OK");
        const page = answer.response as AuthLogPage;
        expect(page.metadata.total_objects).toBe(6);
        pages.push(page.authlogs.map((row) => row.txid));
        next = page.metadata.next_offset;
        if (next) {
          const last = page.authlogs.at(-1);
          expect(next).toEqual([String(Date.parse(last?.isotimestamp ?? "")), last?.txid]);
        }
      } while (next && pages.length < 10);
      return pages;
    };
    // The Python client sends the list back as two keys; others join it with a comma.
    expect(await walk("ts:desc", true)).toEqual([
      [txid(6), txid(5)],
      [txid(4), txid(3)],
      [txid(2), txid(1)],
    ]);
    expect((await walk("ts:asc", false)).flat()).toEqual(inWindow);
  });

  it("§3: a limit above 1000 is clamped, records of one instant page without loss, and a forged next_offset is 400", async () => {
    const at = "2024-04-01T00:00:00Z";
    const same = Array.from({ length: 7 }, (_, i) => ({
      at,
      txid: txid(200 + i),
      user: { id: alice, username: "alice" },
      result: "success" as const,
      reason: "bypass_user",
      factor: "not_available",
    }));
    await seedLog(db(), accountId, same);
    const window = { mintime: ms(at), maxtime: ms(at) };
    const seen: string[] = [];
    let next: [string, string] | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const answer = await read({ ...window, limit: "3", ...(next ? { next_offset: next } : {}) });
      const page = answer.response as AuthLogPage;
      seen.push(...page.authlogs.map((row) => row.txid));
      next = page.metadata.next_offset;
      if (!next) break;
    }
    expect([...seen].sort()).toEqual(same.map((seed) => seed.txid).sort());
    const all = await read({ ...window, limit: "5000" });
    expect((all.response as AuthLogPage).authlogs).toHaveLength(7);

    for (const forged of [`${ms(at)},${txid(999)}`, `${ms(at)},not-a-txid`, "yesterday", "1,2,3"]) {
      const refused = await read({ ...window, next_offset: forged });
      expect([forged, refused.stat, refused.code]).toEqual([forged, "FAIL", 40002]);
      expect(refused.message_detail).toMatch(/^next_offset: /);
    }
  });

  it("filters by users, groups, applications, results (any case), reasons, factors and event types", async () => {
    const txids = async (params: Record<string, string | string[]>) => {
      const answer = await read({ ...WINDOW, ...params });
      expect(answer.stat).toBe("OK");
      return (answer.response as AuthLogPage).authlogs.map((row) => row.txid).reverse();
    };
    expect(await txids({ users: [bob] })).toEqual([txid(2), txid(6)]);
    expect(await txids({ users: `${alice},${bob}`, results: ["DENIED", "Fraud"] })).toEqual([
      txid(2),
      txid(3),
      txid(6),
    ]);
    expect(await txids({ groups: [staff] })).toEqual([txid(1), txid(3), txid(5)]);
    expect(await txids({ applications: [wikiId] })).toEqual([txid(3), txid(6)]);
    expect(await txids({ reasons: '["locked_out","deny_unenrolled_user"]' })).toEqual([
      txid(3),
      txid(4),
    ]);
    expect(await txids({ factors: ["duo_mobile_passcode"] })).toEqual([txid(1), txid(5)]);
    expect(await txids({ event_types: ["enrollment"] })).toEqual([txid(5)]);
    expect(await txids({ results: ["failure"] })).toEqual([txid(2), txid(3), txid(4)]);
  });

  it("bad parameters are 400 40002 naming the parameter, never a 5xx", async () => {
    const cases: [Record<string, string | string[]>, string][] = [
      [{ maxtime: WINDOW.maxtime }, "mintime"],
      [{ mintime: WINDOW.mintime }, "maxtime"],
      [{ mintime: "yesterday", maxtime: WINDOW.maxtime }, "mintime"],
      [{ mintime: WINDOW.maxtime, maxtime: WINDOW.mintime }, "maxtime"],
      [{ ...WINDOW, limit: "many" }, "limit"],
      [{ ...WINDOW, sort: "ts" }, "sort"],
      [{ ...WINDOW, results: ["maybe"] }, "results"],
      [{ ...WINDOW, users: ["alice"] }, "users"],
      [{ ...WINDOW, applications: ["VPN"] }, "applications"],
      [{ ...WINDOW, groups: ["Staff"] }, "groups"],
      [{ ...WINDOW, reasons: ["Robert'); drop table"] }, "reasons"],
      [{ ...WINDOW, event_types: ["login"] }, "event_types"],
      [{ ...WINDOW, phone_numbers: ["+15551230100"] }, "phone_numbers"],
      [{ ...WINDOW, users: Array.from({ length: 101 }, () => alice) }, "users"],
    ];
    for (const [params, field] of cases) {
      const answer = await read(params);
      expect([field, answer.stat, answer.code]).toEqual([field, "FAIL", 40002]);
      expect(answer.message_detail).toMatch(new RegExp(`^${field}: `));
    }
  });

  it("v1 (deprecated): from mintime in seconds, oldest first, in Duo's v1 words", async () => {
    const answer = await read(
      { mintime: String(Math.floor(Number(WINDOW.mintime) / 1000)) },
      "/admin/v1/logs/authentication",
    );
    expect(answer.stat).toBe("OK");
    const rows = answer.response as { timestamp: number; username: string }[];
    // From 10:00:00 on: r0 (09:59:59.999999) is before it; the rest oldest first.
    expect(rows.slice(0, 2)).toEqual([
      {
        timestamp: Math.floor(Number(WINDOW.mintime) / 1000),
        username: "alice",
        factor: "Duo Mobile Passcode",
        result: "SUCCESS",
        reason: "Valid passcode",
        ip: "203.0.113.9",
        integration: "VPN",
        new_enrollment: false,
        location: { city: null, state: null, country: null },
      },
      expect.objectContaining({ username: "bob", result: "FAILURE", reason: "Invalid passcode" }),
    ]);
    const times = rows.map((row) => row.timestamp);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(rows.find((row) => "new_enrollment" in row && row.new_enrollment)).toMatchObject({
      username: "alice",
      integration: null,
    });
    const bad = await read({ mintime: "-1" }, "/admin/v1/logs/authentication");
    expect(bad).toMatchObject({ stat: "FAIL", code: 40002 });
  });

  it('the telephony log: v1 from mintime, v2 paged by "<ms>,<id>" with Duo\'s item shape', async () => {
    const v1 = await read(
      { mintime: String(Date.parse("2024-05-01T08:00:02Z") / 1000) },
      "/admin/v1/logs/telephony",
    );
    expect(v1.stat).toBe("OK");
    const rows = v1.response as Record<string, unknown>[];
    expect(rows.slice(0, 4).map((row) => row.phone)).toEqual([
      "+15551230102",
      "+15551230103",
      "+15551230104",
      "+15551230105",
    ]);
    expect(rows[0]).toEqual({
      context: "authentication",
      credits: 1,
      isotimestamp: "2024-05-01T08:00:02+00:00",
      phone: "+15551230102",
      timestamp: Date.parse("2024-05-01T08:00:02Z") / 1000,
      type: "sms",
    });

    const window = { mintime: ms("2024-05-01T08:00:00Z"), maxtime: ms("2024-05-01T08:00:05Z") };
    const phones: string[] = [];
    let next: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const answer = await read(
        { ...window, limit: "2", ...(next ? { next_offset: next } : {}) },
        "/admin/v2/logs/telephony",
      );
      expect(answer.stat).toBe("OK");
      const page = answer.response as TelephonyPage;
      expect(page.metadata.total_objects).toBe(5);
      phones.push(...page.items.map((item) => item.phone));
      next = page.metadata.next_offset;
      if (!next) break;
      expect(next).toMatch(/^\d{13},\d+$/);
    }
    expect(phones).toEqual([
      "+15551230105",
      "+15551230104",
      "+15551230103",
      "+15551230102",
      "+15551230101",
    ]);
    const first = (await read({ ...window, limit: "1" }, "/admin/v2/logs/telephony"))
      .response as TelephonyPage;
    expect(first.items[0]).toEqual({
      context: "activation",
      credits: 1,
      phone: "+15551230105",
      telephony_id: expect.stringMatching(/^\d+$/),
      ts: "2024-05-01T08:00:05.000001+00:00",
      txid: txid(105),
      type: "sms",
    });
    const forged = await read(
      { ...window, next_offset: "1714550405000,999999" },
      "/admin/v2/logs/telephony",
    );
    expect(forged).toMatchObject({ stat: "FAIL", code: 40002 });
  });

  it('R-ROLE-2: without "Grant read log" every log is refused with the rule', async () => {
    const call = officialClient(server, noLog, 2);
    for (const [path, params] of [
      ["/admin/v2/logs/authentication", WINDOW],
      ["/admin/v1/logs/authentication", {}],
      ["/admin/v2/logs/telephony", WINDOW],
      ["/admin/v1/logs/telephony", {}],
    ] as const) {
      const refused = await call("GET", path, params);
      expect([path, refused.stat, refused.code]).toEqual([path, "FAIL", 40301]);
      expect(refused.message_detail).toMatch(/^R-ROLE-2: .*adminapi_read_log/);
    }
  });

  it("R-TEN-2, R-TEN-5: a parent's integration reads a child's log with account_id, and never another account's records", async () => {
    const parentId = await insertAccount(db(), { name: "Northwind MSP" });
    const childId = await insertAccount(db(), { parentId, name: "Child Co" });
    const parentReader = await createCredentials(server, parentId, "adminapi", [
      "adminapi_read_log",
    ]);
    const at = "2024-06-01T00:00:00Z";
    await seedLog(db(), childId, [
      {
        at,
        txid: txid(300),
        user: { id: null, username: "child-user" },
        result: "denied",
        reason: "deny_unenrolled_user",
        factor: "not_available",
      },
    ]);
    const call = officialClient(server, parentReader, 5);
    const window = { mintime: ms("2024-01-01T00:00:00Z"), maxtime: ms("2024-12-31T00:00:00Z") };
    const child = await call("GET", "/admin/v2/logs/authentication", {
      ...window,
      account_id: childId,
    });
    expect((child.response as AuthLogPage).authlogs.map((row) => row.txid)).toEqual([txid(300)]);
    const own = await call("GET", "/admin/v2/logs/authentication", window);
    expect((own.response as AuthLogPage).authlogs).toEqual([]);
  });

  describe.skipIf(!duoPythonRuns)("python3-duo-client 4.5.0", () => {
    it("get_authentication_log(api_version=2) pages by next_offset and filters; v1 and get_telephony_log read too", async () => {
      const caDir = mkdtempSync(path.join(tmpdir(), "gatehouse-ca-"));
      try {
        const caFile = path.join(caDir, "cert.pem");
        writeFileSync(caFile, server.cert);
        const { stdout } = await run(
          PYTHON,
          [path.join(import.meta.dirname, "clients", "duo_client_auth_log.py")],
          {
            env: {
              ...process.env,
              DUO_PORT: String(server.port),
              DUO_CA: caFile,
              DUO_IKEY: reader.ikey,
              DUO_SKEY: reader.skey,
              LOG_MINTIME: WINDOW.mintime,
              LOG_MAXTIME: WINDOW.maxtime,
              LOG_LIMIT: "4",
              LOG_USER: bob,
            },
          },
        );
        const out = JSON.parse(stdout);
        expect(out.pages).toEqual([
          [txid(6), txid(5), txid(4), txid(3)],
          [txid(2), txid(1)],
        ]);
        expect(out.total_objects).toBe(6);
        expect(out.first_record).toMatchObject({
          txid: txid(6),
          result: "fraud",
          reason: "user_marked_fraud",
          user: { key: bob, name: "bob", groups: ["Contractors"] },
          application: { key: wikiId, name: "Wiki" },
          // The client adds these two itself.
          eventtype: "authentication",
          host: "127.0.0.1",
        });
        expect(out.ascending).toEqual(seeds.slice(1, 7).map((seed) => seed.txid));
        expect(out.filtered).toEqual([[bob, "denied"]]);
        expect(out.bad_result).toMatch(/^Received 400 Invalid request parameters \(results: /);
        expect(out.v1[0]).toMatchObject({
          username: "alice",
          result: "SUCCESS",
          integration: "VPN",
        });
        expect(out.telephony.map((row: { phone: string }) => row.phone)).toEqual(
          expect.arrayContaining(["+15551230101", "+15551230105"]),
        );
      } finally {
        rmSync(caDir, { recursive: true, force: true });
      }
    });
  });
});
