import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretKey } from "../../../src/db/ids.js";
import { createSecretBox, parseSecretKey } from "../../../src/db/secrets.js";
import { formOf } from "../../helpers/auth-api.js";
import {
  type CliEnvironment,
  cliEnvironment,
  runCli,
  startServer,
  withCliDatabase,
} from "../../helpers/cli.js";
import { type Credentials, signedRequest } from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { appCode } from "../../helpers/factors.js";
import { insertAccount, insertApplication } from "../../helpers/fixtures.js";

/**
 * R-AUTH-5: an activation link (/enroll/<token>, what POST /auth/v2/enroll gives out) is a
 * credential, and `gatehouse serve` never writes its token to its log, at any level, whatever is
 * done with it: the page opened, its QR code fetched, a wrong and a right first code, the used link
 * opened again, the token in a query string too. Nor the activation code (the otpauth:// URI with
 * the app's secret) that enroll_status takes.
 */
describe(`gatehouse serve's log around a device activation link on ${TEST_ENGINE}`, () => {
  let cli: CliEnvironment;
  let env: NodeJS.ProcessEnv;
  let credentials: Credentials;

  beforeAll(async () => {
    cli = await cliEnvironment();
    env = {
      ...cli.env,
      LOG_LEVEL: "trace",
      GATEHOUSE_SECRET_KEY: cli.env.GATEHOUSE_SECRET_KEY ?? randomBytes(32).toString("hex"),
    };
    if (!env.DATABASE_URL) {
      const migrated = await runCli(["migrate"], env);
      expect(migrated.code, migrated.stderr).toBe(0);
    }
    const secrets = createSecretBox(parseSecretKey(env.GATEHOUSE_SECRET_KEY ?? ""));
    await withCliDatabase(env, async (db) => {
      const accountId = await insertAccount(db, { name: "Redacted Inc" });
      const skey = newSecretKey();
      const ikey = await insertApplication(db, secrets, {
        accountId,
        type: "authapi",
        secretKey: skey,
      });
      credentials = { ikey, skey };
    });
  }, 600_000);
  afterAll(() => cli?.close());

  it("R-AUTH-5: the log of a whole activation holds /enroll/[redacted], never the token or the activation code", async () => {
    const server = await startServer(env);
    const exited = once(server.child, "exit");
    let token = "";
    let activationCode = "";
    try {
      const signed = (path: string, params: Record<string, string>) => {
        const request = signedRequest({
          ...credentials,
          method: "POST",
          url: path,
          body: formOf(params),
          contentType: "application/x-www-form-urlencoded",
        });
        const { host: _, ...headers } = request.headers;
        return fetch(`${server.url}${path}`, { method: "POST", headers, body: request.payload });
      };
      const enrolled = (await (await signed("/auth/v2/enroll", { username: "rita" })).json()) as {
        response: {
          activation_url: string;
          activation_barcode: string;
          activation_code: string;
          user_id: string;
        };
      };
      const page = new URL(enrolled.response.activation_url).pathname;
      token = /^\/enroll\/([A-Za-z0-9_-]+)$/.exec(page)?.[1] ?? "";
      activationCode = enrolled.response.activation_code;
      expect(token).not.toBe("");

      const opened = await fetch(`${server.url}${page}`);
      expect(opened.status).toBe(200);
      const html = await opened.text();
      const key = /<code>([A-Z2-7 ]+)<\/code>/.exec(html)?.[1]?.replace(/ /g, "") ?? "";
      expect(key).not.toBe("");
      await (
        await fetch(`${server.url}${new URL(enrolled.response.activation_barcode).pathname}`)
      ).arrayBuffer();
      await (await fetch(`${server.url}${page}?token=${token}`)).arrayBuffer();
      await (await fetch(`${server.url}${page}x/qr.png`)).arrayBuffer();
      const post = (code: string) =>
        fetch(`${server.url}${page}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: `code=${code}`,
        });
      expect((await post("000000")).status).toBe(400);
      expect((await post(appCode(key))).status).toBe(200);
      const status = (await (
        await signed("/auth/v2/enroll_status", {
          user_id: enrolled.response.user_id,
          activation_code: activationCode,
        })
      ).json()) as { response: string };
      expect(status.response).toBe("success");
      // The used link, opened again: refused, and still not logged.
      expect((await fetch(`${server.url}${page}`)).status).toBe(404);
    } finally {
      server.child.kill("SIGTERM");
      await exited;
    }
    const log = server.output();
    expect(log).toContain('"msg":"incoming request"');
    expect(log).toContain('"url":"/enroll/[redacted]"');
    expect(log).toContain('"url":"/enroll/[redacted]/qr.png"');
    expect(log).toContain('"url":"/enroll/[redacted]?token=[redacted]"');
    expect(log).not.toContain(token);
    expect(log).not.toContain(activationCode);
    expect(log).not.toContain(encodeURIComponent(activationCode));
  }, 600_000);
});
