import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretKey } from "../../src/db/ids.js";
import { createSecretBox, parseSecretKey } from "../../src/db/secrets.js";
import { formOf } from "../helpers/auth-api.js";
import {
  type CliEnvironment,
  cliEnvironment,
  runCli,
  startServer,
  withCliDatabase,
} from "../helpers/cli.js";
import { type Credentials, signedRequest } from "../helpers/duo.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { appCode } from "../helpers/factors.js";
import { insertAccount, insertApplication } from "../helpers/fixtures.js";
import { linkIn, startMailServer, type TestMailServer } from "../helpers/mail.js";

/**
 * R-AUTH-5: `gatehouse serve`, configured by GATEHOUSE_SMTP_* to email its links, never writes an
 * emailed link's token to its log at any level: an enrollment email sent, its page opened and
 * completed, the used link opened again; an administrator's activation link emailed; a message the
 * mail server refuses (logged as a warning, without the message).
 */
describe(`gatehouse serve's log around emailed links on ${TEST_ENGINE}`, () => {
  let cli: CliEnvironment;
  let mail: TestMailServer;
  let env: NodeJS.ProcessEnv;
  let credentials: Credentials;

  beforeAll(async () => {
    [cli, mail] = await Promise.all([cliEnvironment(), startMailServer("none")]);
    env = {
      ...cli.env,
      LOG_LEVEL: "trace",
      GATEHOUSE_SECRET_KEY: cli.env.GATEHOUSE_SECRET_KEY ?? randomBytes(32).toString("hex"),
      GATEHOUSE_SMTP_HOST: "127.0.0.1",
      GATEHOUSE_SMTP_PORT: String(mail.port),
      GATEHOUSE_SMTP_TLS: "none",
      GATEHOUSE_SMTP_FROM: "Gatehouse <mfa@gatehouse.test>",
    };
    if (!env.DATABASE_URL) {
      const migrated = await runCli(["migrate"], env);
      expect(migrated.code, migrated.stderr).toBe(0);
    }
    const secrets = createSecretBox(parseSecretKey(env.GATEHOUSE_SECRET_KEY ?? ""));
    await withCliDatabase(env, async (db) => {
      const accountId = await insertAccount(db, { name: "Redacted Mail Inc" });
      const skey = newSecretKey();
      const ikey = await insertApplication(db, secrets, {
        accountId,
        type: "adminapi",
        secretKey: skey,
        grants: ["adminapi_read_resource", "adminapi_write_resource", "adminapi_admins"],
      });
      credentials = { ikey, skey };
    });
  }, 600_000);
  afterAll(async () => {
    await mail?.close();
    await cli?.close();
  });

  it("R-AUTH-5, R-ADM-2: the log holds /enroll/[redacted] and no emailed token", async () => {
    const server = await startServer(env);
    const exited = once(server.child, "exit");
    const tokens: string[] = [];
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
      const enrolled = await signed("/admin/v1/users/enroll", {
        username: "rita",
        email: "rita@example.com",
      });
      expect(await enrolled.json()).toEqual({ stat: "OK", response: "" });
      const page = new URL(linkIn((await mail.next()).text, "enroll")).pathname;
      tokens.push(page.split("/").pop() ?? "");
      const opened = await fetch(`${server.url}${page}`);
      expect(opened.status).toBe(200);
      const key = /<code>([A-Z2-7 ]+)<\/code>/.exec(await opened.text())?.[1]?.replace(/ /g, "");
      const done = await fetch(`${server.url}${page}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `code=${appCode(key ?? "")}`,
      });
      expect(done.status).toBe(200);
      expect((await fetch(`${server.url}${page}`)).status).toBe(404);

      const admin = await signed("/admin/v1/admins", {
        email: "ada@example.com",
        name: "Ada",
        send_email: "1",
      });
      expect(admin.status).toBe(200);
      const activation = new URL(linkIn((await mail.next()).text, "activate")).pathname;
      tokens.push(activation.split("/").pop() ?? "");
      expect((await fetch(`${server.url}${activation}`)).status).toBeLessThan(500);

      mail.refuseWith({ code: 550, text: "Mailbox unavailable" });
      const refused = await signed("/admin/v1/users/enroll", {
        username: "sam",
        email: "sam@example.com",
      });
      expect(refused.status).toBe(503);
      mail.refuseWith(undefined);
    } finally {
      server.child.kill("SIGTERM");
      await exited;
    }
    const log = server.output();
    expect(log).toContain('"msg":"email delivery configured"');
    expect(log).toContain(`"mail_server":"127.0.0.1:${mail.port}"`);
    expect(log).toContain('"url":"/enroll/[redacted]"');
    expect(log).toContain('"msg":"email not delivered"');
    expect(log).toContain('"response_code":550');
    expect(log).not.toMatch(/\/(enroll|activate)\/+(?!\[redacted\])[A-Za-z0-9_-]{20,}/);
    for (const token of tokens) {
      expect(token.length).toBeGreaterThan(20);
      expect(log).not.toContain(token);
    }
  }, 600_000);
});
