import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { newSecretKey } from "../../src/db/ids.js";
import { type SeededAdmin, seedActiveAdmin } from "../helpers/admins.js";
import { signedRequest } from "../helpers/duo.js";
import { appCode, insertPhone, newBase32Secret } from "../helpers/factors.js";
import { insertAccount, insertApplication, insertUser } from "../helpers/fixtures.js";
import {
  checkAccessibility,
  describeInBrowser,
  launchBrowser,
  openPage,
  screenshot,
} from "./browser.js";
import { type PanelServer, startPanelServer, wrongCode } from "./server.js";
import { signInThroughUi } from "./ui.js";

type AuthAnswer = { stat: string; response: { result: string; status: string } };

describeInBrowser(
  "R-AUTH-3: a user locked out by wrong passcodes, unlocked by Help Desk in Chromium",
  { timeout: 120_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    let helpDesk: SeededAdmin;
    let userId: string;
    const app = { ikey: "", skey: newSecretKey() };
    const appSecret = newBase32Secret();

    const db = () => server.database.handle.db;
    const status = async () =>
      (
        await db()
          .selectFrom("users")
          .select(["status", "failed_auth_attempts"])
          .where("id", "=", userId)
          .executeTakeFirstOrThrow()
      ).status;

    /** POST /auth/v2/auth as the application would, signed with its secret key (v2, HMAC-SHA512). */
    const authenticate = async (passcode: string): Promise<AuthAnswer> => {
      const host = new URL(server.url).host;
      const body = new URLSearchParams({
        factor: "passcode",
        username: "lena",
        passcode,
      }).toString();
      const signed = signedRequest({
        ikey: app.ikey,
        skey: app.skey,
        method: "POST",
        url: "/auth/v2/auth",
        host,
        body,
        contentType: "application/x-www-form-urlencoded",
      });
      // fetch sets Host itself, from the URL: the same host the request was signed for.
      const { host: _host, ...headers } = signed.headers;
      const response = await fetch(`${server.url}/auth/v2/auth`, {
        method: "POST",
        headers,
        body,
      });
      expect(response.status).toBe(200);
      return (await response.json()) as AuthAnswer;
    };

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
      const accountId = await insertAccount(db(), { name: "Northwind", edition: "Premier" });
      userId = await insertUser(db(), accountId, {
        username: "lena",
        realName: "Lena Holm",
        groupIds: [],
      });
      await insertPhone(db(), server.database.secrets, {
        accountId,
        userId,
        number: "+15557770001",
        totpSecret: appSecret,
      });
      app.ikey = await insertApplication(db(), server.database.secrets, {
        accountId,
        type: "authapi",
        secretKey: app.skey,
      });
      // Three wrong passcodes in a row, and locked out until an administrator unlocks.
      await db()
        .updateTable("account_settings")
        .set({ user_lockout_threshold: 3, user_lockout_minutes: null })
        .where("account_id", "=", accountId)
        .execute();
      helpDesk = await seedActiveAdmin(server.database, { accountId, role: "Help Desk" });
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it("three wrong passcodes lock Lena out; Help Desk unlocks her on her page; then her right passcode lets her in", async () => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        const answer = await authenticate(wrongCode(appSecret));
        expect(answer.response.result).toBe("deny");
      }
      expect(await status()).toBe("locked out");
      // Locked out: even the right passcode is refused, and is not spent.
      const refused = await authenticate(appCode(appSecret));
      expect(refused.response).toMatchObject({ result: "deny", status: "locked_out" });

      const page = await openPage(browser, server.url);
      await signInThroughUi(page, helpDesk);
      await page.goto("/users");
      const row = page.getByRole("row", { name: /lena/ });
      await row.getByText("Locked Out").waitFor();
      await row.getByRole("link", { name: "lena" }).click();
      await page.getByRole("heading", { name: "lena", level: 2 }).waitFor();
      await expect(page.getByTestId("user-status").textContent()).resolves.toBe("Locked Out");
      const unlock = page.getByRole("button", { name: "Unlock", exact: true });
      await expect(unlock.isEnabled()).resolves.toBe(true);
      await page.mouse.move(1300, 740);
      await checkAccessibility(page);
      await screenshot(page, "user-locked-out");

      await unlock.click();
      await page.getByText("lena is now Active").waitFor();
      await expect(page.getByTestId("user-status").textContent()).resolves.toBe("Active");
      expect(await status()).toBe("active");
      await page.mouse.move(1300, 740);
      await checkAccessibility(page);
      await screenshot(page, "user-unlocked");

      const allowed = await authenticate(appCode(appSecret));
      expect(allowed.response).toMatchObject({ result: "allow", status: "allow" });
      const unlocked = await db()
        .selectFrom("audit_log")
        .select(["action", "actor_id", "before", "after"])
        .where("object_id", "=", userId)
        .where("action", "=", "user_update")
        .executeTakeFirstOrThrow();
      expect(unlocked).toMatchObject({
        actor_id: helpDesk.id,
        before: { status: "locked out" },
        after: { status: "active" },
      });
    });
  },
);
