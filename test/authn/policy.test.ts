import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { UserStanding } from "../../src/authn/access.js";
import {
  decidePolicy,
  effectivePolicy,
  inNetworks,
  type PolicyAccess,
  type PolicyLayer,
  type PolicyRef,
  rememberedDevices,
} from "../../src/authn/policy.js";
import {
  DEFAULT_GLOBAL_SECTIONS,
  METHODS,
  type NewUserBehavior,
  type PolicySections,
  SECTION_NAMES,
  type UserAuthBehavior,
} from "../../src/authn/policy-sections.js";

/**
 * R-POL-1 and R-POL-2, read from SPEC.md and the issue and written down here, not from
 * src/authn/policy.ts: "custom policies apply to an application, or to chosen groups within an
 * application. The most specific applies (group on application, then application, then global),
 * each setting falling through when unset." The order of decisions is R-AUTH-3's (status first)
 * with the policy's settings in between, and no setting that lets a user in without a factor ever
 * overrides one that keeps them out.
 */

const NOW = new Date("2026-12-01T12:00:00Z");
const GLOBAL: PolicyRef = { key: "global", name: "Global Policy", level: "global" };
const APP: PolicyRef = { key: "POAPP", name: "VPN", level: "application" };
const GROUP: PolicyRef = { key: "POGRP", name: "Contractors on VPN", level: "group" };

/** Distinct values of every section, so that a test can tell which layer each came from. */
const VALUES: { [S in keyof PolicySections]-?: Required<PolicySections>[S][] } = {
  new_user: [
    { new_user_behavior: "deny" },
    { new_user_behavior: "no-mfa" },
    { new_user_behavior: "enroll" },
  ],
  authentication_policy: [
    { user_auth_behavior: "bypass" },
    { user_auth_behavior: "deny" },
    { user_auth_behavior: "enforce" },
  ],
  authorized_networks: [
    {
      allow_without_2fa_networks: ["10.0.0.0/8"],
      require_2fa_networks: [],
      deny_other_networks: false,
    },
    {
      allow_without_2fa_networks: [],
      require_2fa_networks: ["192.0.2.0/24"],
      deny_other_networks: true,
    },
    {
      allow_without_2fa_networks: ["2001:db8::/32"],
      require_2fa_networks: [],
      deny_other_networks: true,
    },
  ],
  authentication_methods: [
    { allowed_auth_list: ["sms"], blocked_auth_list: [] },
    { allowed_auth_list: ["webauthn-roaming"], blocked_auth_list: ["sms"] },
    { allowed_auth_list: ["bypass", "duo-passcode"], blocked_auth_list: [] },
  ],
  remembered_devices: [
    {
      browser_apps: {
        enabled: true,
        user_based: { max_time_value: 12, max_time_units: "hours", confirm_per_app: false },
      },
    },
    {
      browser_apps: {
        enabled: true,
        user_based: { max_time_value: 30, max_time_units: "days", confirm_per_app: true },
      },
    },
    {
      browser_apps: {
        enabled: false,
        user_based: { max_time_value: 1, max_time_units: "days", confirm_per_app: true },
      },
    },
  ],
};

describe("R-POL-1: precedence and fall-through, section by section", () => {
  // Which of global, application and group set the section, and which one then applies.
  const CASES: { sets: ("global" | "application" | "group")[]; applies: PolicyRef }[] = [
    { sets: ["global"], applies: GLOBAL },
    { sets: ["global", "application"], applies: APP },
    { sets: ["global", "group"], applies: GROUP },
    { sets: ["global", "application", "group"], applies: GROUP },
    { sets: [], applies: GLOBAL },
    { sets: ["application"], applies: APP },
    { sets: ["group"], applies: GROUP },
  ];
  for (const section of SECTION_NAMES)
    for (const { sets, applies } of CASES)
      it(`${section} set by [${sets.join(", ") || "nobody"}]: the ${applies.level} policy's applies`, () => {
        const [globalValue, appValue, groupValue] = VALUES[section];
        const layer = (
          ref: PolicyRef,
          level: "global" | "application" | "group",
          value: unknown,
        ): PolicyLayer => ({
          ref,
          sections: sets.includes(level) ? { [section]: value } : {},
        });
        const effective = effectivePolicy(
          layer(GLOBAL, "global", globalValue),
          layer(APP, "application", appValue),
          layer(GROUP, "group", groupValue),
        );
        const expectedValue =
          applies === GROUP
            ? groupValue
            : applies === APP
              ? appValue
              : sets.includes("global")
                ? globalValue
                : DEFAULT_GLOBAL_SECTIONS[section];
        expect(effective[section]).toEqual({ value: expectedValue, from: applies });
        // The other sections, set by nobody, fall through to the global defaults.
        for (const other of SECTION_NAMES.filter((name) => name !== section))
          expect(effective[other]).toEqual({ value: DEFAULT_GLOBAL_SECTIONS[other], from: GLOBAL });
      });

  it("without an application or group policy, the global one applies; a group policy needs no application policy", () => {
    const global: PolicyLayer = {
      ref: GLOBAL,
      sections: { new_user: { new_user_behavior: "deny" } },
    };
    expect(effectivePolicy(global).new_user.from).toBe(GLOBAL);
    const group: PolicyLayer = {
      ref: GROUP,
      sections: { new_user: { new_user_behavior: "no-mfa" } },
    };
    expect(effectivePolicy(global, undefined, group).new_user).toEqual({
      value: { new_user_behavior: "no-mfa" },
      from: GROUP,
    });
  });
});

