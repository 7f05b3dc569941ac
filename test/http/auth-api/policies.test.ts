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
  insertBypassCode,
  insertPhone,
  newBase32Secret,
  startSmsGateway,
} from "../../helpers/factors.js";
import {
  insertAccount,
  insertGroup,
  insertPolicy,
  insertUser,
  setGlobalPolicy,
} from "../../helpers/fixtures.js";
import { type PythonRpc, startPythonRpc } from "../../helpers/python-rpc.js";

type Preauth = {
  result: string;
  status_msg: string;
  devices?: { device: string; capabilities: string[] }[];
};
type Auth = { result: string; status: string; status_msg: string };

/**
 * R-POL-1 and R-POL-2 at every authentication, through Duo's Python client (duo_client.Auth,
 * python3-duo-client 4.5.0) unchanged, over HTTPS: the global policy, an application's policy and
 * a group's policy within that application, each deciding what it sets, and the authentication log
 * naming the policy and the setting that decided (R-AUTH-4).
 */
describe.skipIf(!duoPythonRuns)(
  `policies at every authentication, through Duo's Python Auth client, on ${TEST_ENGINE}`,
  { timeout: 60_000 },
  () => {
    let server: HttpsTestServer;
    let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
    let caDir: string;
    let accountId: string;
    let vpn: Credentials;
    let wiki: Credentials;
    let onVpn: PythonRpc;
    let onWiki: PythonRpc;
    let globalKey: string;
    let contractors: string;
    const secret = newBase32Secret();
    const db = () => server.database.handle.db;
    const user = (username: string, groupIds: string[] = []) =>
      insertUser(db(), accountId, { username, realName: username, groupIds });
    /** The log's newest record for `username`, with the policy that decided it. */
    const lastLog = (username: string) =>
      db()
        .selectFrom("authentication_log")
        .select(["result", "reason", "factor", "policy_key", "policy_name", "policy_section"])
        .where("account_id", "=", accountId)
        .where("username", "=", username)
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      [server, gateway] = await Promise.all([startHttpsServer(), startSmsGateway()]);
      caDir = mkdtempSync(path.join(tmpdir(), "gatehouse-ca-"));
      const caFile = path.join(caDir, "cert.pem");
      writeFileSync(caFile, server.cert);
      accountId = await insertAccount(db(), { name: "Policy Corp" });
      await db()
        .updateTable("account_settings")
        .set({ sms_gateway_url: gateway.url, user_lockout_threshold: 5 })
        .where("account_id", "=", accountId)
        .execute();
      globalKey = (
        await db()
          .selectFrom("policies")
          .select("id")
          .where("account_id", "=", accountId)
          .where("is_global", "=", true)
          .executeTakeFirstOrThrow()
      ).id;
      vpn = await createCredentials(server, accountId, "authapi");
      wiki = await createCredentials(server, accountId, "authapi");
      contractors = await insertGroup(db(), accountId, "Contractors");
      const secrets = server.database.secrets;
      const alice = await user("alice");
      await insertPhone(db(), secrets, {
        accountId,
        userId: alice,
        totpSecret: secret,
        number: "+15551230111",
      });
      await insertBypassCode(db(), { accountId, userId: alice, code: "246813579" });
      const carl = await user("carl", [contractors]);
      await insertPhone(db(), secrets, { accountId, userId: carl, totpSecret: newBase32Secret() });
      const rpc = (app: Credentials) =>
        startPythonRpc(path.join(import.meta.dirname, "clients", "auth_rpc.py"), {
          ...process.env,
          DUO_PORT: String(server.port),
          DUO_CA: caFile,
          DUO_IKEY: app.ikey,
          DUO_SKEY: app.skey,
          DUO_DIGEST: "sha512",
        });
      onVpn = rpc(vpn);
      onWiki = rpc(wiki);
    });
    afterAll(async () => {
      await Promise.all([onVpn?.close(), onWiki?.close()]);
      await Promise.all([server?.close(), gateway?.close()]);
      if (caDir) rmSync(caDir, { recursive: true, force: true });
    });

    it("the new-user policy: an unknown user is sent to enroll, then denied, then let through, as the global policy says", async () => {
      expect(await onWiki.call<Preauth>("preauth", { username: "newbie" })).toMatchObject({
        result: "enroll",
      });
      await setGlobalPolicy(db(), accountId, { new_user: { new_user_behavior: "deny" } });
      expect(await onWiki.call<Preauth>("preauth", { username: "newbie" })).toMatchObject({
        result: "deny",
      });
      expect(await lastLog("newbie")).toEqual({
        result: "denied",
        reason: "deny_unenrolled_user",
        factor: "not_available",
        policy_key: globalKey,
        policy_name: "Global Policy",
        policy_section: "new_user",
      });
      await setGlobalPolicy(db(), accountId, { new_user: { new_user_behavior: "no-mfa" } });
      expect(await onWiki.call<Preauth>("preauth", { username: "newbie" })).toMatchObject({
        result: "allow",
      });
      expect(await lastLog("newbie")).toMatchObject({
        result: "success",
        reason: "allow_unenrolled_user",
        policy_section: "new_user",
      });
      await setGlobalPolicy(db(), accountId, { new_user: { new_user_behavior: "enroll" } });
    });

    it("R-POL-1: an application's policy decides for that application only; a group's within it, for its members only", async () => {
      const vpnPolicy = await insertPolicy(db(), accountId, {
        name: "VPN strict",
        sections: { new_user: { new_user_behavior: "deny" } },
        applicationIds: [vpn.ikey],
      });
      const contractorPolicy = await insertPolicy(db(), accountId, {
        name: "No contractors on the VPN",
        sections: { authentication_policy: { user_auth_behavior: "deny" } },
        groups: [{ applicationId: vpn.ikey, groupId: contractors }],
      });
      // The VPN's policy denies the unknown; the wiki still has the global "enroll".
      expect(await onVpn.call<Preauth>("preauth", { username: "stranger" })).toMatchObject({
        result: "deny",
      });
      expect(await lastLog("stranger")).toMatchObject({
        policy_key: vpnPolicy,
        policy_name: "VPN strict",
        policy_section: "new_user",
      });
      expect(await onWiki.call<Preauth>("preauth", { username: "stranger" })).toMatchObject({
        result: "enroll",
      });
      // Carl is a contractor: denied on the VPN by the group's policy, asked for a factor on the wiki.
      const denied = await onVpn.call<Preauth>("preauth", { username: "carl" });
      expect(denied).toMatchObject({ result: "deny" });
      expect(denied.status_msg).toContain("policy does not allow you to log in");
      expect(await lastLog("carl")).toMatchObject({
        result: "denied",
        reason: "deny_by_policy",
        policy_key: contractorPolicy,
        policy_section: "authentication_policy",
      });
      expect(await onWiki.call<Preauth>("preauth", { username: "carl" })).toMatchObject({
        result: "auth",
      });
      // Alice is no contractor: the VPN asks her for a factor, and her passcode logs her in.
      expect(await onVpn.call<Preauth>("preauth", { username: "alice" })).toMatchObject({
        result: "auth",
      });
      expect(
        await onVpn.call<Auth>("auth", {
          factor: "passcode",
          username: "alice",
          passcode: appCode(secret),
        }),
      ).toMatchObject({ result: "allow" });
      expect(await lastLog("alice")).toMatchObject({
        result: "success",
        reason: "valid_passcode",
        policy_key: globalKey,
        policy_section: "authentication_methods",
      });
      await db().deleteFrom("policies").where("id", "in", [vpnPolicy, contractorPolicy]).execute();
    });

    it("authorized networks: outside them denied, inside a trusted one allowed without a factor, no address denied", async () => {
      const policy = await insertPolicy(db(), accountId, {
        name: "Office only",
        sections: {
          authorized_networks: {
            allow_without_2fa_networks: ["10.0.0.0/8"],
            require_2fa_networks: ["192.0.2.0/24", "2001:db8::/32"],
            deny_other_networks: true,
          },
        },
        applicationIds: [vpn.ikey],
      });
      const outside = await onVpn.call<Preauth>("preauth", {
        username: "alice",
        ipaddr: "198.51.100.7",
      });
      expect(outside).toMatchObject({ result: "deny" });
      expect(outside.status_msg).toContain("from your network");
      expect(await lastLog("alice")).toMatchObject({
        result: "denied",
        reason: "deny_by_policy",
        policy_key: policy,
        policy_section: "authorized_networks",
      });
      expect(await onVpn.call<Preauth>("preauth", { username: "alice" })).toMatchObject({
        result: "deny",
      });
      for (const ipaddr of ["192.0.2.7", "2001:db8::15"])
        expect(await onVpn.call<Preauth>("preauth", { username: "alice", ipaddr })).toMatchObject({
          result: "auth",
        });
      expect(
        await onVpn.call<Preauth>("preauth", { username: "alice", ipaddr: "10.1.2.3" }),
      ).toMatchObject({ result: "allow" });
      expect(await lastLog("alice")).toMatchObject({
        result: "success",
        reason: "trusted_network",
        policy_section: "authorized_networks",
      });
      // A passcode from outside is refused before it is looked at: never counted as a failure.
      const refused = await onVpn.call<Auth>("auth", {
        factor: "passcode",
        username: "alice",
        passcode: appCode(secret),
        ipaddr: "198.51.100.7",
      });
      expect(refused).toMatchObject({ result: "deny" });
      const alice = await db()
        .selectFrom("users")
        .select("failed_auth_attempts")
        .where("account_id", "=", accountId)
        .where("username", "=", "alice")
        .executeTakeFirstOrThrow();
      expect(alice.failed_auth_attempts).toBe(0);
      await db().deleteFrom("policies").where("id", "=", policy).execute();
    });

    it("authentication methods: SMS and bypass codes not allowed are neither offered nor accepted", async () => {
      const policy = await insertPolicy(db(), accountId, {
        name: "Passcodes from the app only",
        sections: {
          authentication_methods: { allowed_auth_list: ["duo-passcode"], blocked_auth_list: [] },
        },
        applicationIds: [vpn.ikey],
      });
      const pre = await onVpn.call<Preauth>("preauth", { username: "alice" });
      expect(pre.devices?.map((device) => device.capabilities)).toEqual([["mobile_otp"]]);
      const onTheWiki = await onWiki.call<Preauth>("preauth", { username: "alice" });
      expect(onTheWiki.devices?.map((device) => device.capabilities)).toEqual([
        ["mobile_otp", "sms"],
      ]);
      const sent = gateway.messages.length;
      const sms = await onVpn.call<Auth>("auth", {
        factor: "sms",
        username: "alice",
        device: pre.devices?.[0]?.device,
      });
      expect(sms).toMatchObject({ result: "deny" });
      expect(sms.status_msg).toContain("does not allow this way of logging in");
      expect(gateway.messages).toHaveLength(sent);
      expect(await lastLog("alice")).toMatchObject({
        reason: "deny_by_policy",
        policy_key: policy,
        policy_section: "authentication_methods",
      });
      // A bypass code where bypass codes are not allowed is a wrong passcode, and stays unspent.
      expect(
        await onVpn.call<Auth>("auth", {
          factor: "passcode",
          username: "alice",
          passcode: "246813579",
        }),
      ).toMatchObject({ result: "deny" });
      expect(await lastLog("alice")).toMatchObject({ reason: "invalid_passcode" });
      expect(
        await onWiki.call<Auth>("auth", {
          factor: "passcode",
          username: "alice",
          passcode: "246813579",
        }),
      ).toMatchObject({ result: "allow" });
      await db().deleteFrom("policies").where("id", "=", policy).execute();
    });

    it("remembered devices: an auth's trusted_device_token skips the factor at preauth within the window, for that user and application only, and not after it", async () => {
      const ritaSecret = newBase32Secret();
      const rita = await user("rita");
      await insertPhone(db(), server.database.secrets, {
        accountId,
        userId: rita,
        totpSecret: ritaSecret,
      });
      const policy = await insertPolicy(db(), accountId, {
        name: "Remember on the VPN",
        sections: {
          remembered_devices: {
            browser_apps: {
              enabled: true,
              user_based: { max_time_value: 2, max_time_units: "hours", confirm_per_app: true },
            },
          },
        },
        applicationIds: [vpn.ikey],
      });
      const auth = await onVpn.call<Auth & { trusted_device_token?: string }>("auth", {
        factor: "passcode",
        username: "rita",
        passcode: appCode(ritaSecret),
      });
      expect(auth).toMatchObject({ result: "allow" });
      const token = auth.trusted_device_token ?? "";
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const stored = await db()
        .selectFrom("remembered_browsers")
        .select("token_hash")
        .where("user_id", "=", rita)
        .executeTakeFirstOrThrow();
      expect(stored.token_hash).not.toContain(token);

      const again = await onVpn.call<Preauth>("preauth", {
        username: "rita",
        trusted_device_token: token,
      });
      expect(again).toMatchObject({ result: "allow" });
      expect(await lastLog("rita")).toMatchObject({
        result: "success",
        reason: "remembered_device",
        factor: "remembered_device",
        policy_key: policy,
        policy_section: "remembered_devices",
      });
      // The wiki's policy (the global one) remembers nothing; alice is not rita.
      expect(
        await onWiki.call<Preauth>("preauth", { username: "rita", trusted_device_token: token }),
      ).toMatchObject({ result: "auth" });
      expect(
        await onVpn.call<Preauth>("preauth", { username: "alice", trusted_device_token: token }),
      ).toMatchObject({ result: "auth" });
      // Three hours later the two-hour window has passed.
      await db()
        .updateTable("remembered_browsers")
        .set({ created_at: new Date(Date.now() - 3 * 3_600_000) })
        .where("user_id", "=", rita)
        .execute();
      expect(
        await onVpn.call<Preauth>("preauth", { username: "rita", trusted_device_token: token }),
      ).toMatchObject({ result: "auth" });
      await db().deleteFrom("policies").where("id", "=", policy).execute();
    });
  },
);
