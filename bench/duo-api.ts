import http from "node:http";
import { fileURLToPath } from "node:url";
import { withServerChild } from "./support/server-child.js";

const CONCURRENCY = 8;
const SECONDS = 8;
const USERS = 250;

interface Ready {
  gatehouse: number;
  bare: number;
  ikey: string;
  skey: string;
}

async function serve(): Promise<void> {
  const { default: Fastify } = await import("fastify");
  const { readMigrations } = await import("../src/db/migrate.js");
  const { newId, newSecretKey } = await import("../src/db/ids.js");
  const { buildApp } = await import("../src/http/app.js");
  const { openBenchAccount } = await import("./support/bench-account.js");
  const { handle, secrets, accountId } = await openBenchAccount();
  await handle.db
    .insertInto("users")
    .values(
      Array.from({ length: USERS }, (_, i) => ({
        id: newId("user"),
        account_id: accountId,
        username: `user${String(i).padStart(4, "0")}`,
        real_name: `User ${i}`,
        email: `user${i}@bench.example`,
      })),
    )
    .execute();
  const ikey = newId("integration");
  const skey = newSecretKey();
  await handle.db
    .insertInto("applications")
    .values({
      id: ikey,
      account_id: accountId,
      account_is_subaccount: false,
      type: "adminapi",
      name: "Bench",
      secret_key_enc: secrets.seal(skey, ikey),
      grants: ["adminapi_read_resource"],
    })
    .execute();
  const app = await buildApp({
    database: handle,
    secrets,
    migrations: await readMigrations(),
    apiRequestsPerSecond: 1_000_000,
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const bare = Fastify();
  bare.get("/bare", async () => ({ stat: "OK", response: "" }));
  await bare.listen({ host: "127.0.0.1", port: 0 });
  const portOf = (server: { server: http.Server }) => {
    const address = server.server.address();
    return typeof address === "object" && address ? address.port : 0;
  };
  const ready: Ready = { gatehouse: portOf(app), bare: portOf(bare), ikey, skey };
  // A clean exit on the parent's signal, so that a --cpu-prof run writes its profile.
  process.once("SIGINT", () => process.exit(0));
  console.log(JSON.stringify(ready));
}

/** What one server was asked to do: each request's latency, and the time spent loading it. */
interface Tally {
  latencies: number[];
  ms: number;
}

/** Keeps CONCURRENCY requests in flight for `ms` against one server, adding to its tally. */
async function loadWindow(
  port: number,
  path: string,
  headers: http.OutgoingHttpHeaders,
  ms: number,
  tally: Tally,
): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const deadline = performance.now() + ms;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const request = http.get({ host: "127.0.0.1", port, path, headers, agent }, (response) => {
        response.resume();
        response.on("end", () => {
          if (response.statusCode !== 200) reject(new Error(`${path}: ${response.statusCode}`));
          tally.latencies.push(performance.now() - started);
          resolve();
        });
      });
      request.on("error", reject);
    });
  const worker = async () => {
    while (performance.now() < deadline) await one();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  tally.ms += performance.now() - started;
  agent.destroy();
}

/** Requests per second and the p99 in ms. */
function summary(tally: Tally) {
  const latencies = [...tally.latencies].sort((a, b) => a - b);
  return {
    rps: Math.round(latencies.length / (tally.ms / 1000)),
    p99: Number((latencies[Math.floor(latencies.length * 0.99)] ?? 0).toFixed(2)),
  };
}

async function main(): Promise<void> {
  await withServerChild<Ready, void>(fileURLToPath(import.meta.url), async (ready, engine) => {
    const { canonicalString, sign } = await import("../src/http/duo/canonical.js");
    const { parseQuery } = await import("../src/http/duo/params.js");
    const path = "/admin/v1/users?limit=100";
    // One signature serves the whole run: a request stays valid for the 300 s clock skew.
    const date = new Date().toUTCString();
    const signature = sign(
      ready.skey,
      "sha512",
      canonicalString(2, {
        date,
        method: "GET",
        host: "127.0.0.1",
        path: "/admin/v1/users",
        params: parseQuery(path),
        body: Buffer.alloc(0),
        xDuoHeaders: {},
      }),
    );
    const headers = {
      date,
      host: "127.0.0.1",
      authorization: `Basic ${Buffer.from(`${ready.ikey}:${signature}`).toString("base64")}`,
    };
    const warmUp: Tally = { latencies: [], ms: 0 };
    await loadWindow(ready.gatehouse, path, headers, 3000, warmUp);
    await loadWindow(ready.bare, "/bare", {}, 1000, warmUp);
    // Alternating one-second windows: whatever else the machine runs weighs on both alike, so
    // share_of_bare holds on a shared machine even when the absolute figures move.
    const duoTally: Tally = { latencies: [], ms: 0 };
    const bareTally: Tally = { latencies: [], ms: 0 };
    for (let second = 0; second < SECONDS; second++) {
      await loadWindow(ready.gatehouse, path, headers, 1000, duoTally);
      await loadWindow(ready.bare, "/bare", {}, 1000, bareTally);
    }
    const duo = summary(duoTally);
    const bare = summary(bareTally);
    console.log(
      JSON.stringify({
        engine,
        concurrency: CONCURRENCY,
        seconds: SECONDS,
        duo_users_limit_100_rps: duo.rps,
        duo_users_limit_100_p99_ms: duo.p99,
        bare_route_rps: bare.rps,
        bare_route_p99_ms: bare.p99,
        share_of_bare: Number((duo.rps / bare.rps).toFixed(3)),
      }),
    );
  });
}

if (process.argv.includes("--serve")) await serve();
else await main();
