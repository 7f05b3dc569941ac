/**
 * The authorization engine's benchmark (issue 4). Prints progress to stderr and, as its last
 * line, one JSON object of figures. Not a test: nothing here passes or fails on time.
 *
 *   npm run bench:authz
 *
 * Method: decisions are far below the timer's resolution, so each figure times a batch of 1,000
 * consecutive decisions with process.hrtime.bigint() and divides; the median and p99 are over
 * batches. All three engines first answer the same requests and must agree on every one.
 * `lookup_floor_ns_median` times only finding the admin and the account by their string ids on the
 * same requests: the part of a decision no engine can skip, against which the rest can be judged.
 */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { accessSummaryRows, compile, decide } from "../src/authz/index.js";
import { casbinDecider, caslDecider } from "./authz/baselines.js";
import { type BenchRequest, generateRequests, generateTenant } from "./authz/tenant.js";

const REQUESTS = 1_000_000;
/** casbin evaluates an expression per call; a deterministic subsample keeps its run to a minute or so. */
const BASELINE_SAMPLE = 100_000;
const BATCH = 1000;

const log = (message: string) => process.stderr.write(`${message}\n`);

function timeBatches(
  requests: BenchRequest[],
  decideOne: (request: BenchRequest) => boolean,
): { medianNs: number; p99Ns: number; perSecond: number; allowed: number } {
  const perDecision: number[] = [];
  let allowed = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < requests.length; i += BATCH) {
    const end = Math.min(i + BATCH, requests.length);
    const t0 = process.hrtime.bigint();
    for (let j = i; j < end; j++) if (decideOne(requests[j] as BenchRequest)) allowed++;
    perDecision.push(Number(process.hrtime.bigint() - t0) / (end - i));
  }
  const totalNs = Number(process.hrtime.bigint() - started);
  perDecision.sort((a, b) => a - b);
  const at = (q: number) =>
    perDecision[Math.min(perDecision.length - 1, Math.floor(q * perDecision.length))] ?? 0;
  return {
    medianNs: at(0.5),
    p99Ns: at(0.99),
    perSecond: Math.round((requests.length / totalNs) * 1e9),
    allowed,
  };
}

async function summaryFigures(): Promise<{ ms: number; peakRssMb: number; rows: number }> {
  // Its own process, so that the peak RSS is the summary's, not the million requests'.
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", new URL(import.meta.url).pathname, "--summary-only"],
    { encoding: "utf8" },
  );
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}");
}

async function summaryOnly(): Promise<void> {
  const tenant = generateTenant({
    admins: 1000,
    subaccounts: 10_000,
    units: 100,
    users: 0,
    groups: 1000,
    applications: 500,
  });
  const snapshot = compile(tenant.model);
  const out = createWriteStream("/dev/null");
  const started = performance.now();
  let rows = 0;
  for (const row of accessSummaryRows(snapshot)) {
    rows++;
    if (!out.write(`${row}\r\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  const ms = Math.round(performance.now() - started);
  console.log(
    JSON.stringify({ ms, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), rows }),
  );
}

async function main(): Promise<void> {
  log("generating the tenant and the requests");
  const tenant = generateTenant();
  const requests = generateRequests(tenant, REQUESTS);

  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const compileStart = performance.now();
  const snapshot = compile(tenant.model);
  const compileMs = performance.now() - compileStart;
  globalThis.gc?.();
  const compileHeapMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576;

  const gatehouse = (request: BenchRequest) =>
    decide(snapshot, request.principal, request.action, request.target).allow;
  // What any engine pays before deciding anything: finding the admin and the account by string id.
  const lookups = (request: BenchRequest) =>
    snapshot.admins.get(request.adminId)?.active === true &&
    snapshot.accounts.get(request.target.accountId)?.isParent === true;
  log("building the casbin and CASL baselines");
  const casbin = await casbinDecider(tenant.model);
  const casl = caslDecider(tenant.model);

  const step = Math.floor(REQUESTS / BASELINE_SAMPLE);
  const sample = requests.filter((_, i) => i % step === 0).slice(0, BASELINE_SAMPLE);
  log(`checking that the three agree on ${sample.length} requests`);
  for (const request of sample) {
    const answers = [gatehouse(request), casbin(request), casl(request)];
    if (answers[0] !== answers[1] || answers[0] !== answers[2]) {
      throw new Error(
        `disagreement (gatehouse, casbin, casl) = ${answers} on ${JSON.stringify(request)}`,
      );
    }
  }

  log("timing gatehouse on 1,000,000 requests (after a warm-up pass)");
  timeBatches(requests.slice(0, 100_000), gatehouse);
  const g = timeBatches(requests, gatehouse);
  log("timing the two id lookups alone on the same requests (the floor under any engine)");
  timeBatches(requests.slice(0, 100_000), lookups);
  const floor = timeBatches(requests, lookups);
  log("timing casbin and CASL on the sample");
  const c = timeBatches(sample, casbin);
  const a = timeBatches(sample, casl);
  log("access summary, 1,000 admins x 10,000 subaccounts");
  const summary = await summaryFigures();

  const fastest = Math.min(c.medianNs, a.medianNs);
  console.log(
    JSON.stringify({
      requests: REQUESTS,
      baseline_sample: sample.length,
      allowed_share: Number((g.allowed / REQUESTS).toFixed(3)),
      gatehouse_ns_median: Number(g.medianNs.toFixed(1)),
      gatehouse_ns_p99: Number(g.p99Ns.toFixed(1)),
      gatehouse_decisions_per_s: g.perSecond,
      lookup_floor_ns_median: Number(floor.medianNs.toFixed(1)),
      casbin_ns_median: Number(c.medianNs.toFixed(1)),
      casbin_decisions_per_s: c.perSecond,
      casl_ns_median: Number(a.medianNs.toFixed(1)),
      casl_decisions_per_s: a.perSecond,
      speedup_vs_faster_baseline: Number((fastest / g.medianNs).toFixed(1)),
      compile_ms: Number(compileMs.toFixed(1)),
      compile_heap_mb: Number(compileHeapMb.toFixed(1)),
      summary_ms: summary.ms,
      summary_rows: summary.rows,
      summary_peak_rss_mb: summary.peakRssMb,
    }),
  );
}

if (process.argv.includes("--summary-only")) await summaryOnly();
else await main();
