import { once } from "node:events";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMigrations } from "../../src/db/migrate.js";
import { totpCode } from "../../src/domain/auth/totp.js";
import { buildApp } from "../../src/http/app.js";
import { redactingLogOptions, redactSecrets } from "../../src/http/redact-url.js";
import { GOOD_PASSWORD } from "../helpers/admins.js";
import { type CliEnvironment, cliEnvironment, runCli, startServer } from "../helpers/cli.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { TEST_ENGINE } from "../helpers/engine.js";

const TOKEN = "Qx7_secret-Token-0123456789abcdefghijklmnop";

/** A stream that keeps every line written to it. */
function memoryStream() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { stream, lines, text: () => lines.join("\n") };
}

describe("redactSecrets (issue 13 item 3)", () => {
  it("issue 13 item 3: replaces the secret of every link kind, wherever it appears in a line (R-ADM-2)", () => {
    expect(redactSecrets(`/activate/${TOKEN}`)).toBe("/activate/[redacted]");
    expect(redactSecrets(`https://gh.example/activate/${TOKEN}?x=1#top`)).toBe(
      "https://gh.example/activate/[redacted]?x=1#top",
    );
    expect(redactSecrets(`/ACTIVATE//${TOKEN}/`)).toBe("/ACTIVATE//[redacted]/");
    expect(redactSecrets(`/sign-in?next=%2F&token=${TOKEN}&x=1`)).toBe(
      "/sign-in?next=%2F&token=[redacted]&x=1",
    );
    expect(redactSecrets(`Route GET:/activate/${TOKEN} not found`)).toBe(
      "Route GET:/activate/[redacted] not found",
    );
    // R-AUTH-5: device activation links, and the activation code a client may send in a query.
    expect(redactSecrets(`/enroll/${TOKEN}/qr.png`)).toBe("/enroll/[redacted]/qr.png");
    const code = encodeURIComponent("otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PXP");
    expect(redactSecrets(`/auth/v2/enroll_status?activation_code=${code}&user_id=DU1`)).toBe(
      "/auth/v2/enroll_status?activation_code=[redacted]&user_id=DU1",
    );
    // Other paths and parameters are left as they are.
    expect(redactSecrets("/api/users?limit=10&tokens=2")).toBe("/api/users?limit=10&tokens=2");
    expect(redactSecrets("/activated/x")).toBe("/activated/x");
  });

  it("issue 13 item 3: the server's pino options redact an error's message and stack, and free text", () => {
    const memory = memoryStream();
    const logger = pino({ level: "info", ...redactingLogOptions }, memory.stream);
    logger.error({ err: new Error(`GET /activate/${TOKEN} failed`) }, "request failed");
    logger.warn(`Reply was already sent for "/activate/${TOKEN}?token=${TOKEN}"`);
    expect(memory.text()).not.toContain(TOKEN);
    expect(memory.text()).toContain("/activate/[redacted]");
    expect(memory.text()).toContain("token=[redacted]");
  });
});

describe(`the app redacts request URLs in whatever logger it is given (issue 13 item 3) on ${TEST_ENGINE}`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it("issue 13 item 3: logger options and a logger instance both log /activate/[redacted]", async () => {
    const fromOptions = memoryStream();
    const fromInstance = memoryStream();
    for (const logger of [
      { level: "info", stream: fromOptions.stream },
      pino({ level: "info" }, fromInstance.stream),
    ]) {
      const app = await buildApp({
        database: database.handle,
        secrets: database.secrets,
        migrations: await readMigrations(),
        logger,
      });
      await app.inject({ method: "GET", url: `/activate/${TOKEN}?token=${TOKEN}` });
      await app.close();
    }
    for (const memory of [fromOptions, fromInstance]) {
      expect(memory.text()).not.toContain(TOKEN);
      const incoming = memory.lines
        .map((line) => JSON.parse(line))
        .find((line) => line.msg === "incoming request");
      expect(incoming?.req.url).toBe("/activate/[redacted]?token=[redacted]");
    }
  });
});

describe(`gatehouse serve's own log after an activation (issue 13 item 3) on ${TEST_ENGINE}`, () => {
  let cli: CliEnvironment;
  beforeAll(async () => {
    cli = await cliEnvironment();
  });
  afterAll(() => cli.close());

  it("issue 13 item 3: the log of a whole activation holds the redacted link, never the token (R-ADM-2)", async () => {
    // The operator asked for the link: `init` prints it to them, and that is its point.
    const init = await runCli(
      ["init", "--name", "Log Test MSP", "--owner-email", "olivia@logtest.example"],
      cli.env,
    );
    expect(init.code, init.stderr).toBe(0);
    const token = /\/activate\/([A-Za-z0-9_-]{20,})/.exec(init.stdout + init.stderr)?.[1] ?? "";
    expect(token).not.toBe("");

    const server = await startServer(cli.env);
    const exited = once(server.child, "exit");
    try {
      const post = (path: string, body: object) =>
        fetch(`${server.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      // The link as a browser opens it (the panel's page), with the token also in a query.
      const page = await fetch(`${server.url}/activate/${token}`);
      expect(page.status).toBeLessThan(500);
      await page.arrayBuffer();
      await (await fetch(`${server.url}/activate/${token}?token=${token}`)).arrayBuffer();
      const shown = await post("/api/auth/activation", { token });
      expect(shown.status).toBe(200);
      const enrollment = await post("/api/auth/activation/password", {
        token,
        password: GOOD_PASSWORD,
      });
      expect(enrollment.status).toBe(200);
      const { secret } = (await enrollment.json()) as { secret: string };
      const done = await post("/api/auth/activation/complete", {
        token,
        code: totpCode(secret, Date.now()),
      });
      expect(done.status).toBe(200);
      // A used link, opened again: refused, and still not logged.
      expect((await post("/api/auth/activation", { token })).status).toBeGreaterThanOrEqual(400);
    } finally {
      server.child.kill("SIGTERM");
      await exited;
    }

    const log = server.output();
    expect(log).toContain('"msg":"incoming request"');
    expect(log).toContain('"url":"/activate/[redacted]"');
    expect(log).toContain('"url":"/activate/[redacted]?token=[redacted]"');
    expect(log).not.toContain(token);
  }, 300_000);
});
