import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretKey } from "../../../src/db/ids.js";
import { type HttpsTestServer, startHttpsServer } from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { appCode, insertBypassCode, insertPhone, newBase32Secret } from "../../helpers/factors.js";
import {
  insertAccount,
  insertApplication,
  insertUser,
  rememberDays,
  setGlobalPolicy,
} from "../../helpers/fixtures.js";
import { TestBrowser, universalClient } from "../../helpers/prompt-browser.js";

const REDIRECT = "https://app.example.test/duo-callback";

/**
 * Issue 15 item 1 (R-AUTH-1..4): Duo's Universal Prompt protocol as Duo's own Node SDK
 * (@duosecurity/duo_universal 3.0.0, unchanged) speaks it, over HTTPS: health check, the signed
 * authorize request, the prompt, the code back to the application, and the token it verifies.
 */
describe(`the Universal Prompt with Duo's Node SDK, on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let accountId: string;
  let clientId: string;
  const clientSecret = newSecretKey();
  const db = () => server.database.handle.db;
  const sdk = (
    tamper?: (data: Record<string, unknown>) => void,
    app: { clientId: string; clientSecret: string } = { clientId, clientSecret },
  ) => universalClient(server, { ...app, redirectUrl: REDIRECT }, tamper);
  const user = (username: string) =>
    insertUser(db(), accountId, { username, realName: username, groupIds: [] });

  /** The application sends a browser to the prompt: the browser arrives on the prompt's page. */
  async function arrive(
    username: string,
    browser = new TestBrowser(server),
    app?: { clientId: string; clientSecret: string },
  ) {
    const client = sdk(undefined, app);
    const state = client.generateState();
    const authorize = await browser.get(await client.createAuthUrl(username, state));
    expect(authorize.status).toBe(303);
    const promptUrl = authorize.location ?? "";
    expect(promptUrl).toMatch(/^\/prompt\/[A-Za-z0-9_-]{22}$/);
    return { client, state, browser, promptUrl, page: await browser.get(promptUrl) };
  }

  /** Where the prompt sent the browser back: the application's callback, with duo_code and state. */
  function callback(location: string | undefined, state: string): string {
    const url = new URL(location ?? "");
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
    expect(url.searchParams.get("state")).toBe(state);
    return url.searchParams.get("duo_code") ?? "";
  }

  beforeAll(async () => {
    server = await startHttpsServer();
    accountId = await insertAccount(db(), { name: "Acme Health" });
    await db()
      .updateTable("account_settings")
      .set({ user_lockout_threshold: 3 })
      .where("account_id", "=", accountId)
      .execute();
    clientId = await insertApplication(db(), server.database.secrets, {
      accountId,
      type: "websdk",
      secretKey: clientSecret,
    });
  });
  afterAll(async () => server?.close());

  it("answers the SDK's health check, and refuses an assertion signed with another secret", async () => {
    await expect(sdk().healthCheck()).resolves.toMatchObject({ stat: "OK" });
    const impostor = universalClient(server, {
      clientId,
      clientSecret: newSecretKey(),
      redirectUrl: REDIRECT,
    });
    await expect(impostor.healthCheck()).rejects.toThrow(/invalid_client/);
  });

  it("R-AUTH-2: a TOTP passcode logs the user in; the SDK verifies the token; the code works once", async () => {
    const secret = newBase32Secret();
    const userId = await user("alice");
    await insertPhone(db(), server.database.secrets, { accountId, userId, totpSecret: secret });
    const { client, state, browser, promptUrl, page } = await arrive("alice");
    expect(page.status).toBe(200);
    expect(page.body).toContain("Acme Health");
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    const done = await browser.post(`${promptUrl}/passcode`, { passcode: appCode(secret) });
    expect(done.status).toBe(303);
    const code = callback(done.location, state);
    const token = await client.exchangeAuthorizationCodeFor2FAResult(code, "alice");
    expect(token.auth_result).toMatchObject({ result: "allow", status: "allow" });
    expect(token.preferred_username).toBe("alice");
    expect(token.auth_context).toMatchObject({ factor: "duo_mobile_passcode", result: "success" });
    // R-AUTH-4: the token's record is the authentication log's.
    const logged = await db()
      .selectFrom("authentication_log")
      .select(["result", "reason", "application_id"])
      .where("txid", "=", token.auth_context.txid as string)
      .executeTakeFirstOrThrow();
    expect(logged).toEqual({
      result: "success",
      reason: "valid_passcode",
      application_id: clientId,
    });
    await expect(client.exchangeAuthorizationCodeFor2FAResult(code, "alice")).rejects.toThrow(
      /invalid_grant/,
    );
  });

  it("a bypass code logs the user in once; its second use is refused", async () => {
    const userId = await user("bob");
    // Bob keeps an app too: with no code left he would have nothing to log in with at all.
    await insertPhone(db(), server.database.secrets, {
      accountId,
      userId,
      totpSecret: newBase32Secret(),
    });
    await insertBypassCode(db(), { accountId, userId, code: "246813579" });
    const first = await arrive("bob");
    const done = await first.browser.post(`${first.promptUrl}/passcode`, { passcode: "246813579" });
    const token = await first.client.exchangeAuthorizationCodeFor2FAResult(
      callback(done.location, first.state),
      "bob",
    );
    expect(token.auth_context.factor).toBe("bypass_code");
    const second = await arrive("bob");
    const refused = await second.browser.post(`${second.promptUrl}/passcode`, {
      passcode: "246813579",
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("Incorrect passcode");
  });

  it("R-AUTH-3: a disabled user is told why, and the application receives a denial", async () => {
    await db()
      .insertInto("users")
      .values({
        id: "DU000000000000DISABL",
        account_id: accountId,
        username: "carol",
        status: "disabled",
      })
      .execute();
    const { client, state, browser, promptUrl, page } = await arrive("carol");
    expect(page.status).toBe(403);
    expect(page.body).toContain("Your account is disabled");
    const back = await browser.post(`${promptUrl}/return`, {});
    const token = await client.exchangeAuthorizationCodeFor2FAResult(
      callback(back.location, state),
      "carol",
    );
    expect(token.auth_result).toMatchObject({ result: "deny" });
    expect(token.auth_context).toMatchObject({ result: "denied", reason: "user_disabled" });
  });

  it("R-AUTH-3: failed passcodes lock the user out, and the prompt ends in a denial", async () => {
    const userId = await user("dave");
    await insertPhone(db(), server.database.secrets, {
      accountId,
      userId,
      totpSecret: newBase32Secret(),
    });
    const { client, state, browser, promptUrl } = await arrive("dave");
    for (const attempt of [1, 2]) {
      const again = await browser.post(`${promptUrl}/passcode`, { passcode: "000000" });
      expect(again.status, `attempt ${attempt}`).toBe(400);
      expect(again.body).toContain("Incorrect passcode");
    }
    const locked = await browser.post(`${promptUrl}/passcode`, { passcode: "000000" });
    expect(locked.status).toBe(403);
    expect(locked.body).toContain("locked");
    const back = await browser.post(`${promptUrl}/return`, {});
    const token = await client.exchangeAuthorizationCodeFor2FAResult(
      callback(back.location, state),
      "dave",
    );
    expect(token.auth_result.result).toBe("deny");
  });

  it("issue 15 item 4: an unknown user under 'require enrollment' sets up an app and logs in", async () => {
    await setGlobalPolicy(db(), accountId, { new_user: { new_user_behavior: "enroll" } });
    try {
      const { client, state, browser, promptUrl, page } = await arrive("erin");
      expect(page.status).toBe(200);
      const key = /<code id="manual-key">([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1] ?? "";
      const secret = key.replaceAll(" ", "");
      expect(secret).toHaveLength(32);
      const wrong = await browser.post(`${promptUrl}/enroll`, { passcode: "000000" });
      expect(wrong.status).toBe(400);
      const done = await browser.post(`${promptUrl}/enroll`, { passcode: appCode(secret) });
      const token = await client.exchangeAuthorizationCodeFor2FAResult(
        callback(done.location, state),
        "erin",
      );
      expect(token.auth_result.result).toBe("allow");
      const erin = await db()
        .selectFrom("users")
        .innerJoin("user_phones", "user_phones.user_id", "users.id")
        .innerJoin("phones", "phones.id", "user_phones.phone_id")
        .select(["phones.activated", "phones.totp_secret_enc"])
        .where("users.account_id", "=", accountId)
        .where("users.username", "=", "erin")
        .executeTakeFirstOrThrow();
      expect(erin.activated).toBe(true);
      expect(erin.totp_secret_enc).not.toContain(secret);
    } finally {
      await setGlobalPolicy(db(), accountId, { new_user: { new_user_behavior: "no-mfa" } });
    }
  });

  it("'Remember me' lets this browser skip the prompt for this application only, and never for a disabled user", async () => {
    await setGlobalPolicy(db(), accountId, rememberDays(7));
    try {
      const secret = newBase32Secret();
      const userId = await user("heidi");
      await insertPhone(db(), server.database.secrets, { accountId, userId, totpSecret: secret });
      const first = await arrive("heidi");
      expect(first.page.body).toContain("Remember me on this browser for 7 days");
      await first.browser.post(`${first.promptUrl}/passcode`, {
        passcode: appCode(secret),
        remember: "1",
      });
      const rememberCookie = [...first.browser.cookies.keys()].find((name) =>
        name.startsWith("gatehouse_remember_"),
      );
      expect(rememberCookie).toBe(`gatehouse_remember_${clientId}`);

      const again = await arrive("heidi", first.browser);
      expect(again.page.status).toBe(303);
      const token = await again.client.exchangeAuthorizationCodeFor2FAResult(
        callback(again.page.location, again.state),
        "heidi",
      );
      expect(token.auth_context).toMatchObject({
        factor: "remembered_device",
        reason: "remembered_device",
      });

      // Another browser, or another user in this one, still proves a factor.
      expect((await arrive("heidi")).page.status).toBe(200);
      const other = await user("ivan");
      await insertPhone(db(), server.database.secrets, {
        accountId,
        userId: other,
        totpSecret: newBase32Secret(),
      });
      expect((await arrive("ivan", first.browser)).page.status).toBe(200);

      // R-AUTH-3: the user's standing decides before the remembered browser.
      await db()
        .updateTable("users")
        .set({ status: "disabled" })
        .where("id", "=", userId)
        .execute();
      expect((await arrive("heidi", first.browser)).page.status).toBe(403);
    } finally {
      await setGlobalPolicy(db(), accountId, rememberDays(null));
    }
  });

  it("R-POL-2: a remembered browser works within the policy's window, not after it; across applications only where the policy says so", async () => {
    const secret = newBase32Secret();
    const userId = await user("kate");
    await insertPhone(db(), server.database.secrets, { accountId, userId, totpSecret: secret });
    const otherSecret = newSecretKey();
    const other = {
      clientId: await insertApplication(db(), server.database.secrets, {
        accountId,
        type: "websdk",
        secretKey: otherSecret,
      }),
      clientSecret: otherSecret,
    };
    const across = (hours: number, perApplication: boolean) =>
      setGlobalPolicy(db(), accountId, {
        remembered_devices: {
          browser_apps: {
            enabled: true,
            user_based: {
              max_time_value: hours,
              max_time_units: "hours",
              confirm_per_app: perApplication,
            },
          },
        },
      });
    try {
      await across(12, false);
      const first = await arrive("kate");
      expect(first.page.body).toContain("Remember me on this browser for 12 hours");
      await first.browser.post(`${first.promptUrl}/passcode`, {
        passcode: appCode(secret),
        remember: "1",
      });
      // Remembered across applications: one cookie for the account, taken by the other application;
      // one remembered browser, the one asked for (no Auth API token is made for a prompt login).
      expect(first.browser.cookies.has(`gatehouse_remember_${accountId}`)).toBe(true);
      const remembered = await db()
        .selectFrom("remembered_browsers")
        .select("across_applications")
        .where("user_id", "=", userId)
        .execute();
      expect(remembered).toEqual([{ across_applications: true }]);
      expect((await arrive("kate", first.browser, other)).page.status).toBe(303);
      // Per application now: the other application asks again; this one still remembers.
      await across(12, true);
      expect((await arrive("kate", first.browser, other)).page.status).toBe(200);
      expect((await arrive("kate", first.browser)).page.status).toBe(303);
      // Remembered 3 hours ago, the policy shortened to 2: the window has passed.
      await db()
        .updateTable("remembered_browsers")
        .set({ created_at: new Date(Date.now() - 3 * 3_600_000) })
        .where("user_id", "=", userId)
        .execute();
      await across(2, true);
      expect((await arrive("kate", first.browser)).page.status).toBe(200);
      await across(4, true);
      expect((await arrive("kate", first.browser)).page.status).toBe(303);
      // Remembering turned off: nobody skips the prompt.
      await setGlobalPolicy(db(), accountId, rememberDays(null));
      expect((await arrive("kate", first.browser)).page.status).toBe(200);
    } finally {
      await setGlobalPolicy(db(), accountId, rememberDays(null));
    }
  });

  it("issue 15 item 4: after a factor, a user adds another app and removes one, never the last", async () => {
    const secret = newBase32Secret();
    const userId = await user("judy");
    const firstApp = await insertPhone(db(), server.database.secrets, {
      accountId,
      userId,
      totpSecret: secret,
    });
    const { client, state, browser, promptUrl } = await arrive("judy");
    // Not before a factor.
    expect((await browser.get(`${promptUrl}/devices/app`)).status).toBe(404);
    const asked = await browser.post(`${promptUrl}/manage`, {});
    expect(asked.body).toContain("First show it is you");
    const devices = await browser.post(`${promptUrl}/passcode`, { passcode: appCode(secret) });
    expect(devices.status).toBe(200);
    expect(devices.body).toContain("Your devices");

    const onlyOne = await browser.post(`${promptUrl}/devices/remove`, { device: firstApp });
    expect(onlyOne.status).toBe(400);
    expect(onlyOne.body).toContain("This is your only way to log in");

    const setup = await browser.get(`${promptUrl}/devices/app`);
    const second =
      /<code id="manual-key">([A-Z2-7 ]+)<\/code>/.exec(setup.body)?.[1]?.replaceAll(" ", "") ?? "";
    expect((await browser.post(`${promptUrl}/devices/app`, { passcode: "000000" })).status).toBe(
      400,
    );
    const added = await browser.post(`${promptUrl}/devices/app`, { passcode: appCode(second) });
    expect(added.body).toContain("Your new authenticator app is ready");
    const removed = await browser.post(`${promptUrl}/devices/remove`, { device: firstApp });
    expect(removed.status).toBe(200);
    const phones = await db()
      .selectFrom("user_phones")
      .select("phone_id")
      .where("user_id", "=", userId)
      .execute();
    expect(phones).toHaveLength(1);
    expect(phones[0]?.phone_id).not.toBe(firstApp);
    const audit = await db()
      .selectFrom("audit_log")
      .select(["action", "actor_name"])
      .where("account_id", "=", accountId)
      .where("actor_name", "=", "judy (self-service)")
      .orderBy("id")
      .execute();
    expect(audit.map((row) => row.action)).toEqual(["phone_create", "phone_delete"]);

    const back = await browser.post(`${promptUrl}/return`, {});
    const token = await client.exchangeAuthorizationCodeFor2FAResult(
      callback(back.location, state),
      "judy",
    );
    expect(token.auth_result.result).toBe("allow");
    // The session is over for the device pages once its code is exchanged.
    expect((await browser.get(`${promptUrl}/devices/app`)).status).toBe(404);
  });

  it("a token tampered with on the way is refused by the SDK", async () => {
    const secret = newBase32Secret();
    const userId = await user("frank");
    await insertPhone(db(), server.database.secrets, { accountId, userId, totpSecret: secret });
    const { state, browser, promptUrl } = await arrive("frank");
    const done = await browser.post(`${promptUrl}/passcode`, { passcode: appCode(secret) });
    const tampering = sdk((data) => {
      if (typeof data.id_token !== "string") return;
      const [header, payload, signature] = data.id_token.split(".");
      const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
      claims.preferred_username = "mallory";
      data.id_token = [
        header,
        Buffer.from(JSON.stringify(claims)).toString("base64url"),
        signature,
      ].join(".");
    });
    await expect(
      tampering.exchangeAuthorizationCodeFor2FAResult(callback(done.location, state), "mallory"),
    ).rejects.toThrow(/Error decoding JWT/);
  });

  it("the prompt belongs to the browser that opened it", async () => {
    await user("grace");
    const { promptUrl } = await arrive("grace");
    const stranger = await new TestBrowser(server).post(`${promptUrl}/passcode`, {
      passcode: "123456",
    });
    expect(stranger.status).toBe(404);
    expect(stranger.body).toContain("opened in another browser");
  });

  it("an authorize request not signed with the client secret is refused and never redirected", async () => {
    const forged = universalClient(server, {
      clientId,
      clientSecret: newSecretKey(),
      redirectUrl: "https://evil.example.test/steal",
    });
    const page = await new TestBrowser(server).get(
      await forged.createAuthUrl("alice", forged.generateState()),
    );
    expect(page.status).toBe(400);
    expect(page.location).toBeUndefined();
    expect(page.body).toContain("signature");
  });

  it("R-AUTH-1: an Auth API application's key is not a Universal Prompt client", async () => {
    const authApiKey = newSecretKey();
    const authApiId = await insertApplication(db(), server.database.secrets, {
      accountId,
      type: "authapi",
      secretKey: authApiKey,
    });
    const other = universalClient(server, {
      clientId: authApiId,
      clientSecret: authApiKey,
      redirectUrl: REDIRECT,
    });
    await expect(other.healthCheck()).rejects.toThrow(/invalid_client/);
  });
});
