import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { authenticate } from "../../../src/domain/authentication/authenticate.js";
import type { AuthApplication } from "../../../src/domain/authentication/log.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { appCode, insertPhone, newBase32Secret, startSmsGateway } from "../../helpers/factors.js";
import {
  insertAccount,
  insertApplication,
  insertGroup,
  insertUser,
} from "../../helpers/fixtures.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import type { PanelClient } from "../../helpers/panel-client.js";

interface LogRecord {
  id: string;
  txid: string;
  created_at: string;
  result: string;
  reason: string;
  factor: string;
  user: { id: string | null; username: string; groups: string[] };
  application: { id: string; name: string } | null;
  auth_device: { id: string | null; name: string } | null;
}
interface Message {
  phone: string;
  context: string;
  user: { id: string; username: string | null } | null;
}
interface Day {
  date: string;
  success: number;
  denied: number;
  error: number;
  fraud: number;
}

/** A six-digit code the app shows at no step the server would accept now. */
function wrongCode(secret: string): string {
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => appCode(secret, Date.now() + d * 30_000)));
  let code = 123_456;
  while (valid.has(String(code))) code += 1;
  return String(code);
}

describe(`the Authentication and Telephony logs over the panel API on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
  let accountId: string;
  let staff: string;
  let alice: string;
  let bob: string;
  let vpn: AuthApplication;
  let wiki: AuthApplication;
  let owner: PanelClient;
  /** The txids of the seeded attempts, by name. */
  const seen = new Map<string, string>();
  const aliceSecret = newBase32Secret();
  const bobSecret = newBase32Secret();

  const signIn = async (role: Role, unitIds?: string[]) =>
    (await signInAdmin(t, accountId, { role, ...(unitIds ? { unitIds } : {}) })).client;
  const passcode = async (app: AuthApplication, username: string, code: string) =>
    authenticate(t.app.services, {
      application: app,
      user: { username },
      factor: { kind: "passcode", passcode: code },
      access: { ip: "203.0.113.7", hostname: `${username}-laptop` },
      async: false,
    });
  const items = async <T>(client: PanelClient, url: string): Promise<T[]> => {
    const response = await client.get(url);
    expect([url, response.statusCode]).toEqual([url, 200]);
    return response.json().items;
  };
  const txids = async (client: PanelClient, query = "") =>
    (await items<LogRecord>(client, `/api/authentication-log${query}`)).map((r) => r.txid);
  const named = (...names: string[]) => names.map((name) => seen.get(name) ?? name);

  beforeAll(async () => {
    [t, gateway] = await Promise.all([buildTestApp(), startSmsGateway()]);
    const db = t.db;
    accountId = await insertAccount(db, { name: "Northwind", edition: "Premier" });
    await db
      .updateTable("account_settings")
      .set({ sms_gateway_url: gateway.url })
      .where("account_id", "=", accountId)
      .execute();
    staff = await insertGroup(db, accountId, "Staff");
    const contractors = await insertGroup(db, accountId, "Contractors");
    alice = await insertUser(db, accountId, {
      username: "alice",
      realName: "Alice",
      groupIds: [staff],
    });
    bob = await insertUser(db, accountId, {
      username: "bob",
      realName: "Bob",
      groupIds: [contractors],
    });
    const secrets = t.database.secrets;
    await insertPhone(db, secrets, {
      accountId,
      userId: alice,
      number: "+15551230101",
      totpSecret: aliceSecret,
    });
    await insertPhone(db, secrets, {
      accountId,
      userId: bob,
      number: "+15551230102",
      totpSecret: bobSecret,
    });
    const app = async (name: string): Promise<AuthApplication> => {
      const id = await insertApplication(db, secrets, { accountId, type: "authapi" });
      await db.updateTable("applications").set({ name }).where("id", "=", id).execute();
      return { id, name, accountId, type: "authapi" };
    };
    vpn = await app("VPN");
    wiki = await app("Wiki");

    // Real attempts through the domain (R-AUTH-4 writes each in its own transaction), oldest first.
    seen.set("alice-vpn", (await passcode(vpn, "alice", appCode(aliceSecret))).txid);
    seen.set("bob-vpn", (await passcode(vpn, "bob", wrongCode(bobSecret))).txid);
    seen.set("bob-wiki", (await passcode(wiki, "bob", wrongCode(bobSecret))).txid);
    seen.set("mallory-vpn", (await passcode(vpn, "mallory", "123456")).txid);
    seen.set("mallory-wiki", (await passcode(wiki, "=cmd()", "123456")).txid);
    for (const [app, username] of [
      [vpn, "alice"],
      [wiki, "bob"],
    ] as const)
      await authenticate(t.app.services, {
        application: app,
        user: { username },
        factor: { kind: "sms", phone: "auto" },
        access: { ip: null, hostname: null },
        async: false,
      });
    owner = await signIn("Owner");
  });
  afterAll(async () => {
    await t?.close();
    await gateway?.close();
  });

  it("R-AUTH-4: every attempt is listed newest first, with its user, application, factor and device", async () => {
    expect(await txids(owner)).toEqual(
      named("mallory-wiki", "mallory-vpn", "bob-wiki", "bob-vpn", "alice-vpn"),
    );
    const [record] = await items<LogRecord>(owner, `/api/authentication-log?user=${alice}`);
    expect(record).toMatchObject({
      txid: seen.get("alice-vpn"),
      event_type: "authentication",
      result: "success",
      reason: "valid_passcode",
      factor: "duo_mobile_passcode",
      user: { id: alice, username: "alice", groups: ["Staff"] },
      application: { id: vpn.id, name: "VPN" },
      access_device: { ip: "203.0.113.7", hostname: "alice-laptop" },
      auth_device: { name: expect.stringContaining("+15551230101") },
    });
    expect(Date.parse(record?.created_at ?? "")).toBeGreaterThan(Date.now() - 120_000);
  });

  it("R-AUTH-4: filters by user (id or part of the name), application, result, reason, factor, event type and time", async () => {
    expect(await txids(owner, "?user=BO")).toEqual(named("bob-wiki", "bob-vpn"));
    expect(await txids(owner, `?user=${bob}&application=${vpn.id}`)).toEqual(named("bob-vpn"));
    expect(await txids(owner, `?application=${wiki.id}`)).toEqual(
      named("mallory-wiki", "bob-wiki"),
    );
    expect(await txids(owner, "?result=success")).toEqual(named("alice-vpn"));
    expect(await txids(owner, "?result=denied&reason=invalid_passcode")).toEqual(
      named("bob-wiki", "bob-vpn"),
    );
    expect(await txids(owner, "?reason=deny_unenrolled_user")).toEqual(
      named("mallory-wiki", "mallory-vpn"),
    );
    expect(await txids(owner, "?factor=duo_mobile_passcode")).toEqual(named("alice-vpn"));
    expect(await txids(owner, "?event_type=enrollment")).toEqual([]);
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    expect(await txids(owner, `?from=${hourAgo}`)).toHaveLength(5);
    expect(await txids(owner, `?to=${hourAgo}`)).toEqual([]);
  });

  it("bad input is a 400 naming the field, never a 5xx", async () => {
    for (const [query, field] of [
      ["from=yesterday", "from"],
      ["to=2024-01-01T00:00:00Z&from=2024-02-01T00:00:00Z", "to"],
      ["result=maybe", "result"],
      ["application=VPN", "application"],
      ["factor=Bypass%20Code", "factor"],
      ["user=", "user"],
      ["limit=0", "limit"],
      ["after=bm90LWEtY3Vyc29y", "after"],
      // The shape of a cursor, but a day PostgreSQL has not (JavaScript would read March 1st).
      [
        `after=${Buffer.from('["2024-02-30T10:00:00.000000Z","1"]').toString("base64url")}`,
        "after",
      ],
      [
        `after=${Buffer.from('["0000-01-01T00:00:00.000000Z","1"]').toString("base64url")}`,
        "after",
      ],
      ["verbose=1", "verbose"],
    ]) {
      const response = await owner.get(`/api/authentication-log?${query}`);
      expect([query, response.statusCode, response.json().error?.field]).toEqual([
        query,
        400,
        field,
      ]);
    }
    const telephony = await owner.get("/api/telephony-log?context=fax");
    expect([telephony.statusCode, telephony.json().error.field]).toEqual([400, "context"]);
    const activity = await owner.get("/api/dashboard/authentication-activity?utc_offset=900");
    expect([activity.statusCode, activity.json().error.field]).toEqual([400, "utc_offset"]);
  });

  it("R-AUTH-4: keyset pages neither skip nor repeat records of the same microsecond", async () => {
    const at = "2024-02-29T12:00:00.123456Z";
    await t.db
      .insertInto("authentication_log")
      .values(
        Array.from({ length: 7 }, (_, i) => ({
          txid: `00000000-0000-4000-8000-00000000000${i}`,
          account_id: accountId,
          created_at: sql<Date>`${at}::timestamptz`,
          event_type: "authentication" as const,
          result: "success" as const,
          reason: "bypass_user",
          factor: "not_available",
          user_id: alice,
          username: "alice",
        })),
      )
      .execute();
    const pages: string[][] = [];
    let next: string | null = null;
    do {
      const response = await owner.get(
        `/api/authentication-log?limit=3&to=2024-03-01T00:00:00Z${next ? `&after=${next}` : ""}`,
      );
      expect(response.statusCode).toBe(200);
      pages.push(response.json().items.map((r: LogRecord) => r.txid));
      next = response.json().next;
    } while (next && pages.length < 10);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(new Set(pages.flat()).size).toBe(7);
  });

  it("R-REP-1: the CSV streams the same filter, cells guarded against formulas", async () => {
    const response = await owner.get(`/api/authentication-log.csv?application=${wiki.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(
      /^attachment; filename="authentication-log-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = response.body.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "time,txid,event_type,result,reason,factor,user_id,username,user_groups,application_id,application,access_ip,access_hostname,auth_device,policy_key,policy,policy_section",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]?.split(",").slice(1)).toEqual([
      seen.get("mallory-wiki"),
      "authentication",
      "denied",
      "deny_unenrolled_user",
      "not_available",
      "",
      "'=cmd()",
      "",
      wiki.id,
      "Wiki",
      "203.0.113.7",
      "'=cmd()-laptop",
      "",
      // R-AUTH-4: the global policy's new-user setting decided (R-POL-2).
      expect.stringMatching(/^PO[0-9A-Z]{18}$/),
      "Global Policy",
      "new_user",
    ]);
    expect(lines[2]).toContain(`,${bob},bob,Contractors,${wiki.id},Wiki,`);
  });

  it("the Telephony Log lists every SMS sent with its credits, filters, and streams as CSV", async () => {
    const messages = await items<Message & { credits: number; type: string }>(
      owner,
      "/api/telephony-log",
    );
    expect(messages).toEqual([
      expect.objectContaining({
        type: "sms",
        context: "authentication",
        phone: "+15551230102",
        credits: 1,
        user: { id: bob, username: "bob" },
      }),
      expect.objectContaining({ phone: "+15551230101", user: { id: alice, username: "alice" } }),
    ]);
    expect(
      (await items<Message>(owner, "/api/telephony-log?user=ali")).map((m) => m.phone),
    ).toEqual(["+15551230101"]);
    expect(await items(owner, "/api/telephony-log?context=test")).toEqual([]);
    const csv = await owner.get("/api/telephony-log.csv");
    const lines = csv.body.trimEnd().split("\r\n");
    expect(lines[0]).toBe("time,type,context,phone,credits,user_id,username,txid");
    // A leading + would start a formula in a spreadsheet: the cell guard quotes it (csvCell).
    expect(lines.slice(1).map((line) => line.split(",").slice(1, 7))).toEqual([
      ["sms", "authentication", "'+15551230102", "1", bob, "bob"],
      ["sms", "authentication", "'+15551230101", "1", alice, "alice"],
    ]);
  });

  it("R-ROLE-3: Help Desk and User Manager read both logs and the activity; Billing is refused with the rule", async () => {
    const routes = [
      "/api/authentication-log",
      "/api/authentication-log.csv",
      "/api/telephony-log",
      "/api/telephony-log.csv",
      "/api/dashboard/authentication-activity",
    ];
    for (const role of ["Help Desk", "User Manager"] as const) {
      const client = await signIn(role);
      for (const url of routes)
        expect([role, url, (await client.get(url)).statusCode]).toEqual([role, url, 200]);
      expect(await txids(client)).toHaveLength(5 + 7);
    }
    const billing = await signIn("Billing");
    for (const url of routes) {
      const refused = await billing.get(url);
      expect([url, refused.statusCode, refused.json().error.rule]).toEqual([url, 403, "R-ROLE-2"]);
    }
  });

  it("R-ROLE-3: an Application Manager reads the logs without phone numbers", async () => {
    const client = await signIn("Application Manager");
    const phones = (await items<Message>(client, "/api/telephony-log")).map((m) => m.phone);
    expect(phones).toEqual(["XXX-XXX-0102", "XXX-XXX-0101"]);
    const [record] = await items<LogRecord>(
      client,
      `/api/authentication-log?user=${alice}&result=success`,
    );
    expect(record?.auth_device?.name).toContain("XXX-XXX-0101");
    expect(record?.auth_device?.name).not.toContain("5551230101");
    const csv = await client.get("/api/telephony-log.csv");
    expect(csv.body).not.toContain("5551230101");
    expect(csv.body).toContain("XXX-XXX-0101");
  });

  it("R-UNIT-8g: a restricted admin sees only events of users in their groups or of their applications, in every form", async () => {
    const unit = await insertScopedUnit(t.db, accountId, {
      name: "Staff and Wiki",
      groupIds: [staff],
      applicationIds: [wiki.id],
    });
    const client = await signIn("Help Desk", [unit]);
    const visible = named("mallory-wiki", "bob-wiki", "alice-vpn");
    const recent = `?from=${new Date(Date.now() - 3_600_000).toISOString()}`;
    expect(await txids(client, recent)).toEqual(visible);
    // No filter reaches past the scope: asking for bob or for the VPN by name finds only in-scope events.
    expect(await txids(client, `${recent}&user=${bob}`)).toEqual(named("bob-wiki"));
    expect(await txids(client, `${recent}&application=${vpn.id}`)).toEqual(named("alice-vpn"));
    expect(await txids(client, `${recent}&user=mallory`)).toEqual([]);
    const csv = await client.get(`/api/authentication-log.csv${recent}`);
    const csvTxids = csv.body
      .trimEnd()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(",")[1]);
    expect(csvTxids).toEqual(visible);
    // The telephony log: messages to users in the unit's groups only.
    const phones = (await items<Message>(client, "/api/telephony-log")).map((m) => m.user?.id);
    expect(phones).toEqual([alice]);
    const telephonyCsv = await client.get("/api/telephony-log.csv");
    expect(telephonyCsv.body).not.toContain(bob);
    // The Dashboard's counts are of the same events.
    const activity = await client.get("/api/dashboard/authentication-activity");
    const today = (activity.json().days as Day[]).at(-1);
    expect(today).toMatchObject({ success: 1, denied: 2, error: 0, fraud: 0 });
  });

  it("R-UNIT-8g: \"all users\" with no application shows every known user's events and no stranger's; a unit of nothing shows nothing", async () => {
    const everyone = await insertScopedUnit(t.db, accountId, { name: "Everyone" });
    await t.db
      .updateTable("admin_units")
      .set({ all_groups: true })
      .where("id", "=", everyone)
      .execute();
    const recent = `?from=${new Date(Date.now() - 3_600_000).toISOString()}`;
    const users = await signIn("User Manager", [everyone]);
    expect(await txids(users, recent)).toEqual(named("bob-wiki", "bob-vpn", "alice-vpn"));
    expect((await items<Message>(users, "/api/telephony-log")).length).toBe(2);
    const empty = await insertScopedUnit(t.db, accountId, { name: "Nothing" });
    const nobody = await signIn("Help Desk", [empty]);
    expect(await txids(nobody)).toEqual([]);
    expect(await items(nobody, "/api/telephony-log")).toEqual([]);
    const stranded = await signIn("Help Desk", []);
    const refused = await stranded.get("/api/authentication-log");
    expect([refused.statusCode, refused.json().error.rule]).toEqual([403, "R-UNIT-5"]);
  });

  it("R-TEN-2: another account's events are never listed", async () => {
    const other = await insertAccount(t.db, { name: "Elsewhere" });
    const otherApp = await insertApplication(t.db, t.database.secrets, {
      accountId: other,
      type: "authapi",
    });
    const outcome = await passcode(
      { id: otherApp, name: "Other", accountId: other, type: "authapi" },
      "alice",
      "123456",
    );
    expect(await txids(owner)).not.toContain(outcome.txid);
  });

  it("the Dashboard's activity: seven days by result, oldest first, today's attempts in the last day, older ones out", async () => {
    const now = Date.now();
    const sixDaysAgo = new Date(
      Math.floor(now / 86_400_000) * 86_400_000 - 6 * 86_400_000 + 3_600_000,
    );
    const eightDaysAgo = new Date(now - 8 * 86_400_000);
    for (const [at, result] of [
      [sixDaysAgo, "fraud"],
      [eightDaysAgo, "error"],
    ] as const)
      await t.db
        .insertInto("authentication_log")
        .values({
          txid: crypto.randomUUID(),
          account_id: accountId,
          created_at: at,
          event_type: "authentication",
          result,
          reason: result === "fraud" ? "user_marked_fraud" : "error",
          factor: "passcode",
          user_id: bob,
          username: "bob",
        })
        .execute();
    const response = await owner.get("/api/dashboard/authentication-activity?utc_offset=0");
    expect(response.statusCode).toBe(200);
    const { days, utc_offset } = response.json() as { days: Day[]; utc_offset: number };
    expect(utc_offset).toBe(0);
    expect(days).toHaveLength(7);
    const expectedDates = Array.from({ length: 7 }, (_, i) =>
      new Date(now - (6 - i) * 86_400_000).toISOString().slice(0, 10),
    );
    expect(days.map((day) => day.date)).toEqual(expectedDates);
    expect(days[0]).toMatchObject({ fraud: 1, error: 0 });
    expect(days.at(-1)).toMatchObject({ success: 1, denied: 4, error: 0, fraud: 0 });
    expect(days.slice(1, -1).every((d) => d.success + d.denied + d.error + d.fraud === 0)).toBe(
      true,
    );
    // Fourteen hours east of UTC, today has begun earlier: the same attempts, another cut.
    const east = await owner.get("/api/dashboard/authentication-activity?utc_offset=840");
    const eastDays = east.json().days as Day[];
    expect(eastDays.at(-1)?.date).toBe(new Date(now + 840 * 60_000).toISOString().slice(0, 10));
  });
});
