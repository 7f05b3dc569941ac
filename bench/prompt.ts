import http from "node:http";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";
import { codes, measuredWindow, Tally, window } from "./support/load.js";
import { withServerChild } from "./support/server-child.js";

/**
 * Issue 15's benchmark: complete Universal Prompt logins a second with a passcode, each as a
 * browser and a Web SDK application make it: authorize (the application's signed request),
 * the prompt page, the passcode posted, and the code exchanged for the signed result (with the
 * application's client assertion). Unpaced at 16 clients, then paced at 200 a second for the
 * latency (measured from when each login was due). The bare route in the same run, interleaved.
 * Plain HTTP on loopback: TLS is the reverse proxy's cost, the same for every contender.
 */
const CONCURRENCY = 16;
const PACED_PER_SECOND = 200;
const ROUNDS = 6;
const WINDOW_MS = 2000;
const WARM_UP_MS = 3000;
/** Each user logs in at most twice a 30-second step (bench/auth.ts's codes): 20,000 carry 600/s. */
const USERS = 20_000;
const REDIRECT = "https://app.example.test/duo-callback";

interface Ready {
  gatehouse: number;
  bare: number;
  clientId: string;
  clientSecret: string;
  secrets: Record<string, string>;
}

async function serve(): Promise<void> {
  const { default: Fastify } = await import("fastify");
  const { insertBenchApplication, listenGatehouse, openBenchAccount, portOf, seedAppUsers } =
    await import("./support/bench-account.js");
  const { handle, secrets: box, accountId } = await openBenchAccount();
  const users = await seedAppUsers(handle.db, box, accountId, USERS);
  const { id: clientId, secret: clientSecret } = await insertBenchApplication(
    handle.db,
    box,
    accountId,
    "websdk",
    "Bench portal",
  );
  const gatehouse = await listenGatehouse(handle, box);
  const bare = Fastify();
  bare.get("/bare", async () => ({ stat: "OK" }));
  await bare.listen({ host: "127.0.0.1", port: 0 });
  const ready: Ready = {
    gatehouse,
    bare: portOf(bare.server),
    clientId,
    clientSecret,
    secrets: Object.fromEntries(users.map((u) => [u.username, u.secret])),
  };
  process.once("SIGINT", () => process.exit(0));
  console.log(JSON.stringify(ready));
}

interface Answer {
  status: number;
  location: string;
  cookie: string;
  body: string;
}