describe("authorized networks: IPv4, IPv6, single addresses, mapped addresses", () => {
  const CASES: [string | null, string[], boolean][] = [
    ["10.1.2.3", ["10.0.0.0/8"], true],
    ["11.1.2.3", ["10.0.0.0/8"], false],
    ["192.0.2.7", ["192.0.2.7"], true],
    ["192.0.2.8", ["192.0.2.7"], false],
    ["192.0.2.8", ["192.0.2.7/32"], false],
    ["203.0.113.200", ["203.0.113.128/25"], true],
    ["203.0.113.127", ["203.0.113.128/25"], false],
    ["::ffff:10.9.9.9", ["10.0.0.0/8"], true],
    ["2001:db8::1", ["2001:db8::/32"], true],
    ["2001:db9::1", ["2001:db8::/32"], false],
    ["2001:db8::1", ["10.0.0.0/8"], false],
    ["10.0.0.1", ["2001:db8::/32"], false],
    ["1.2.3.4", ["0.0.0.0/0"], true],
    ["::1", ["::/0"], true],
    [null, ["0.0.0.0/0"], false],
    ["not an ip", ["0.0.0.0/0"], false],
    ["10.0.0.1", [], false],
  ];
  for (const [ip, cidrs, inside] of CASES)
    it(`${ip} ${inside ? "is" : "is not"} in ${cidrs.join(", ") || "no network"}`, () => {
      expect(inNetworks(ip, cidrs)).toBe(inside);
    });
});

const standing = (
  status: UserStanding["status"],
  enrolled: boolean,
  lockedUntil: Date | null = null,
): UserStanding => ({ status, enrolled, lockedUntil });

/** A policy of one layer (the global one) built from the settings a row names. */
function policyOf(sections: PolicySections) {
  return effectivePolicy({ ref: GLOBAL, sections: { ...DEFAULT_GLOBAL_SECTIONS, ...sections } });
}

const auth = (behavior: UserAuthBehavior): PolicySections => ({
  authentication_policy: { user_auth_behavior: behavior },
});
const newUser = (behavior: NewUserBehavior): PolicySections => ({
  new_user: { new_user_behavior: behavior },
});
const nets = (allow: string[], require: string[], denyOthers: boolean): PolicySections => ({
  authorized_networks: {
    allow_without_2fa_networks: allow,
    require_2fa_networks: require,
    deny_other_networks: denyOthers,
  },
});
const decided = (section: keyof PolicySections) => ({ policy: GLOBAL, section });

