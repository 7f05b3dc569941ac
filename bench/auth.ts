import http from "node:http";
import { fileURLToPath } from "node:url";
import * as OTPAuth from "otpauth";
import { startFloor } from "./auth/floor.js";
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
  const { readMigrations } = await import("../src/db/migrate.js");
  const { newId, newSecretKey } = await import("../src/db/ids.js");
  const { buildApp } = await import("../src/http/app.js");
  const { openBenchAccount } = await import("./support/bench-account.js");
  const { handle, secrets: box, accountId, url } = await openBenchAccount();
  const users = Array.from({ length: USERS }, (_, i) => ({
    id: newId("user"),
    phone: newId("phone"),
    username: `user${String(i).padStart(5, "0")}`,
    secret: new OTPAuth.Secret({ size: 20 }).base32,
  }));
  for (let i = 0; i < users.length; i += 1000) {
    const batch = users.slice(i, i + 1000);
    await handle.db
      .insertInto("users")
      .values(batch.map((u) => ({ id: u.id, account_id: accountId, username: u.username })))
      .execute();
    await handle.db
      .insertInto("phones")
      .values(
        batch.map((u) => ({
          id: u.phone,
          account_id: accountId,
          type: "Mobile" as const,
          activated: true,
          totp_secret_enc: box.seal(u.secret, u.phone),
        })),
      )
      .execute();
    await handle.db
      .insertInto("user_phones")
      .values(batch.map((u) => ({ user_id: u.id, phone_id: u.phone, account_id: accountId })))
      .execute();
  }
  const ikey = newId("integration");
  const skey = newSecretKey();
  await handle.db
    .insertInto("applications")
    .values({
      id: ikey,
      account_id: accountId,
      account_is_subaccount: false,
      type: "authapi",
      name: "Bench VPN",
      secret_key_enc: box.seal(skey, ikey),
    })
    .execute();
  const app = await buildApp({
    database: handle,
    secrets: box,
    migrations: await readMigrations(),
    authRequestsPerSecond: 1_000_000,
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
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
  const portOf = (server: { server: http.Server }) => {
    const address = server.server.address();
    return typeof address === "object" && address ? address.port : 0;
  };
  const ready: Ready = {
    gatehouse: portOf(app),
    bare: portOf(bare),
    floor: floor?.port ?? null,
    ikey,
    skey,
    secrets: Object.fromEntries(users.map((u) => [u.username, u.secret])),
  };
  // A clean exit on the parent's signal, so that a --cpu-prof run writes its profile.
  process.once("SIGINT", () => process.exit(0));
  console.log(JSON.stringify(ready));
}

type Post = (path: string, body: string) => Promise<{ status: number; body: string }>;

function poster(
  port: number,
  agent: http.Agent,
  sign: (path: string, body: string) => http.OutgoingHttpHeaders,
): Post {
  return (path, body) =>
    new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port,
          path,
          method: "POST",
          agent,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "content-length": Buffer.byteLength(body),
            ...sign(path, body),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
        },
      );
      request.on("error", reject);
      request.end(body);
    });
}

/**
 * One window: CONCURRENCY clients each repeating `once` until the deadline; its latencies and
 * rate. Unpaced, each client starts again the moment it is answered (the most the server takes).
 * Paced at `perSecond` in all, each client starts on a schedule, and a latency counts from when
 * the request was due, not from when a late client got round to it: a slow answer delays the
 * requests behind it, and those waits are in the figures (no coordinated omission).
 */
async function window(
  ms: number,
  once: () => Promise<void>,
  perSecond?: number,
): Promise<{ rate: number; latencies: number[] }> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + ms;
  const interval = perSecond === undefined ? 0 : (1000 * CONCURRENCY) / perSecond;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, client) => {
      let due = started + (interval * client) / CONCURRENCY;
      while (due < deadline) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const begin = perSecond === undefined ? performance.now() : due;
        await once();
        latencies.push(performance.now() - begin);
        due = perSecond === undefined ? performance.now() : due + interval;
      }
    }),
  );
  return { rate: latencies.length / ((performance.now() - started) / 1000), latencies };
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Each contender's windows: every latency, and each window's rate and p99. */
class Tally {
  readonly latencies: number[] = [];
  readonly rates: number[] = [];
  readonly p99s: number[] = [];

