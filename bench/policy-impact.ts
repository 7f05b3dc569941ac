/**
 * Issue 16's impact benchmark (R-POL-3): previewing a policy change replays the last 30 days of the
 * authentication log. Here the log holds 1,000,000 authentications of 10,000 users on 10
 * applications from three networks, and the change denies one network on one application; the
 * preview runs through the use case an Admin API integration calls (runUseCase, as
 * POST /admin/v2/policies/{key}/impact does). Prints one JSON line: the time of each of a few
 * previews, and the peak memory of this process. Not a test.
 *
 *   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- policy-impact
 *
 * On PostgreSQL only (the target is "on PostgreSQL"); without BENCH_POSTGRES_URL it says so and
 * exits 0.
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { newId } from "../src/db/ids.js";
import { SnapshotCache } from "../src/domain/authorization.js";
import { runUseCase, type Services } from "../src/domain/context.js";
import { previewPolicyUpdate } from "../src/domain/policies/preview.js";
import { insertBenchApplication, openBenchAccount, seedAppUsers } from "./support/bench-account.js";

const ATTEMPTS = 1_000_000;
const USERS = 10_000;
const APPLICATIONS = 10;
const PREVIEWS = 5;

const server = process.env.BENCH_POSTGRES_URL;
if (!server) {
  console.log(JSON.stringify({ skipped: "set BENCH_POSTGRES_URL: the target is on PostgreSQL" }));
  process.exit(0);
}

const name = `gatehouse_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(server);
url.pathname = `/${name}`;
process.env.BENCH_DATABASE_URL = url.toString();
try {
  const { handle, secrets, accountId } = await openBenchAccount();
  await seedAppUsers(handle.db, secrets, accountId, USERS);
  const applications: string[] = [];
  for (let i = 0; i < APPLICATIONS; i++)
    applications.push(
      (await insertBenchApplication(handle.db, secrets, accountId, "authapi", `App ${i}`)).id,
    );
  const policy = newId("policy");
  await handle.db
    .insertInto("policies")
    .values({ id: policy, account_id: accountId, name: "VPN", sections: "{}" })
    .execute();
  await handle.db
    .insertInto("application_policies")
    .values({ application_id: applications[0] as string, account_id: accountId, policy_id: policy })
    .execute();
  // Each user logs in to three applications from three addresses: 90,000 kinds of attempt.
  const started = performance.now();
  await sql`
    with u as (select id, username, (row_number() over (order by id) - 1)::int as n
                 from users where account_id = ${accountId}),
         a as (select ${sql.val(applications)}::text[] as ids)
    insert into authentication_log (txid, account_id, created_at, event_type, result, reason, factor,
                                    user_id, username, application_id, application_name, access_ip)
    select gen_random_uuid(), ${accountId}, now() - (g % 2400) * interval '15 minutes',
           'authentication', 'success', 'valid_passcode', 'duo_mobile_passcode',
           u.id, u.username, a.ids[1 + (u.n + g % 3) % ${APPLICATIONS}], 'App',
           (array['10.1.0.', '203.0.113.', '198.51.100.'])[1 + (g / ${USERS}) % 3] || (u.n % 250)
      from generate_series(0, ${ATTEMPTS - 1}) g
      join u on u.n = g % ${USERS}
      cross join a`.execute(handle.db);
  await sql`analyze authentication_log`.execute(handle.db);
  const seedMs = performance.now() - started;

  const services: Services = { database: handle, secrets, snapshots: new SnapshotCache() };
  const integration = {
    kind: "application" as const,
    id: newId("integration"),
    accountId,
    type: "adminapi" as const,
    grants: ["adminapi_read_resource" as const, "adminapi_write_resource" as const],
  };
  const caller = {
    principal: integration,
    actor: { kind: "application" as const, id: integration.id, name: "bench" },
    homeAccountId: accountId,
  };
  const change = {
    sections: {
      authorized_networks: {
        allow_without_2fa_networks: [],
        require_2fa_networks: ["10.0.0.0/8", "203.0.113.0/24"],
        deny_other_networks: true,
      },
    },
  };
  const times: number[] = [];
  let impact: Awaited<ReturnType<typeof previewPolicyUpdate>> | undefined;
  for (let i = 0; i < PREVIEWS; i++) {
    const t0 = performance.now();
    impact = await runUseCase(services, caller, accountId, "read", (ctx) =>
      previewPolicyUpdate(ctx, policy, change),
    );
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      engine: "postgres",
      logged_attempts: ATTEMPTS,
      users: USERS,
      applications: APPLICATIONS,
      seed_ms: Math.round(seedMs),
      preview_ms: times.map((t) => Math.round(t)),
      preview_ms_median: Math.round(times[Math.floor(times.length / 2)] ?? 0),
      target_ms: 5000,
      replayed_attempts: impact?.attempts,
      changed_attempts: impact?.changed_attempts,
      rows: impact?.changes.length,
      peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
  await handle.close();
} finally {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