describe("R-POL-2: the order of decisions, row by row", () => {
  const ACTIVE = standing("active", true);
  const ROWS: {
    name: string;
    user: UserStanding | null;
    ip: string | null;
    sections: PolicySections;
    expected: PolicyAccess;
  }[] = [
    {
      name: "an enrolled active user must prove a factor by the allowed methods",
      user: ACTIVE,
      ip: "198.51.100.1",
      sections: {},
      expected: {
        kind: "auth",
        methods: [...METHODS],
        decidedBy: decided("authentication_methods"),
      },
    },
    {
      name: "a disabled user is denied even where the policy bypasses 2FA",
      user: standing("disabled", true),
      ip: null,
      sections: auth("bypass"),
      expected: { kind: "deny", reason: "user_disabled" },
    },
    {
      name: "a disabled user is denied even from a trusted network",
      user: standing("disabled", true),
      ip: "10.0.0.1",
      sections: nets(["10.0.0.0/8"], [], false),
      expected: { kind: "deny", reason: "user_disabled" },
    },
    {
      name: "a user pending deletion is denied",
      user: standing("pending deletion", true),
      ip: null,
      sections: {},
      expected: { kind: "deny", reason: "user_disabled" },
    },
    {
      name: "a policy that denies everyone denies a bypass user",
      user: standing("bypass", true),
      ip: null,
      sections: auth("deny"),
      expected: {
        kind: "deny",
        reason: "deny_by_policy",
        decidedBy: decided("authentication_policy"),
      },
    },
    {
      name: "a policy that denies everyone denies on a trusted network",
      user: ACTIVE,
      ip: "10.0.0.1",
      sections: { ...auth("deny"), ...nets(["10.0.0.0/8"], [], false) },
      expected: {
        kind: "deny",
        reason: "deny_by_policy",
        decidedBy: decided("authentication_policy"),
      },
    },
    {
      name: "outside the networks, where others are denied: denied, even a bypass user",
      user: standing("bypass", true),
      ip: "198.51.100.1",
      sections: nets(["10.0.0.0/8"], ["192.0.2.0/24"], true),
      expected: {
        kind: "deny",
        reason: "deny_by_policy",
        decidedBy: decided("authorized_networks"),
      },
    },
    {
      name: "outside the networks, where others are denied, even with the policy bypassing 2FA",
      user: ACTIVE,
      ip: "198.51.100.1",
      sections: { ...auth("bypass"), ...nets([], ["192.0.2.0/24"], true) },
      expected: {
        kind: "deny",
        reason: "deny_by_policy",
        decidedBy: decided("authorized_networks"),
      },
    },
    {
      name: "no IP at all, where others are denied: denied (fail closed)",
      user: ACTIVE,
      ip: null,
      sections: nets(["0.0.0.0/0"], [], true),
      expected: {
        kind: "deny",
        reason: "deny_by_policy",
        decidedBy: decided("authorized_networks"),
      },
    },
    {
      name: "inside a network that needs 2FA, where others are denied: a factor",
      user: ACTIVE,
      ip: "192.0.2.9",
      sections: nets([], ["192.0.2.0/24"], true),
      expected: {
        kind: "auth",
        methods: [...METHODS],
        decidedBy: decided("authentication_methods"),
      },
    },
    {
      name: "outside the networks, where others are not denied: a factor",
      user: ACTIVE,
      ip: "198.51.100.1",
      sections: nets(["10.0.0.0/8"], [], false),
      expected: {
        kind: "auth",
        methods: [...METHODS],
        decidedBy: decided("authentication_methods"),
      },
    },
    {
      name: "from a trusted network: allowed without a factor",
      user: ACTIVE,
      ip: "10.20.30.40",
      sections: nets(["10.0.0.0/8"], [], true),
      expected: {
        kind: "allow",
        reason: "trusted_network",
        decidedBy: decided("authorized_networks"),
      },
    },
    {
      name: "a locked-out user is denied even from a trusted network",
      user: standing("locked out", true),
      ip: "10.0.0.1",
      sections: nets(["10.0.0.0/8"], [], false),
      expected: { kind: "deny", reason: "locked_out" },
    },
    {
      name: "a locked-out user whose lockout ended must prove a factor",
      user: standing("locked out", true, new Date(NOW.getTime() - 1)),
      ip: null,
      sections: {},
      expected: {
        kind: "auth",
        methods: [...METHODS],
        decidedBy: decided("authentication_methods"),
      },
    },
    {
      name: "a bypass user is allowed",
      user: standing("bypass", false),
      ip: null,
      sections: newUser("deny"),
      expected: { kind: "allow", reason: "bypass_user" },
    },
    {
      name: "the policy bypassing 2FA allows an enrolled user",
      user: ACTIVE,
      ip: null,
      sections: auth("bypass"),
      expected: {
        kind: "allow",
        reason: "allowed_by_policy",
        decidedBy: decided("authentication_policy"),
      },
    },
    {
      name: "the policy bypassing 2FA allows an unknown user unless new users are denied",
      user: null,
      ip: null,
      sections: { ...auth("bypass"), ...newUser("enroll") },
      expected: {
        kind: "allow",
        reason: "allowed_by_policy",
        decidedBy: decided("authentication_policy"),
      },
    },
    {
      name: "new users denied: an unknown user is denied though the policy bypasses 2FA",
      user: null,
      ip: null,
      sections: { ...auth("bypass"), ...newUser("deny") },
      expected: { kind: "deny", reason: "deny_unenrolled_user", decidedBy: decided("new_user") },
    },
    {
      name: "new users denied: one without a device is denied though the network is trusted",
      user: standing("active", false),
      ip: "10.0.0.1",
      sections: { ...nets(["10.0.0.0/8"], [], false), ...newUser("deny") },
      expected: { kind: "deny", reason: "deny_unenrolled_user", decidedBy: decided("new_user") },
    },
    {
      name: "new users enroll: an unknown user must enroll",
      user: null,
      ip: null,
      sections: newUser("enroll"),
      expected: { kind: "enroll", reason: "deny_unenrolled_user", decidedBy: decided("new_user") },
    },
    {
      name: "new users pass: one without a device is allowed",
      user: standing("active", false),
      ip: null,
      sections: newUser("no-mfa"),
      expected: { kind: "allow", reason: "allow_unenrolled_user", decidedBy: decided("new_user") },
    },
    {
      name: "new users pass, but an enrolled user still proves a factor",
      user: ACTIVE,
      ip: null,
      sections: newUser("no-mfa"),
      expected: {
        kind: "auth",
        methods: [...METHODS],
        decidedBy: decided("authentication_methods"),
      },
    },
    {
      name: "only SMS allowed: a factor by SMS alone",
      user: ACTIVE,
      ip: null,
      sections: { authentication_methods: { allowed_auth_list: ["sms"], blocked_auth_list: [] } },
      expected: { kind: "auth", methods: ["sms"], decidedBy: decided("authentication_methods") },
    },
  ];
  for (const row of ROWS)
    it(row.name, () => {
      expect(
        decidePolicy(policyOf(row.sections), { user: row.user, ip: row.ip, now: NOW }),
      ).toEqual(row.expected);
    });
});

