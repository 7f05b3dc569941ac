/**
 * Issue 16's evaluation benchmark: what deciding one login's policy costs in process, with 1,000
 * policies over 10,000 applications and 1,000 groups. Prints one JSON line. Not a test.
 *
 *   npm run bench -- policies
 *
 * What is timed is what the process does per login (src/domain/authentication/subject.ts): the
 * subject statement brings the three policies that can apply (the global one, the application's,
 * the first of the user's groups' on the application) as JSON; the process then resolves each
 * section (effectivePolicy) and decides (decidePolicy). The timed loop therefore starts from the
 * JSON text of the three, as it arrives (policyLayerFromJson parses each text once and shares it:
 * what is timed per login is finding the text's parse); finding the three is
 * modelled by Map lookups (in production it is three index probes inside the statement, whose
 * cost is in bench/auth.ts's PostgreSQL CPU per login). Batches of 1,000 evaluations are timed and
 * divided; median and p99 are over batches.
 */
import { decidePolicy, effectivePolicy, policyLayerFromJson } from "../src/authn/policy.js";
import {
  DEFAULT_GLOBAL_SECTIONS,
  METHODS,
  type PolicySections,
} from "../src/authn/policy-sections.js";

const POLICIES = 1_000;
const APPLICATIONS = 10_000;
const GROUPS = 1_000;
const EVALUATIONS = 1_000_000;
const BATCH = 1_000;
/** The part of applications with a policy of their own, and the group policies each of those has. */
const WITH_POLICY = 0.6;
const GROUP_POLICIES_PER_APPLICATION = 3;
const GROUPS_PER_USER = 4;

/** A deterministic generator (mulberry32), so that every run times the same work. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const next = random(16);
const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;

/** A custom policy setting one to three sections, as administrators write them. */
function customSections(i: number): PolicySections {
  const sections: PolicySections = {};
  if (i % 3 === 0) sections.new_user = { new_user_behavior: pick(["enroll", "no-mfa", "deny"]) };
  if (i % 4 === 0)
    sections.authentication_policy = { user_auth_behavior: pick(["enforce", "bypass", "deny"]) };
  if (i % 2 === 0)
    sections.authorized_networks = {
      allow_without_2fa_networks: [`10.${i % 256}.0.0/16`, "192.168.0.0/16"],
      require_2fa_networks: ["203.0.113.0/24", "2001:db8::/32"],
      deny_other_networks: i % 8 === 0,
    };
  if (i % 5 === 0)
    sections.authentication_methods = {
      allowed_auth_list: METHODS.filter(() => next() < 0.7),
      blocked_auth_list: [],
    };
  if (Object.keys(sections).length === 0)
    sections.remembered_devices = DEFAULT_GLOBAL_SECTIONS.remembered_devices;
  return sections;
}

/** A policy as the subject statement hands it over: JSON text. */
const asJson = (key: string, name: string, sections: PolicySections) =>
  JSON.stringify({ key, name, sections });

const policies = Array.from({ length: POLICIES }, (_, i) =>
  asJson(`PO${String(i).padStart(18, "0")}`, `Policy ${i}`, customSections(i)),
);
const globalJson = asJson("POGLOBAL", "Global Policy", DEFAULT_GLOBAL_SECTIONS);
const applicationPolicy = new Map<number, string>();
const groupPolicies = new Map<number, { group: number; policy: string }[]>();
for (let app = 0; app < APPLICATIONS; app++) {
  if (next() >= WITH_POLICY) continue;
  applicationPolicy.set(app, pick(policies));
  groupPolicies.set(
    app,
    Array.from({ length: GROUP_POLICIES_PER_APPLICATION }, () => ({
      group: Math.floor(next() * GROUPS),
      policy: pick(policies),
    })),
  );
}

interface Login {
  app: number;
  groups: Set<number>;
  ip: string;
  user: { status: "active"; lockedUntil: null; enrolled: boolean };
}
const logins: Login[] = Array.from({ length: 10_000 }, () => ({
  app: Math.floor(next() * APPLICATIONS),
  groups: new Set(Array.from({ length: GROUPS_PER_USER }, () => Math.floor(next() * GROUPS))),
  ip: pick(["10.1.2.3", "203.0.113.9", "198.51.100.4", "2001:db8::7", "192.168.4.4"]),
  user: { status: "active", lockedUntil: null, enrolled: next() < 0.9 },
}));

const layer = policyLayerFromJson;

function evaluate(login: Login, now: Date): string {
  const applicationJson = applicationPolicy.get(login.app);
  const groupJson = groupPolicies
    .get(login.app)
    ?.find((entry) => login.groups.has(entry.group))?.policy;
  const policy = effectivePolicy(
    layer(globalJson, "global"),
    applicationJson === undefined ? undefined : layer(applicationJson, "application"),
    groupJson === undefined ? undefined : layer(groupJson, "group"),
  );
  return decidePolicy(policy, { user: login.user, ip: login.ip, now }).kind;
}

const now = new Date();
const outcomes: Record<string, number> = {};
for (let i = 0; i < 50_000; i++) evaluate(logins[i % logins.length] as Login, now);
const perEvaluation: number[] = [];
for (let i = 0; i < EVALUATIONS; i += BATCH) {
  const started = process.hrtime.bigint();
  for (let j = i; j < i + BATCH; j++) {
    const kind = evaluate(logins[j % logins.length] as Login, now);
    outcomes[kind] = (outcomes[kind] ?? 0) + 1;
  }
  perEvaluation.push(Number(process.hrtime.bigint() - started) / BATCH);
}
perEvaluation.sort((a, b) => a - b);
const at = (q: number) =>
  perEvaluation[Math.min(perEvaluation.length - 1, Math.floor(q * perEvaluation.length))] ?? 0;
console.log(
  JSON.stringify({
    policies: POLICIES,
    applications: APPLICATIONS,
    groups: GROUPS,
    evaluations: EVALUATIONS,
    evaluation_ns_median: Math.round(at(0.5)),
    evaluation_ns_p99: Math.round(at(0.99)),
    target_ns_median: 2000,
    outcomes,
  }),
);
