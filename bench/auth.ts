import http from "node:http";
import { fileURLToPath } from "node:url";
import { startFloor } from "./auth/floor.js";
import { codes, measuredWindow, type Post, poster, Tally, window } from "./support/load.js";
import { withServerChild } from "./support/server-child.js";

const CONCURRENCY = 16;
/** The rate issue 14's latency target is set at: complete authentications a second, offered. */
const PACED_PER_SECOND = 500;
const ROUNDS = 6;
const WINDOW_MS = 2000;
const WARM_UP_MS = 3000;
/**
 * Each user authenticates at most twice a 30-second step, with the codes of steps now and now+1
 * (a code of now-1 could cross into now+1 on its way and be refused), and once a step is spent,
 * only its next: 30,000 users (each contender has half) carry 1,000/s sustained.
 */
const USERS = 60_000;

interface Ready {
  gatehouse: number;
  bare: number;
  /** PostgreSQL only: the hand-written floor (bench/auth/floor.ts). */
  floor: number | null;
  ikey: string;
  skey: string;
  /** The users' app secrets (base32), by username. */
  secrets: Record<string, string>;
}

async function serve(): Promise<void> {
  const { default: Fastify } = await import("fastify");
  const { insertBenchApplication, listenGatehouse, openBenchAccount, portOf, seedAppUsers } =
    await import("./support/bench-account.js");
  const { handle, secrets: box, accountId, url } = await openBenchAccount();
  const users = await seedAppUsers(handle.db, box, accountId, USERS);
  const { id: ikey, secret: skey } = await insertBenchApplication(
    handle.db,
    box,
    accountId,
    "authapi",
    "Bench VPN",
  );
  const gatehouse = await listenGatehouse(handle, box);
  const bare = Fastify();
  // Reads its form body as Gatehouse does, then answers a constant.
  bare.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (_request, body, done) => done(null, new URLSearchParams(body as string)),
  );
  bare.post("/bare", async () => ({ stat: "OK", response: { result: "allow" } }));
  await bare.listen({ host: "127.0.0.1", port: 0 });
  const floor = url ? await startFloor(url, box) : null;
  const ready: Ready = {
    gatehouse,
    bare: portOf(bare.server),
    floor: floor?.port ?? null,
    ikey,
    skey,
    secrets: Object.fromEntries(users.map((u) => [u.username, u.secret])),
  };
  // A clean exit on the parent's signal, so that a --cpu-prof run writes its profile.
  process.once("SIGINT", () => process.exit(0));
  console.log(JSON.stringify(ready));
}

/** One complete login against a server: preauth, then auth with the user's next code. */
function login(post: Post, nextCode: ReturnType<typeof codes>, failed: () => void) {
  return async () => {
    const { username, code } = nextCode();
    const pre = await post("/auth/v2/preauth", `username=${username}`);
    const auth = await post(
      "/auth/v2/auth",
      `factor=passcode&passcode=${code}&username=${username}`,
    );
    if (
      pre.status !== 200 ||
      !pre.body.includes('"auth"') ||
      auth.status !== 200 ||
      !auth.body.includes('"allow"')
    )
      failed();
  };
}

async function main(): Promise<void> {
  await withServerChild<Ready, void>(
    fileURLToPath(import.meta.url),
    async (ready, engine, serverPid) => {
      const { canonicalString, sign } = await import("../src/http/duo/canonical.js");
      const { parseQuery } = await import("../src/http/duo/params.js");
      // Signs the host it sends, as Duo's clients do (their configured API host is both).
      const signer =
        (port: number) =>
        (path: string, body: string): http.OutgoingHttpHeaders => {
          const date = new Date().toUTCString();
          const canonical = canonicalString(2, {
            date,
            method: "POST",
            host: `127.0.0.1:${port}`,
            path,
            params: parseQuery(`?${body}`),
            body: Buffer.from(body),
            xDuoHeaders: {},
          });
          const signature = sign(ready.skey, "sha512", canonical);
          return {
            date,
            authorization: `Basic ${Buffer.from(`${ready.ikey}:${signature}`).toString("base64")}`,
          };
        };
      const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const bare = poster(ready.bare, agent, () => ({}));
      const usernames = Object.keys(ready.secrets);
      const half = usernames.length / 2;
      let failures = 0;
      const gatehouse = login(
        poster(ready.gatehouse, agent, signer(ready.gatehouse)),
        codes(usernames.slice(0, half), ready.secrets),
        () => failures++,
      );
      const floor =
        ready.floor === null
          ? undefined
          : login(
              poster(ready.floor, agent, signer(ready.floor)),
              codes(usernames.slice(half), ready.secrets),
              () => failures++,
            );
      const bareCall = async () => {
        await bare("/bare", "username=x");
      };
      await window(CONCURRENCY, WARM_UP_MS, gatehouse);
      if (floor) await window(CONCURRENCY, WARM_UP_MS, floor);
      await window(CONCURRENCY, 1000, bareCall);
      const measured = (tally: Tally, once: () => Promise<void>, perSecond?: number) =>
        measuredWindow(tally, serverPid, CONCURRENCY, WINDOW_MS, once, perSecond);
      const unpaced = new Tally();
      const pacedTally = new Tally();
      const floorUnpaced = new Tally();
      const floorPaced = new Tally();
      const bareTally = new Tally();
      for (let i = 0; i < ROUNDS; i++) {
        await measured(unpaced, gatehouse);
        await measured(bareTally, bareCall);
        await measured(pacedTally, gatehouse, PACED_PER_SECOND);
        if (floor) {
          await measured(floorUnpaced, floor);
          await measured(floorPaced, floor, PACED_PER_SECOND);
        }
      }
      console.log(
        JSON.stringify({
          engine,
          concurrency: CONCURRENCY,
          rounds: ROUNDS,
          window_ms: WINDOW_MS,
          complete_auths_per_s_median: unpaced.rateMedian(),
          complete_auths_per_s_range: unpaced.rateRange(),
          complete_auth_p50_ms: unpaced.quantile(0.5),
          complete_auth_p99_ms: unpaced.quantile(0.99),
          paced_per_s: PACED_PER_SECOND,
          paced_achieved_per_s_median: pacedTally.rateMedian(),
          paced_p50_ms: pacedTally.quantile(0.5),
          paced_p99_ms: pacedTally.quantile(0.99),
          paced_p99_ms_range: pacedTally.p99Range(),
          cpu_ms_per_auth: unpaced.cpuPerOperation(),
          ...(floor
            ? {
                floor_auths_per_s_median: floorUnpaced.rateMedian(),
                floor_auths_per_s_range: floorUnpaced.rateRange(),
                floor_paced_p50_ms: floorPaced.quantile(0.5),
                floor_paced_p99_ms: floorPaced.quantile(0.99),
                floor_paced_p99_ms_range: floorPaced.p99Range(),
                floor_cpu_ms_per_auth: floorUnpaced.cpuPerOperation(),
              }
            : {}),
          bare_route_rps_median: bareTally.rateMedian(),
          bare_route_rps_range: bareTally.rateRange(),
          failed_authentications: failures,
        }),
      );
    },
  );
}

if (process.argv.includes("--serve")) await serve();
else await main();