describe("remembered devices", () => {
  it("hours or days, per application or across them; off is undefined", () => {
    const [hours, days, off] = VALUES.remembered_devices;
    expect(rememberedDevices(policyOf({ remembered_devices: hours }))).toEqual({
      hours: 12,
      perApplication: false,
    });
    expect(rememberedDevices(policyOf({ remembered_devices: days }))).toEqual({
      hours: 720,
      perApplication: true,
    });
    expect(rememberedDevices(policyOf({ remembered_devices: off }))).toBeUndefined();
  });
});

/**
 * An independent reference for the property test: IPv4 networks by 32-bit arithmetic, and the
 * decision as two questions asked in turn, "is anything keeping the user out?" (the denials, with
 * the first one's reason) and "is anything letting them in without a factor?".
 */
const ipv4 = (text: string) => text.split(".").reduce((sum, part) => sum * 256 + Number(part), 0);
function inRange(ip: string, cidr: string): boolean {
  const [network = "", prefix = "32"] = cidr.split("/");
  const size = 2 ** (32 - Number(prefix));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(network) / size);
}

function reference(
  sections: Required<PolicySections>,
  user: UserStanding | null,
  ip: string | null,
): string {
  const anyIn = (list: string[]) => ip !== null && list.some((cidr) => inRange(ip, cidr));
  const net = sections.authorized_networks;
  const behavior = sections.authentication_policy.user_auth_behavior;
  const unenrolled = user === null || !user.enrolled;
  const locked =
    user?.status === "locked out" && (user.lockedUntil === null || user.lockedUntil > NOW);
  const keptOut: [boolean, string][] = [
    [user?.status === "disabled" || user?.status === "pending deletion", "deny:user_disabled"],
    [behavior === "deny", "deny:deny_by_policy"],
    [
      net.deny_other_networks &&
        !anyIn(net.allow_without_2fa_networks) &&
        !anyIn(net.require_2fa_networks),
      "deny:deny_by_policy",
    ],
    [locked, "deny:locked_out"],
  ];
  const kept = keptOut.find(([applies]) => applies);
  if (kept) return kept[1];
  if (user?.status === "bypass") return "allow:bypass_user";
  if (unenrolled && sections.new_user.new_user_behavior === "deny")
    return "deny:deny_unenrolled_user";
  if (anyIn(net.allow_without_2fa_networks)) return "allow:trusted_network";
  if (behavior === "bypass") return "allow:allowed_by_policy";
  if (unenrolled)
    return sections.new_user.new_user_behavior === "enroll"
      ? "enroll:deny_unenrolled_user"
      : "allow:allow_unenrolled_user";
  return `auth:${sections.authentication_methods.allowed_auth_list.join(",")}`;
}

const summary = (access: PolicyAccess) =>
  access.kind === "auth" ? `auth:${access.methods.join(",")}` : `${access.kind}:${access.reason}`;

