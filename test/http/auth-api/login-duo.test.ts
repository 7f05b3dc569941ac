import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { appCode, insertPhone, newBase32Secret } from "../../helpers/factors.js";
import { insertAccount, insertUser } from "../../helpers/fixtures.js";

const run = promisify(execFile);
const LOGIN_DUO = "/usr/sbin/login_duo";
const PAMTESTER = "/usr/bin/pamtester";
const PAM_DUO = "/lib/x86_64-linux-gnu/security/pam_duo.so";
const PTY = path.join(import.meta.dirname, "clients", "in_pty.py");
// .ci/run installs login-duo with apt; a developer machine without it skips, CI never does.
const runs = existsSync(LOGIN_DUO) || process.env.CI !== undefined;
// pam_duo is tested through a PAM service of the test's own, which only root can install.
const runsPam =
  (existsSync(PAM_DUO) && existsSync(PAMTESTER) && process.getuid?.() === 0) ||
  process.env.CI !== undefined;

interface Terminal {
  exit: number;
  output: string;
}

describe.skipIf(!runs)(
  `Debian's login_duo 1.11.3 (duo_unix, /rest/v1 with BSON and v1 signatures) in a pseudo-terminal on ${TEST_ENGINE}`,
  { timeout: 60_000 },
  () => {
    let server: HttpsTestServer;
    let dir: string;
    let unix: Credentials;
    let accountId: string;
    const secret = newBase32Secret();
    const db = () => server.database.handle.db;
    const lastLog = (username: string) =>
      db()
        .selectFrom("authentication_log")
        .select(["result", "reason", "factor", "application_id"])
        .where("username", "=", username)
        .orderBy("id", "desc")
        .executeTakeFirst();

    function config(credentials: Credentials, extra = ""): string {
      const file = path.join(dir, `login_duo-${credentials.ikey}.conf`);
      writeFileSync(
        file,
        `[duo]\nikey = ${credentials.ikey}\nskey = ${credentials.skey}\nhost = localhost:${server.port}\ncafile = ${path.join(dir, "ca.pem")}\n${extra}`,
      );
      chmodSync(file, 0o600);
      return file;
    }

    async function login(
      configFile: string,
      username: string,
      answers: [string, string][],
    ): Promise<Terminal> {
      const { stdout } = await run(
        "/usr/bin/python3",
        [PTY, LOGIN_DUO, "-c", configFile, "-f", username, "/bin/echo", "LOGGED-IN"],
        { env: { ...process.env, PTY_ANSWERS: JSON.stringify(answers) } },
      );
      return JSON.parse(stdout) as Terminal;
    }

    beforeAll(async () => {
      server = await startHttpsServer();
      dir = mkdtempSync(path.join(tmpdir(), "gatehouse-login-duo-"));
      writeFileSync(path.join(dir, "ca.pem"), server.cert);
      accountId = await insertAccount(db(), { name: "Acme" });
      unix = await createCredentials(server, accountId, "unix");
      await db()
        .updateTable("applications")
        .set({ legacy_unix_clients: true })
        .where("id", "=", unix.ikey)
        .execute();
      const alice = await insertUser(db(), accountId, {
        username: "alice",
        realName: "Alice",
        groupIds: [],
      });
      await insertPhone(db(), server.database.secrets, {
        accountId,
        userId: alice,
        totpSecret: secret,
      });
    });
    afterAll(async () => {
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("a right passcode typed at the prompt logs in", async () => {
      const terminal = await login(config(unix), "alice", [["Passcode", appCode(secret)]]);
      expect(terminal.output).toContain("Gatehouse two-factor login for alice");
      expect(terminal.output).toContain("LOGGED-IN");
      expect(terminal.exit).toBe(0);
      expect(await lastLog("alice")).toMatchObject({
        result: "success",
        reason: "valid_passcode",
        factor: "duo_mobile_passcode",
        application_id: unix.ikey,
      });
    });

    it("wrong passcodes are refused at each of the client's three tries, and the login does not happen", async () => {
      const terminal = await login(config(unix), "alice", [
        ["Passcode", "000000"],
        ["Passcode", "000001"],
        ["Passcode", "000002"],
      ]);
      expect(terminal.output).toContain("Incorrect passcode");
      expect(terminal.output).not.toContain("LOGGED-IN");
      expect(terminal.exit).not.toBe(0);
      expect(await lastLog("alice")).toMatchObject({
        result: "denied",
        reason: "invalid_passcode",
      });
    });

    it("a bad signature is a denial, not the client's fail-open: an HTTP 200 with stat FAIL, never a 401", async () => {
      // failmode=safe is duo_unix's default: a 401 or a 5xx at preauth would let the user in.
      const forged = config({ ikey: unix.ikey, skey: "x".repeat(40) }, "failmode = safe\n");
      const terminal = await login(forged, "alice", []);
      expect(terminal.output).not.toContain("LOGGED-IN");
      expect(terminal.output).not.toMatch(/Failsafe/i);
      expect(terminal.exit).not.toBe(0);
    });

    it("an application whose legacy clients are off refuses them, even with the client failing open", async () => {
      const other = await createCredentials(server, accountId, "unix");
      const terminal = await login(config(other, "failmode = safe\n"), "alice", []);
      expect(terminal.output).not.toContain("LOGGED-IN");
      expect(terminal.exit).not.toBe(0);
    });

    it("R-AUTH-3: a disabled user is told so and not let in; a bypass user is let in without a prompt", async () => {
      const dave = await insertUser(db(), accountId, {
        username: "dave",
        realName: "Dave",
        groupIds: [],
      });
      await db().updateTable("users").set({ status: "disabled" }).where("id", "=", dave).execute();
      const disabled = await login(config(unix), "dave", []);
      expect(disabled.output).toContain("Your account is disabled");
      expect(disabled.output).not.toContain("LOGGED-IN");
      const carol = await insertUser(db(), accountId, {
        username: "carol",
        realName: "Carol",
        groupIds: [],
      });
      await db().updateTable("users").set({ status: "bypass" }).where("id", "=", carol).execute();
      const bypass = await login(config(unix), "carol", []);
      expect(bypass.output).not.toContain("Passcode");
      expect(bypass.output).toContain("LOGGED-IN");
      expect(bypass.exit).toBe(0);
    });

    it("R-AUTH-3: a user Gatehouse does not know meets the account's new-user policy (enroll: refused, told to enroll)", async () => {
      const terminal = await login(config(unix), "nobody", []);
      expect(terminal.output).toContain("Enroll a device");
      expect(terminal.output).not.toContain("LOGGED-IN");
      expect(terminal.exit).not.toBe(0);
    });
  },
);

describe.skipIf(!runsPam)(
  `Debian's pam_duo 1.11.3 (libpam-duo) through a PAM service, in a pseudo-terminal, on ${TEST_ENGINE}`,
  { timeout: 60_000 },
  () => {
    let server: HttpsTestServer;
    let dir: string;
    let service: string;
    const secret = newBase32Secret();

    beforeAll(async () => {
      server = await startHttpsServer();
      const db = server.database.handle.db;
      dir = mkdtempSync(path.join(tmpdir(), "gatehouse-pam-duo-"));
      writeFileSync(path.join(dir, "ca.pem"), server.cert);
      const accountId = await insertAccount(db, { name: "Acme" });
      const unix = await createCredentials(server, accountId, "unix");
      await db
        .updateTable("applications")
        .set({ legacy_unix_clients: true })
        .where("id", "=", unix.ikey)
        .execute();
      // pam_duo asks the system for the user: "nobody" exists on every Debian machine.
      const nobody = await insertUser(db, accountId, {
        username: "nobody",
        realName: "Nobody",
        groupIds: [],
      });
      await insertPhone(db, server.database.secrets, {
        accountId,
        userId: nobody,
        totpSecret: secret,
      });
      const conf = path.join(dir, "pam_duo.conf");
      writeFileSync(
        conf,
        `[duo]\nikey = ${unix.ikey}\nskey = ${unix.skey}\nhost = localhost:${server.port}\ncafile = ${path.join(dir, "ca.pem")}\n`,
      );
      chmodSync(conf, 0o600);
      // Linux-PAM lowercases a service's name before it looks for its file.
      service = `gatehouse-test-${randomBytes(6).toString("hex")}`;
      writeFileSync(`/etc/pam.d/${service}`, `auth required pam_duo.so conf=${conf}\n`);
    });
    afterAll(async () => {
      if (service) rmSync(`/etc/pam.d/${service}`, { force: true });
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function authenticate(answers: [string, string][]): Promise<Terminal> {
      const { stdout } = await run(
        "/usr/bin/python3",
        [PTY, PAMTESTER, "-v", service, "nobody", "authenticate"],
        { env: { ...process.env, PTY_ANSWERS: JSON.stringify(answers) } },
      );
      return JSON.parse(stdout) as Terminal;
    }

    it("the right passcode authenticates; a wrong one three times does not", async () => {
      const right = await authenticate([["Passcode", appCode(secret)]]);
      expect(right.output).toContain("successfully authenticated");
      expect(right.exit).toBe(0);
      const wrong = await authenticate([
        ["Passcode", "000000"],
        ["Passcode", "000001"],
        ["Passcode", "000002"],
      ]);
      expect(wrong.output).not.toContain("successfully authenticated");
      expect(wrong.exit).not.toBe(0);
      const log = await server.database.handle.db
        .selectFrom("authentication_log")
        .select(["result", "reason"])
        .where("username", "=", "nobody")
        .orderBy("id")
        .execute();
      expect(log).toEqual([
        { result: "success", reason: "valid_passcode" },
        { result: "denied", reason: "invalid_passcode" },
        { result: "denied", reason: "invalid_passcode" },
        { result: "denied", reason: "invalid_passcode" },
      ]);
    });
  },
);