function call(
  port: number,
  agent: http.Agent,
  method: string,
  path: string,
  options: { cookie?: string; form?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method,
        agent,
        headers: {
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...(options.form === undefined
            ? {}
            : {
                "content-type": "application/x-www-form-urlencoded",
                "content-length": Buffer.byteLength(options.form),
              }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            location: response.headers.location ?? "",
            cookie: (response.headers["set-cookie"]?.[0] ?? "").split(";")[0] ?? "",
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    request.on("error", reject);
    request.end(options.form);
  });
}

/** What the application signs: the request object and its client assertions (research/auth-protocols.md §3). */
function application(ready: Ready, port: number) {
  const key = new TextEncoder().encode(ready.clientSecret);
  const base = `https://127.0.0.1:${port}`;
  const now = () => Math.floor(Date.now() / 1000);
  return {
    request: (username: string, state: string) =>
      new SignJWT({
        response_type: "code",
        scope: "openid",
        exp: now() + 300,
        client_id: ready.clientId,
        redirect_uri: REDIRECT,
        state,
        duo_uname: username,
        iss: ready.clientId,
        aud: base,
        use_duo_code_attribute: true,
      })
        .setProtectedHeader({ alg: "HS512" })
        .sign(key),
    assertion: () =>
      new SignJWT({
        iss: ready.clientId,
        sub: ready.clientId,
        aud: `${base}/oauth/v1/token`,
        jti: crypto.randomUUID(),
        iat: now(),
        exp: now() + 300,
      })
        .setProtectedHeader({ alg: "HS512" })
        .sign(key),
  };
}

/**
 * The prompt's page as a phone would meet it: the JavaScript it loads (gzipped, budget 60 KB) and,
 * in Chromium, the time from navigation to DOMContentLoaded (its scripts are deferred, so they have
 * run by then and every form works: the page is interactive), for the heaviest page (enrolling: a
 * QR code and the security-key scripts) and the usual one (a passcode, no script), medians of 10.
 */
async function pageFigures(ready: Ready, signer: ReturnType<typeof application>) {
  const { gzipSync } = await import("node:zlib");
  const { chromium } = await import("playwright-core");
  const base = `http://127.0.0.1:${ready.gatehouse}`;
  let jsBytes = 0;
  for (const file of ["webauthn.js", "prompt.js"]) {
    const body = Buffer.from(await (await fetch(`${base}/prompt/assets/${file}`)).arrayBuffer());
    jsBytes += gzipSync(body).length;
  }
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  const timings: Record<"enroll" | "passcode", number[]> = { enroll: [], passcode: [] };
  try {
    const usernames = Object.keys(ready.secrets);
    for (let i = 0; i < 10; i++) {
      for (const kind of ["enroll", "passcode"] as const) {
        const username = kind === "enroll" ? `newcomer${i}` : (usernames[i] ?? "");
        const state = crypto.randomUUID().replaceAll("-", "");
        const query = new URLSearchParams({
          response_type: "code",
          client_id: ready.clientId,
          request: await signer.request(username, state),
          redirect_uri: REDIRECT,
          scope: "openid",
        });
        const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
        const tab = await context.newPage();
        await tab.goto(`${base}/oauth/v1/authorize?${query}`, { waitUntil: "load" });
        timings[kind].push(
          await tab.evaluate(() => {
            const [navigation] = performance.getEntriesByType(
              "navigation",
            ) as PerformanceNavigationTiming[];
            return navigation ? navigation.domContentLoadedEventEnd : Number.NaN;
          }),
        );
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return Number((sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1));
  };
  return {
    prompt_js_gzip_kb: Number((jsBytes / 1024).toFixed(1)),
    prompt_js_budget_kb: 60,
    enroll_page_interactive_ms_median: median(timings.enroll),
    passcode_page_interactive_ms_median: median(timings.passcode),
  };
}

async function main(): Promise<void> {
  await withServerChild<Ready, void>(
    fileURLToPath(import.meta.url),
    async (ready, engine, serverPid) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const signer = application(ready, ready.gatehouse);
      const nextCode = codes(Object.keys(ready.secrets), ready.secrets);
      let failures = 0;
      const login = async () => {
        const { username, code } = nextCode();
        const state = crypto.randomUUID().replaceAll("-", "");
        const query = new URLSearchParams({
          response_type: "code",
          client_id: ready.clientId,
          request: await signer.request(username, state),
          redirect_uri: REDIRECT,
          scope: "openid",
        });
        const get = (path: string, cookie?: string) =>
          call(ready.gatehouse, agent, "GET", path, { cookie });
        const authorize = await get(`/oauth/v1/authorize?${query}`);
        const page = await get(authorize.location, authorize.cookie);
        const posted = await call(
          ready.gatehouse,
          agent,
          "POST",
          `${authorize.location}/passcode`,
          {
            cookie: authorize.cookie,
            form: `passcode=${code}`,
          },
        );
        const duoCode = new URL(posted.location || "https://x/").searchParams.get("duo_code") ?? "";
        const token = await call(ready.gatehouse, agent, "POST", "/oauth/v1/token", {
          form: new URLSearchParams({
            grant_type: "authorization_code",
            code: duoCode,
            redirect_uri: REDIRECT,
            client_id: ready.clientId,
            client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            client_assertion: await signer.assertion(),
          }).toString(),
        });
        const payload = (JSON.parse(token.body) as { id_token?: string }).id_token?.split(".")[1];
        const result = payload
          ? (JSON.parse(Buffer.from(payload, "base64url").toString()) as {
              auth_result?: { result?: string };
            })
          : {};
        if (page.status !== 200 || result.auth_result?.result !== "allow") failures++;
      };
      const bare = async () => {
        await call(ready.bare, agent, "GET", "/bare");
      };
      await window(CONCURRENCY, WARM_UP_MS, login);
      await window(CONCURRENCY, 1000, bare);
      const unpaced = new Tally();
      const paced = new Tally();
      const bareTally = new Tally();
      const measured = (tally: Tally, once: () => Promise<void>, perSecond?: number) =>
        measuredWindow(tally, serverPid, CONCURRENCY, WINDOW_MS, once, perSecond);
      for (let i = 0; i < ROUNDS; i++) {
        await measured(unpaced, login);
        await measured(bareTally, bare);
        await measured(paced, login, PACED_PER_SECOND);
      }
      const page = await pageFigures(ready, signer);
      console.log(
        JSON.stringify({
          engine,
          concurrency: CONCURRENCY,
          rounds: ROUNDS,
          window_ms: WINDOW_MS,
          prompt_logins_per_s_median: unpaced.rateMedian(),
          prompt_logins_per_s_range: unpaced.rateRange(),
          prompt_login_p50_ms: unpaced.quantile(0.5),
          prompt_login_p99_ms: unpaced.quantile(0.99),
          paced_per_s: PACED_PER_SECOND,
          paced_achieved_per_s_median: paced.rateMedian(),
          paced_p50_ms: paced.quantile(0.5),
          paced_p99_ms: paced.quantile(0.99),
          paced_p99_ms_range: paced.p99Range(),
          cpu_ms_per_login: unpaced.cpuPerOperation(),
          bare_route_rps_median: bareTally.rateMedian(),
          failed_logins: failures,
          ...page,
        }),
      );
    },
  );
}

if (process.argv.includes("--serve")) await serve();
else await main();