describe("R-POL-2 against a reference (fast-check)", () => {
  const octet = fc.integer({ min: 0, max: 255 });
  const ip = fc
    .tuple(fc.constantFrom(10, 192, 203), octet, octet, octet)
    .map((parts) => parts.join("."));
  const cidr = fc
    .tuple(ip, fc.integer({ min: 0, max: 32 }))
    .map(([address, prefix]) => `${address}/${prefix}`);
  const sections = fc.record({
    new_user: fc.record({
      new_user_behavior: fc.constantFrom<NewUserBehavior>("enroll", "no-mfa", "deny"),
    }),
    authentication_policy: fc.record({
      user_auth_behavior: fc.constantFrom<UserAuthBehavior>("enforce", "bypass", "deny"),
    }),
    authorized_networks: fc.record({
      allow_without_2fa_networks: fc.array(cidr, { maxLength: 3 }),
      require_2fa_networks: fc.array(cidr, { maxLength: 3 }),
      deny_other_networks: fc.boolean(),
    }),
    authentication_methods: fc.record({
      allowed_auth_list: fc.subarray([...METHODS]),
      blocked_auth_list: fc.constant([] as string[]),
    }),
    remembered_devices: fc.constant(DEFAULT_GLOBAL_SECTIONS.remembered_devices),
  });
  const user = fc.option(
    fc.record({
      status: fc.constantFrom<UserStanding["status"]>(
        "active",
        "bypass",
        "disabled",
        "locked out",
        "pending deletion",
      ),
      enrolled: fc.boolean(),
      lockedUntil: fc.option(
        fc.integer({ min: -3, max: 3 }).map((hours) => new Date(NOW.getTime() + hours * 3_600_000)),
      ),
    }),
  );

  it("decides as the reference on 20,000 random policies, users and addresses", () => {
    fc.assert(
      fc.property(sections, user, fc.option(ip), (set, who, from) => {
        const access = decidePolicy(effectivePolicy({ ref: GLOBAL, sections: set }), {
          user: who,
          ip: from,
          now: NOW,
        });
        expect(summary(access)).toBe(reference(set, who, from));
      }),
      { numRuns: 20_000 },
    );
  });

  it("a layer that sets nothing changes nothing: adding an empty application or group policy never changes a decision", () => {
    fc.assert(
      fc.property(sections, user, fc.option(ip), (set, who, from) => {
        const facts = { user: who, ip: from, now: NOW };
        const bare = decidePolicy(effectivePolicy({ ref: GLOBAL, sections: set }), facts);
        const layered = decidePolicy(
          effectivePolicy(
            { ref: GLOBAL, sections: set },
            { ref: APP, sections: {} },
            { ref: GROUP, sections: {} },
          ),
          facts,
        );
        expect(layered).toEqual(bare);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("authorized networks against Node's BlockList (fast-check)", () => {
  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join("."));
  const ipv6 = fc
    .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
    .map((words) => words.map((w) => w.toString(16)).join(":"));
  /** The same address written as people write them: compressed, mapped, with an IPv4 tail. */
  const spelled = fc.oneof(
    ipv4,
    ipv6,
    ipv6.map((text) => text.replace(/(^|:)0(:0)+(:|$)/, "::")),
    ipv4.map((text) => `::ffff:${text}`),
    fc.tuple(fc.nat(0xffff), ipv4).map(([word, tail]) => `2001:db8::${word.toString(16)}:${tail}`),
  );

  it("decides as BlockList on 20,000 random addresses and ranges", async () => {
    const { BlockList, isIPv4 } = await import("node:net");
    const family = (text: string) => (isIPv4(text) ? "ipv4" : "ipv6");
    /** The reference reads a mapped address as its IPv4 address, as Gatehouse does. */
    const plain = (text: string) => /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text)?.[1] ?? text;
    fc.assert(
      fc.property(
        spelled,
        fc.array(fc.tuple(spelled, fc.nat(128)), { minLength: 1, maxLength: 4 }),
        (address, ranges) => {
          const cidrs = ranges.map(([network, prefix]) => {
            const bits = family(plain(network)) === "ipv4" ? 32 : 128;
            return `${plain(network)}/${prefix % (bits + 1)}`;
          });
          // Families are kept apart: an IPv4 address is in IPv4 ranges only (BlockList would also
          // test it against IPv6 ranges, as a mapped address).
          const ip = plain(address);
          const list = new BlockList();
          for (const cidr of cidrs) {
            const [network = "", prefix] = cidr.split("/");
            if (family(network) === family(ip))
              list.addSubnet(network, Number(prefix), family(network));
          }
          const expected = list.check(ip, family(ip));
          expect(inNetworks(address, cidrs)).toBe(expected);
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
