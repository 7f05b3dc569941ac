import { describe, expect, it } from "vitest";
import type { AuthLogRecord } from "../../web/src/pages/auth-log-api.js";
import { outcomeWords, reasonRules } from "../../web/src/pages/auth-log-words.js";

/** Issue 16 item 2: the panel says in words which policy decided a login, and why. */
describe("the authentication log in words, where a policy decided", () => {
  const record = (overrides: Partial<AuthLogRecord>): AuthLogRecord => ({
    id: "1",
    txid: "00000000-0000-4000-8000-000000000000",
    created_at: "2026-12-07T12:00:00.000Z",
    event_type: "authentication",
    result: "denied",
    reason: "deny_by_policy",
    factor: "not_available",
    user: { id: "DU000000000000000001", username: "alice", groups: [] },
    application: { id: "DI000000000000000001", name: "Finance VPN" },
    access_device: { ip: "203.0.113.7", hostname: null },
    auth_device: null,
    policy: { key: "PO000000000000000001", name: "Finance VPN", section: "authorized_networks" },
    ...overrides,
  });

  it("names the policy and the setting, with the address where networks decided", () => {
    expect(outcomeWords(record({}))).toBe(
      "Denied: 203.0.113.7 is outside the networks policy “Finance VPN” allows",
    );
    expect(
      outcomeWords(
        record({ policy: { key: "PO1", name: "Lockdown", section: "authentication_policy" } }),
      ),
    ).toBe("Denied: policy “Lockdown” denies access");
    expect(
      outcomeWords(
        record({
          result: "success",
          reason: "trusted_network",
          access_device: { ip: "10.1.2.3", hostname: null },
        }),
      ),
    ).toBe(
      "Allowed: 10.1.2.3 is on a network policy “Finance VPN” trusts, so no second factor was asked",
    );
    expect(
      outcomeWords(
        record({
          reason: "deny_unenrolled_user",
          user: { id: null, username: "mallory", groups: [] },
          policy: { key: "PO1", name: "Global Policy", section: "new_user" },
        }),
      ),
    ).toBe("Denied: no user has this username, and policy “Global Policy” denies unknown users");
  });

  it("a record no policy decided keeps the plain reason; the rule is a link beside it", () => {
    expect(outcomeWords(record({ reason: "user_disabled", policy: null }))).toBe(
      "Denied: the user is disabled",
    );
    expect(reasonRules("deny_by_policy")).toEqual(["R-POL-2"]);
  });
});
