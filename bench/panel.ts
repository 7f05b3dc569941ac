/**
 * Panel API latency on embedded PGlite, through the whole stack (session cookie, CSRF, the route's
 * action gate, the use case's transaction, the snapshot cache, the audit write): milliseconds per
 * request, median and p95, for the demo tenant (Northwind MSP: 20 subaccounts, ~270 users) as its
 * Owner. In-process (app.inject), so the figures leave out the network. Prints one JSON line.
 *
 *   npm run bench -- panel
 */
import { randomBytes } from "node:crypto";
import { migrate, readMigrations } from "../src/db/migrate.js";
import { openDatabase } from "../src/db/open.js";
import { createSecretBox } from "../src/db/secrets.js";
import { createSession } from "../src/domain/auth/sessions.js";
import { createDemo } from "../src/domain/demo.js";
import { buildApp } from "../src/http/app.js";

const ROUNDS = 300;

const handle = await openDatabase({ kind: "pglite-memory" });
await migrate(handle);
const secrets = createSecretBox(randomBytes(32));
const demo = await createDemo(handle, secrets, { publicUrl: "http://localhost" });
await handle.db.updateTable("admins").set({ status: "Active" }).execute();
const owner = await handle.db
  .selectFrom("admins")
  .select(["id", "account_id"])
  .where("account_id", "=", demo.parentId)
  .where("role", "=", "Owner")
  .executeTakeFirstOrThrow();
const session = await createSession(handle.db, {
  admin: owner,
  stage: "active",
  client: { ip: "127.0.0.1", userAgent: "bench" },
  now: new Date(),
});
const app = await buildApp({ database: handle, secrets, migrations: await readMigrations() });
const headers = { cookie: `gatehouse_session=${session.token}`, "x-csrf-token": session.csrfToken };
const someUser = await handle.db
  .selectFrom("users")
  .select("id")
  .where("account_id", "=", demo.parentId)
  .executeTakeFirstOrThrow();

type Step = {
  name: string;
  method: "GET" | "POST" | "PATCH";
  url: string;
  body?: (i: number) => object;
};
const steps: Step[] = [
  { name: "GET /api/account", method: "GET", url: "/api/account" },
  { name: "GET /api/accounts", method: "GET", url: "/api/accounts?limit=50" },
  { name: "GET /api/users", method: "GET", url: "/api/users?limit=50" },
  { name: "GET /api/admins", method: "GET", url: "/api/admins?limit=50" },
  {
    name: "POST /api/groups",
    method: "POST",
    url: "/api/groups",
    body: (i) => ({ name: `Bench group ${i}` }),
  },
  {
    name: "PATCH /api/users/:id",
    method: "PATCH",
    url: `/api/users/${someUser.id}`,
    body: (i) => ({ real_name: `Bench ${i}` }),
  },
];

const figures: Record<string, { median_ms: number; p95_ms: number }> = {};
for (const step of steps) {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const response = await app.inject({
      method: step.method,
      url: step.url,
      headers,
      ...(step.body ? { payload: step.body(i) } : {}),
    });
    times.push(performance.now() - started);
    if (response.statusCode !== 200)
      throw new Error(`${step.name}: ${response.statusCode} ${response.body}`);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Number((times[Math.floor(q * (times.length - 1))] ?? 0).toFixed(2));
  figures[step.name] = { median_ms: at(0.5), p95_ms: at(0.95) };
}
await app.close();
await handle.close();
console.log(JSON.stringify({ engine: "pglite", rounds: ROUNDS, users: demo.users, ...figures }));