  add(result: { rate: number; latencies: number[] }): void {
    this.latencies.push(...result.latencies);
    this.rates.push(result.rate);
    this.p99s.push(
      quantile(
        [...result.latencies].sort((a, b) => a - b),
        0.99,
      ),
    );
  }

  quantile(q: number): number {
    return round(
      quantile(
        [...this.latencies].sort((a, b) => a - b),
        q,
      ),
      2,
    );
  }

  rateMedian(): number {
    return round(
      quantile(
        [...this.rates].sort((a, b) => a - b),
        0.5,
      ),
    );
  }

  rateRange(): [number, number] {
    return [round(Math.min(...this.rates)), round(Math.max(...this.rates))];
  }

  p99Range(): [number, number] {
    return [round(Math.min(...this.p99s), 2), round(Math.max(...this.p99s), 2)];
  }
}

/** Each user's next unspent code among the steps the server accepts now, users taken in turn. */
function codes(usernames: string[], secrets: Record<string, string>) {
  const totp = new Map(
    usernames.map((name) => [
      name,
      new OTPAuth.TOTP({
        secret: OTPAuth.Secret.fromBase32(secrets[name] ?? ""),
        period: 30,
        digits: 6,
      }),
    ]),
  );
  const lastStep = new Map<string, number>();
  let next = 0;
  return (): { username: string; code: string } => {
    const now = Math.floor(Date.now() / 30_000);
    for (let tries = 0; tries < usernames.length; tries++) {
      const username = usernames[next++ % usernames.length] as string;
      const step = Math.max((lastStep.get(username) ?? -1) + 1, now);
      if (step > now + 1) continue;
      lastStep.set(username, step);
      return { username, code: totp.get(username)?.generate({ timestamp: step * 30_000 }) ?? "" };
    }
    throw new Error("every user has spent the codes of this step: raise USERS");
  };
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
  await withServerChild<Ready, void>(fileURLToPath(import.meta.url), async (ready, engine) => {
    const { canonicalString, sign } = await import("../src/http/duo/canonical.js");
    const { parseQuery } = await import("../src/http/duo/params.js");
    const signer = (path: string, body: string): http.OutgoingHttpHeaders => {
      const date = new Date().toUTCString();
      const canonical = canonicalString(2, {
        date,
        method: "POST",
        host: "127.0.0.1",
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
      poster(ready.gatehouse, agent, signer),
      codes(usernames.slice(0, half), ready.secrets),
      () => failures++,
    );
    const floor =
      ready.floor === null
        ? undefined
        : login(
            poster(ready.floor, agent, signer),
            codes(usernames.slice(half), ready.secrets),
            () => failures++,
          );
    const bareCall = async () => {
      await bare("/bare", "username=x");
    };
    await window(WARM_UP_MS, gatehouse);
    if (floor) await window(WARM_UP_MS, floor);
    await window(1000, bareCall);
    const unpaced = new Tally();
    const pacedTally = new Tally();
    const floorUnpaced = new Tally();
    const floorPaced = new Tally();
    const bareTally = new Tally();
    for (let i = 0; i < ROUNDS; i++) {
      unpaced.add(await window(WINDOW_MS, gatehouse));
      bareTally.add(await window(WINDOW_MS, bareCall));
      pacedTally.add(await window(WINDOW_MS, gatehouse, PACED_PER_SECOND));
      if (floor) {
        floorUnpaced.add(await window(WINDOW_MS, floor));
        floorPaced.add(await window(WINDOW_MS, floor, PACED_PER_SECOND));
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
        ...(floor
          ? {
              floor_auths_per_s_median: floorUnpaced.rateMedian(),
              floor_auths_per_s_range: floorUnpaced.rateRange(),
              floor_paced_p50_ms: floorPaced.quantile(0.5),
              floor_paced_p99_ms: floorPaced.quantile(0.99),
              floor_paced_p99_ms_range: floorPaced.p99Range(),
            }
          : {}),
        bare_route_rps_median: bareTally.rateMedian(),
        bare_route_rps_range: bareTally.rateRange(),
        failed_authentications: failures,
      }),
    );
  });
}

if (process.argv.includes("--serve")) await serve();
else await main();
