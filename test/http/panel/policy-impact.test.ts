import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertPhone, newBase32Secret } from "../../helpers/factors.js";
import {
  insertAccount,
  insertApplication,
  insertPolicy,
  insertUser,
} from "../../helpers/fixtures.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import type { PanelClient } from "../../helpers/panel-client.js";

/**
 * R-POL-3 (issue 16 item 5): before a change is saved, the last 30 days of the authentication log
 * are decided again under the policies as they are and as the change would make them; whoever would
 * come out differently is listed by application and user, with how many of their attempts.
 */
describe(`the impact of a policy change, previewed before it is saved, on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let accountId: string;
  let owner: PanelClient;
  let vpn: string;
  let wiki: string;
  let policy: string;
  const users: { id: string; username: string }[] = [];
  /** What the seeded log holds, kept here to work out the expected answer independently. */
  const seeded: { user: number; app: "vpn" | "wiki"; ip: string; daysAgo: number }[] = [];
  const NETWORKS = ["10.1.2.", "203.0.113.", "198.51.100."];

  /** A deterministic spread of 10,000 attempts over 40 days, three networks and two applications. */
  function seedAttempts() {
    let state = 7;
    const next = (n: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state % n;
    };
    for (let i = 0; i < 10_000; i++)
      seeded.push({
        user: next(users.length),
        app: next(2) === 0 ? "vpn" : "wiki",
        ip: `${NETWORKS[next(NETWORKS.length)]}${1 + next(200)}`,
        daysAgo: next(40) + 0.5,
      });
  }

  beforeAll(async () => {
    t = await buildTestApp();
    accountId = await insertAccount(t.db, { name: "Impact Corp", edition: "Premier" });
    owner = (await signInAdmin(t, accountId, { role: "Owner" })).client;
    vpn = await insertApplication(t.db, t.database.secrets, { accountId, type: "authapi" });
    wiki = await insertApplication(t.db, t.database.secrets, { accountId, type: "authapi" });
    for (let i = 0; i < 20; i++) {
      const username = `user${String(i).padStart(2, "0")}`;
      const id = await insertUser(t.db, accountId, { username, realName: username, groupIds: [] });
      await insertPhone(t.db, t.database.secrets, {
        accountId,
        userId: id,
        totpSecret: newBase32Secret(),
      });
      users.push({ id, username });
    }
    policy = await insertPolicy(t.db, accountId, {
      name: "VPN",
      sections: {},
      applicationIds: [vpn],
    });
    seedAttempts();
    const now = Date.now();
    for (let i = 0; i < seeded.length; i += 1000)
      await t.db
        .insertInto("authentication_log")
        .values(
          seeded.slice(i, i + 1000).map((attempt) => {
            const user = users[attempt.user] as { id: string; username: string };
            return {
              txid: randomUUID(),
              account_id: accountId,
              created_at: new Date(now - attempt.daysAgo * 86_400_000),
              event_type: "authentication" as const,
              result: "success" as const,
              reason: "valid_passcode",
              factor: "duo_mobile_passcode",
              user_id: user.id,
              username: user.username,
              application_id: attempt.app === "vpn" ? vpn : wiki,
              application_name: attempt.app === "vpn" ? "VPN" : "Wiki",
              access_ip: attempt.ip,
            };
          }),
        )
        .execute();
  }, 120_000);
  afterAll(() => t?.close());

  /** Deny every network but two on the VPN: 198.51.100.0/24 is the one left out. */
  const denyOneNetwork = {
    sections: {
      authorized_networks: {
        allow_without_2fa_networks: [],
        require_2fa_networks: ["10.0.0.0/8", "203.0.113.0/24"],
        deny_other_networks: true,
      },
    },
  };

  it("a change that denies one network reports exactly the attempts from it, by user, and saves nothing", async () => {
    const before = await t.db
      .selectFrom("policies")
      .select("sections")
      .where("id", "=", policy)
      .executeTakeFirstOrThrow();
    const response = await owner.post(`/api/policies/${policy}/impact`, denyOneNetwork);
    expect(response.statusCode, response.body).toBe(200);
    const impact = response.json();

    const recent = seeded.filter((attempt) => attempt.daysAgo <= 30);
    const affected = recent.filter(
      (attempt) => attempt.app === "vpn" && attempt.ip.startsWith("198.51.100."),
    );
    const perUser = new Map<string, number>();
    for (const attempt of affected) {
      const name = users[attempt.user]?.username ?? "";
      perUser.set(name, (perUser.get(name) ?? 0) + 1);
    }
    expect(impact.days).toBe(30);
    expect(impact.attempts).toBe(recent.length);
    expect(impact.changed_attempts).toBe(affected.length);
    expect(
      Object.fromEntries(
        impact.changes.map((row: { user: { username: string }; attempts: number }) => [
          row.user.username,
          row.attempts,
        ]),
      ),
    ).toEqual(Object.fromEntries(perUser));
    for (const row of impact.changes)
      expect(row).toMatchObject({
        application: { id: vpn, name: expect.any(String) },
        before: "second factor",
        after: "denied",
      });
    const after = await t.db
      .selectFrom("policies")
      .select("sections")
      .where("id", "=", policy)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it("applying the same policy to the wiki as well reports the wiki's attempts from that network too", async () => {
    const response = await owner.post(`/api/policies/${policy}/impact`, {
      ...denyOneNetwork,
      apply_to_applications: [wiki],
    });
    const impact = response.json();
    const affected = seeded.filter(
      (attempt) => attempt.daysAgo <= 30 && attempt.ip.startsWith("198.51.100."),
    );
    expect(impact.changed_attempts).toBe(affected.length);
    expect(
      new Set(impact.changes.map((row: { application: { id: string } }) => row.application.id)),
    ).toEqual(new Set([vpn, wiki]));
  });

  it("a change that changes nothing reports nothing; a policy bypassing 2FA turns every VPN attempt into no second factor", async () => {
    const none = (await owner.post(`/api/policies/${policy}/impact`, {})).json();
    expect(none.changed_attempts).toBe(0);
    expect(none.changes).toEqual([]);
    const bypass = (
      await owner.post(`/api/policies/${policy}/impact`, {
        sections: { authentication_policy: { user_auth_behavior: "bypass" } },
      })
    ).json();
    const vpnRecent = seeded.filter((attempt) => attempt.daysAgo <= 30 && attempt.app === "vpn");
    expect(bypass.changed_attempts).toBe(vpnRecent.length);
    expect(new Set(bypass.changes.map((row: { after: string }) => row.after))).toEqual(
      new Set(["no second factor"]),
    );
  });

  it("R-ROLE-2: previewing an edit takes what saving it takes; Read-only is refused", async () => {
    const manager = (await signInAdmin(t, accountId, { role: "Application Manager" })).client;
    const edit = await manager.post(`/api/policies/${policy}/impact`, denyOneNetwork);
    expect(edit.statusCode).toBe(403);
    expect(edit.json().error).toMatchObject({ code: "forbidden", rule: "R-ROLE-2" });
    // Applying an existing policy is theirs: so is previewing it.
    const apply = await manager.post(`/api/policies/${policy}/impact`, {
      apply_to_applications: [wiki],
    });
    expect(apply.statusCode, apply.body).toBe(200);
    const readOnly = (await signInAdmin(t, accountId, { role: "Read-only" })).client;
    expect((await readOnly.post(`/api/policies/${policy}/impact`, {})).statusCode).toBe(403);
  });

  it("R-ROLE-3: once saved, the change is in the Policy Impact report with what it changed; Help Desk sees it, Billing does not, a restricted admin sees their units' part", async () => {
    const saved = await owner.request({
      method: "PATCH",
      url: `/api/policies/${policy}`,
      body: denyOneNetwork,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const affected = seeded.filter(
      (attempt) =>
        attempt.daysAgo <= 30 && attempt.app === "vpn" && attempt.ip.startsWith("198.51.100."),
    );
    const report = await owner.get("/api/reports/policy-impact");
    expect(report.statusCode, report.body).toBe(200);
    const [latest] = report.json().items;
    expect(latest).toMatchObject({
      action: "policy_update",
      policy: { key: policy, name: "VPN" },
      days: 30,
      attempts: seeded.filter((attempt) => attempt.daysAgo <= 30).length,
      changed_attempts: affected.length,
    });
    expect(latest.changes.length).toBe(new Set(affected.map((attempt) => attempt.user)).size);

    const helpDesk = (await signInAdmin(t, accountId, { role: "Help Desk" })).client;
    expect((await helpDesk.get("/api/reports/policy-impact")).json().items[0].id).toBe(latest.id);
    const billing = (await signInAdmin(t, accountId, { role: "Billing" })).client;
    expect((await billing.get("/api/reports/policy-impact")).statusCode).toBe(403);

    // R-UNIT-8g: a unit with the wiki alone sees none of this VPN change's logins.
    const unit = await insertScopedUnit(t.db, accountId, {
      name: "Wiki team",
      applicationIds: [wiki],
    });
    const restricted = (await signInAdmin(t, accountId, { role: "Administrator", unitIds: [unit] }))
      .client;
    const theirs = (await restricted.get("/api/reports/policy-impact")).json().items[0];
    expect(theirs).toMatchObject({
      id: latest.id,
      attempts: null,
      changed_attempts: 0,
      changes: [],
    });
  });
});
