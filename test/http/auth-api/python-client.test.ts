import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  startHttpsServer,
} from "../../helpers/duo.js";
import { duoPythonRuns } from "../../helpers/duo-python.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import {
  appCode,
  hotpCode,
  insertBypassCode,
  insertPhone,
  insertToken,
  newBase32Secret,
  startSmsGateway,
  yubikeyOtp,
} from "../../helpers/factors.js";
import { insertAccount, insertUser } from "../../helpers/fixtures.js";
import { type PythonRpc, startPythonRpc } from "../../helpers/python-rpc.js";

type Preauth = {
  result: string;
  status_msg: string;
  devices?: { device: string; capabilities: string[] }[];
};
type Auth = { result: string; status: string; status_msg: string };

describe.skipIf(!duoPythonRuns)(
  `Duo's Python client (duo_client.Auth, python3-duo-client 4.5.0) against the Auth API on ${TEST_ENGINE}`,
  { timeout: 60_000 },
  () => {
    let server: HttpsTestServer;
    let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
    let caDir: string;
    let sha1: PythonRpc;
    let sha512: PythonRpc;
    let app: Credentials;
    let accountId: string;
    const appSecret = newBase32Secret();
    const hotpSecret = "3132333435363738393031323334353637383930";
    const yubikey = {
      aesKey: "ecde18dbe76fbd0c33330f1c354871db",
      privateId: "8792ebfe26cc",
      publicId: "ccccccbcgujh",
    };
    const db = () => server.database.handle.db;
    const user = (username: string) =>
      insertUser(db(), accountId, { username, realName: username, groupIds: [] });

    beforeAll(async () => {
      [server, gateway] = await Promise.all([startHttpsServer(), startSmsGateway()]);
      caDir = mkdtempSync(path.join(tmpdir(), "gatehouse-ca-"));
      const caFile = path.join(caDir, "cert.pem");
      writeFileSync(caFile, server.cert);
      accountId = await insertAccount(db(), { name: "Acme" });
      await db()
        .updateTable("account_settings")
        .set({ sms_gateway_url: gateway.url, user_lockout_threshold: 3 })
        .where("account_id", "=", accountId)
        .execute();
      app = await createCredentials(server, accountId, "authapi");
      const secrets = server.database.secrets;
      const alice = await user("alice");
      await insertPhone(db(), secrets, { accountId, userId: alice, totpSecret: appSecret });
      await user("bob");
      const carol = await user("carol");
      const dave = await user("dave");
      const erin = await user("erin");
      await db().updateTable("users").set({ status: "bypass" }).where("id", "=", carol).execute();
      await db().updateTable("users").set({ status: "disabled" }).where("id", "=", dave).execute();
      await db()
        .updateTable("users")
        .set({ status: "locked out" })
        .where("id", "=", erin)
        .execute();
      for (const id of [dave, erin])
        await insertPhone(db(), secrets, { accountId, userId: id, totpSecret: newBase32Secret() });
      const frank = await user("frank");
      await insertToken(db(), secrets, {
        accountId,
        userId: frank,
        type: "h6",
        secret: hotpSecret,
      });
      await insertToken(db(), secrets, { accountId, userId: frank, type: "yk", ...yubikey });
      await insertPhone(db(), secrets, { accountId, userId: frank, number: "+15551230100" });
      await insertBypassCode(db(), { accountId, userId: frank, code: "123456789" });
      const env = (digest: string) => ({
        ...process.env,
        DUO_PORT: String(server.port),
        DUO_CA: caFile,
        DUO_IKEY: app.ikey,
        DUO_SKEY: app.skey,
        DUO_DIGEST: digest,
      });
      const script = path.join(import.meta.dirname, "clients", "auth_rpc.py");
      sha1 = startPythonRpc(script, env("sha1"));
      sha512 = startPythonRpc(script, env("sha512"));
    });
    afterAll(async () => {
      await Promise.all([sha1?.close(), sha512?.close()]);
      await Promise.all([server?.close(), gateway?.close()]);
      if (caDir) rmSync(caDir, { recursive: true, force: true });
    });

    it("ping and check answer the server's time, signed with HMAC-SHA1 and HMAC-SHA512", async () => {
      for (const client of [sha1, sha512]) {
        const now = Math.floor(Date.now() / 1000);
        const ping = await client.call<{ time: number }>("ping");
        const check = await client.call<{ time: number }>("check");
        expect(Math.abs(ping.time - now)).toBeLessThan(5);
        expect(Math.abs(check.time - now)).toBeLessThan(5);
      }
    });

    it("R-AUTH-3: preauth for an enrolled, an unenrolled, a bypass, a disabled and a locked-out user", async () => {
      const alice = await sha1.call<Preauth>("preauth", { username: "alice" });
      expect(alice.result).toBe("auth");
      expect(alice.devices).toEqual([expect.objectContaining({ capabilities: ["mobile_otp"] })]);
      expect(await sha1.call<Preauth>("preauth", { username: "bob" })).toMatchObject({
        result: "enroll",
      });
      expect(await sha1.call<Preauth>("preauth", { username: "carol" })).toMatchObject({
        result: "allow",
      });
      expect(await sha1.call<Preauth>("preauth", { username: "dave" })).toMatchObject({
        result: "deny",
      });
      expect(await sha512.call<Preauth>("preauth", { username: "erin" })).toMatchObject({
        result: "deny",
      });
      const log = await db()
        .selectFrom("authentication_log")
        .select(["username", "result", "reason"])
        .where("account_id", "=", accountId)
        .orderBy("id")
        .execute();
      expect(log).toEqual([
        { username: "bob", result: "denied", reason: "deny_unenrolled_user" },
        { username: "carol", result: "success", reason: "bypass_user" },
        { username: "dave", result: "denied", reason: "user_disabled" },
        { username: "erin", result: "denied", reason: "locked_out" },
      ]);
    });

    it("R-AUTH-2: a TOTP passcode from the authenticator app logs in once; its replay is refused", async () => {
      const code = appCode(appSecret);
      const first = await sha1.call<Auth>("auth", {
        factor: "passcode",
        username: "alice",
        passcode: code,
      });
      expect(first).toMatchObject({ result: "allow", status: "allow" });
      const again = await sha1.call<Auth>("auth", {
        factor: "passcode",
        username: "alice",
        passcode: code,
      });
      expect(again).toMatchObject({ result: "deny", status: "deny" });
    });

    it("R-AUTH-2: a hardware token's HOTP code, a YubiKey OTP and a bypass code, each once", async () => {
      const hotp = hotpCode(hotpSecret, 3);
      expect(
        await sha1.call<Auth>("auth", { factor: "passcode", username: "frank", passcode: hotp }),
      ).toMatchObject({ result: "allow" });
      expect(
        await sha1.call<Auth>("auth", { factor: "passcode", username: "frank", passcode: hotp }),
      ).toMatchObject({ result: "deny" });
      const otp = yubikeyOtp({ ...yubikey, counter: 5, use: 1 });
      expect(
        await sha512.call<Auth>("auth", { factor: "passcode", username: "frank", passcode: otp }),
      ).toMatchObject({ result: "allow" });
      expect(
        await sha512.call<Auth>("auth", { factor: "passcode", username: "frank", passcode: otp }),
      ).toMatchObject({ result: "deny" });
      expect(
        await sha1.call<Auth>("auth", {
          factor: "passcode",
          username: "frank",
          passcode: "123456789",
        }),
      ).toMatchObject({ result: "allow" });
      expect(
        await sha1.call<Auth>("auth", {
          factor: "passcode",
          username: "frank",
          passcode: "123456789",
        }),
      ).toMatchObject({ result: "deny" });
      const factors = await db()
        .selectFrom("authentication_log")
        .select(["factor", "result"])
        .where("username", "=", "frank")
        .orderBy("id")
        .execute();
      expect(factors).toEqual([
        { factor: "hardware_token", result: "success" },
        { factor: "passcode", result: "denied" },
        { factor: "yubikey_code", result: "success" },
        { factor: "passcode", result: "denied" },
        { factor: "bypass_code", result: "success" },
        { factor: "passcode", result: "denied" },
      ]);
    });

    it("R-AUTH-2: an SMS passcode, read from the account's gateway, logs in once; the message is in the telephony log", async () => {
      const sent = await sha1.call<Auth>("auth", {
        factor: "sms",
        username: "frank",
        device: "auto",
      });
      expect(sent).toMatchObject({ result: "deny", status: "sent" });
      const message = gateway.messages.at(-1);
      expect(message?.method).toBe("POST");
      const body = JSON.parse(message?.body ?? "{}") as { to: string; message: string };
      expect(body.to).toBe("+15551230100");
      const code = /(\d{7})/.exec(body.message)?.[1] ?? "";
      expect(
        await sha1.call<Auth>("auth", { factor: "passcode", username: "frank", passcode: code }),
      ).toMatchObject({ result: "allow" });
      expect(
        await sha1.call<Auth>("auth", { factor: "passcode", username: "frank", passcode: code }),
      ).toMatchObject({ result: "deny" });
      const telephony = await db()
        .selectFrom("telephony_log")
        .selectAll()
        .where("account_id", "=", accountId)
        .execute();
      expect(telephony).toEqual([
        expect.objectContaining({ type: "sms", phone_number: "+15551230100", credits: 1 }),
      ]);
    });

    it("async auth returns a txid that auth_status answers with the final result at the first poll", async () => {
      const { txid } = await sha1.call<{ txid: string }>("auth", {
        factor: "passcode",
        username: "alice",
        passcode: appCode(appSecret, Date.now() + 30_000),
        async_txn: true,
      });
      const status = await sha1.call<{ waiting: boolean; success: boolean; status: string }>(
        "auth_status",
        { txid },
      );
      expect(status).toMatchObject({ waiting: false, success: true, status: "allow" });
    });

    it("enroll makes a user with an activation link; enroll_status waits until a first code is proven on the link's page", async () => {
      const enrollment = await sha1.call<{
        activation_code: string;
        activation_url: string;
        activation_barcode: string;
        user_id: string;
        username: string;
        bypass_codes: string[];
      }>("enroll", { username: "grace", valid_secs: 3600, bypass_codes: 2 });
      expect(enrollment.username).toBe("grace");
      expect(enrollment.activation_code).toMatch(/^otpauth:\/\/totp\//);
      expect(enrollment.bypass_codes).toHaveLength(2);
      const status = () =>
        sha1.call("enroll_status", {
          user_id: enrollment.user_id,
          activation_code: enrollment.activation_code,
        });
      expect(await status()).toBe("waiting");
      const secret = new URL(enrollment.activation_code).searchParams.get("secret") ?? "";
      const page = new URL(enrollment.activation_url);
      const confirmed = await server.app.inject({
        method: "POST",
        url: page.pathname,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: `code=${appCode(secret)}`,
      });
      expect(confirmed.statusCode).toBe(200);
      expect(await status()).toBe("success");
      const preauth = await sha1.call<Preauth>("preauth", { username: "grace" });
      expect(preauth.devices).toEqual([expect.objectContaining({ capabilities: ["mobile_otp"] })]);
      const code = appCode(secret, Date.now() + 30_000);
      expect(
        await sha1.call<Auth>("auth", { factor: "passcode", username: "grace", passcode: code }),
      ).toMatchObject({ result: "allow" });
    });

    it("R-AUTH-3: wrong passcodes lock the user out at the account's threshold; then even a right one is refused", async () => {
      const harry = await user("harry");
      const secret = newBase32Secret();
      await insertPhone(db(), server.database.secrets, {
        accountId,
        userId: harry,
        totpSecret: secret,
      });
      for (let i = 0; i < 3; i++)
        expect(
          await sha1.call<Auth>("auth", {
            factor: "passcode",
            username: "harry",
            passcode: "000000",
          }),
        ).toMatchObject({ result: "deny" });
      const right = await sha1.call<Auth>("auth", {
        factor: "passcode",
        username: "harry",
        passcode: appCode(secret),
      });
      expect(right).toMatchObject({ result: "deny", status: "locked_out" });
      expect(await sha1.call<Preauth>("preauth", { username: "harry" })).toMatchObject({
        result: "deny",
      });
    });

    it("a user logs in by an alias too, case-insensitively, as Duo's usernames are compared", async () => {
      const ivan = await user("ivan");
      await db()
        .updateTable("users")
        .set({ aliases: ["Ivan.Petrov"] })
        .where("id", "=", ivan)
        .execute();
      const secret = newBase32Secret();
      await insertPhone(db(), server.database.secrets, {
        accountId,
        userId: ivan,
        totpSecret: secret,
      });
      expect(await sha1.call<Preauth>("preauth", { username: "IVAN.petrov" })).toMatchObject({
        result: "auth",
      });
      const auth = await sha1.call<Auth>("auth", {
        factor: "passcode",
        username: "ivan.petrov",
        passcode: appCode(secret),
      });
      expect(auth).toMatchObject({ result: "allow" });
      const logged = await db()
        .selectFrom("authentication_log")
        .select("user_id")
        .where("user_id", "=", ivan)
        .execute();
      expect(logged).toHaveLength(1);
    });

    it("push and phone calls are refused as for a device without them (400, no capable device)", async () => {
      await expect(
        sha1.call("auth", { factor: "push", username: "alice", device: "auto" }),
      ).rejects.toThrow(/400 Invalid request parameters \(no capable device\)/);
      await expect(
        sha1.call("auth", { factor: "phone", username: "alice", device: "auto" }),
      ).rejects.toThrow(/no capable device/);
    });
  },
);
