import http from "node:http";
import * as OTPAuth from "otpauth";
import { type CpuMs, cpuNow, cpuSince } from "./cpu.js";

/**
 * The load side of the HTTP benchmarks (bench/auth.ts, bench/prompt.ts): clients in windows,
 * unpaced or paced without coordinated omission, their tallies, and each user's next unspent
 * authenticator code.
 */

export type Post = (path: string, body: string) => Promise<{ status: number; body: string }>;

export function poster(
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
 * One window: `clients` clients each repeating `once` until the deadline; its latencies and
 * rate. Unpaced, each client starts again the moment it is answered (the most the server takes).
 * Paced at `perSecond` in all, each client starts on a schedule, and a latency counts from when
 * the request was due, not from when a late client got round to it: a slow answer delays the
 * requests behind it, and those waits are in the figures (no coordinated omission).
 */
export async function window(
  clients: number,
  ms: number,
  once: () => Promise<void>,
  perSecond?: number,
): Promise<{ rate: number; latencies: number[] }> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + ms;
  const interval = perSecond === undefined ? 0 : (1000 * clients) / perSecond;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      let due = started + (interval * client) / clients;
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

/** A window (see `window`) whose latencies, rate and CPU by process go into `tally`. */
export async function measuredWindow(
  tally: Tally,
  serverPid: number,
  clients: number,
  ms: number,
  once: () => Promise<void>,
  perSecond?: number,
): Promise<void> {
  const before = cpuNow(serverPid);
  const result = await window(clients, ms, once, perSecond);
  tally.add(result, cpuSince(before, serverPid));
}

export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Each contender's windows: every latency, each window's rate and p99, and the CPU they took. */
export class Tally {
  readonly latencies: number[] = [];
  readonly rates: number[] = [];
  readonly p99s: number[] = [];
  readonly cpu: CpuMs = { server: 0, postgres: 0, load: 0 };

  add(result: { rate: number; latencies: number[] }, cpu?: CpuMs): void {
    if (cpu) {
      this.cpu.server += cpu.server;
      this.cpu.postgres += cpu.postgres;
      this.cpu.load += cpu.load;
    }
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

  /** CPU milliseconds per operation, by process (see cpu.ts). */
  cpuPerOperation(): CpuMs {
    const operations = this.latencies.length || 1;
    return {
      server: round(this.cpu.server / operations, 3),
      postgres: round(this.cpu.postgres / operations, 3),
      load: round(this.cpu.load / operations, 3),
    };
  }
}

/** Each user's next unspent code among the steps the server accepts now, users taken in turn. */
export function codes(usernames: string[], secrets: Record<string, string>) {
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
