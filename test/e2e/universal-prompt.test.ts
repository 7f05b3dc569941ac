import { createHash } from "node:crypto";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { newSecretKey } from "../../src/db/ids.js";
import { type HttpsTestServer, startHttpsServer } from "../helpers/duo.js";
import { appCode, insertBypassCode, insertPhone, newBase32Secret } from "../helpers/factors.js";
import {
  insertAccount,
  insertApplication,
  insertUser,
  setGlobalPolicy,
} from "../helpers/fixtures.js";
import { pngImage } from "../helpers/images.js";
import { checkAccessibility, describeInBrowser, launchBrowser, screenshot } from "./browser.js";
import { type RelyingParty, startRelyingParty } from "./relying-party.js";
import { addVirtualKey } from "./virtual-key.js";

/** A locator's text once it is on the page. */
async function shown(locator: Locator): Promise<string> {
  await locator.waitFor();
  return (await locator.textContent())?.trim() ?? "";
}

describeInBrowser(
  "issue 15: a web application protected by the hosted Universal Prompt, in Chromium",
  { timeout: 120_000 },
  () => {
    let gatehouse: HttpsTestServer;
    let app: RelyingParty;
    let browser: Browser;
    let accountId: string;
    const db = () => gatehouse.database.handle.db;
    const user = (username: string) =>
      insertUser(db(), accountId, { username, realName: username, groupIds: [] });

    /** A fresh browser (no cookies) starts logging in to the application as `username`. */
    async function logIn(username: string): Promise<Page> {
      const context = await browser.newContext({
        ignoreHTTPSErrors: true,
        viewport: { width: 390, height: 844 },
      });
      const page = await context.newPage();
      await page.goto(`${app.url}/login?username=${encodeURIComponent(username)}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      return page;
    }

    beforeAll(async () => {
      [gatehouse, browser] = await Promise.all([startHttpsServer(), launchBrowser()]);
      accountId = await insertAccount(db(), { name: "Northwind Clinics" });
      const clientSecret = newSecretKey();
      const clientId = await insertApplication(db(), gatehouse.database.secrets, {
        accountId,
        type: "websdk",
        secretKey: clientSecret,
      });
      await db()
        .updateTable("applications")
        .set({ name: "Patient Portal" })
        .where("id", "=", clientId)
        .execute();
      // Settings, Branding: the prompt shows the account's name, logo and colour.
      const logo = pngImage(64, 32);
      await db()
        .updateTable("account_settings")
        .set({ branding_name: "Northwind Care", branding_colour: "#0b7285" })
        .where("account_id", "=", accountId)
        .execute();
      await db()
        .insertInto("account_logos")
        .values({
          account_id: accountId,
          content_type: "image/png",
          bytes: logo,
          hash: createHash("sha256").update(logo).digest("hex"),
          width: 64,
          height: 32,
        })
        .execute();
      app = await startRelyingParty(
        gatehouse,
        { clientId, clientSecret },
        `localhost:${gatehouse.port}`,
      );
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await gatehouse?.close();
    });

    it("a user logs in with the code from their authenticator app", async () => {
      const secret = newBase32Secret();
      const userId = await user("alice");
      await insertPhone(db(), gatehouse.database.secrets, {
        accountId,
        userId,
        totpSecret: secret,
      });
      const page = await logIn("alice");
      expect(await shown(page.getByRole("heading", { level: 1 }))).toBe("Verify it is you");
      expect(await page.textContent("main")).toContain("Patient Portal");
      expect(await page.textContent("header")).toBe("Northwind Care");
      // The logo loads under the prompt's content security policy, and the buttons wear the colour.
      await page.waitForFunction(
        () =>
          (document.querySelector("header img") as HTMLImageElement | null)?.naturalWidth === 64,
      );
      const background = await page
        .getByRole("button", { name: "Log in" })
        .evaluate((button) => getComputedStyle(button).backgroundColor);
      expect(background).toBe("rgb(11, 114, 133)");
      await checkAccessibility(page);
      await screenshot(page, "prompt-factors");
      await page.getByLabel(/Code from your authenticator app/).fill(appCode(secret));
      await page.getByRole("button", { name: "Log in" }).click();
      expect(await shown(page.locator("#result"))).toBe("Welcome, alice (duo_mobile_passcode).");
    });

    it("a user logs in with a bypass code", async () => {
      const userId = await user("bob");
      await insertPhone(db(), gatehouse.database.secrets, {
        accountId,
        userId,
        totpSecret: newBase32Secret(),
      });
      await insertBypassCode(db(), { accountId, userId, code: "135792468" });
      const page = await logIn("bob");
      await page.getByLabel(/bypass code/).fill("135792468");
      await page.keyboard.press("Enter");
      expect(await shown(page.locator("#result"))).toBe("Welcome, bob (bypass_code).");
    });

    it("a wrong code says so in plain words, and the user can try again", async () => {
      const secret = newBase32Secret();
      const userId = await user("carol");
      await insertPhone(db(), gatehouse.database.secrets, {
        accountId,
        userId,
        totpSecret: secret,
      });
      const page = await logIn("carol");
      await page.getByLabel(/Code from your authenticator app/).fill("000000");
      await page.getByRole("button", { name: "Log in" }).click();
      expect(await shown(page.getByRole("alert"))).toBe("Incorrect passcode. Please try again.");
      await checkAccessibility(page);
      await page.getByLabel(/Code from your authenticator app/).fill(appCode(secret));
      await page.getByRole("button", { name: "Log in" }).click();
      expect(await shown(page.locator("#result"))).toBe("Welcome, carol (duo_mobile_passcode).");
    });

    it("a state changed on the way back is refused by the application", async () => {
      const secret = newBase32Secret();
      const userId = await user("frank");
      await insertPhone(db(), gatehouse.database.secrets, {
        accountId,
        userId,
        totpSecret: secret,
      });
      const page = await logIn("frank");
      // The prompt's answer is caught on its way to the browser: its redirect back carries another state.
      await page.route("**/prompt/*/passcode", async (route) => {
        const answer = await route.fetch({ maxRedirects: 0 });
        const back = new URL(answer.headers().location ?? "");
        back.searchParams.set("state", "f".repeat(36));
        await route.fulfill({
          response: answer,
          headers: { ...answer.headers(), location: back.toString() },
        });
      });
      await page.getByLabel(/Code from your authenticator app/).fill(appCode(secret));
      await page.getByRole("button", { name: "Log in" }).click();
      expect(await shown(page.locator("#result"))).toBe("The state does not match.");
    });

    it("after a code, a user adds a security key, then logs in with it (Chromium's virtual authenticator)", async () => {
      const secret = newBase32Secret();
      const userId = await user("kate");
      await insertPhone(db(), gatehouse.database.secrets, {
        accountId,
        userId,
        totpSecret: secret,
      });
      const page = await logIn("kate");
      await addVirtualKey(page);
      await page.getByRole("button", { name: "Manage my devices" }).click();
      await page.getByLabel(/Code from your authenticator app/).fill(appCode(secret));
      await page.getByRole("button", { name: "Log in" }).click();
      // The form's answer is a new page: wait for its heading, not the one still showing.
      await page.getByRole("heading", { level: 1, name: "Your devices" }).waitFor();
      await checkAccessibility(page);
      await page.getByRole("button", { name: "Add a security key" }).click();
      // The page before the key's answer had a notice of its own: wait for the next page's.
      await page
        .getByRole("status")
        .filter({ hasText: "Your security key is ready: you can log in with it from now on." })
        .waitFor();
      expect(await page.getByRole("listitem").allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining("Security key")]),
      );
      await screenshot(page, "prompt-devices");
      await page.getByRole("button", { name: "Continue to Patient Portal" }).click();
      expect(await shown(page.locator("#result"))).toBe("Welcome, kate (duo_mobile_passcode).");

      // The same browser (and its virtual key) logs in again: this time with the key.
      await page.goto(`${app.url}/login?username=kate`);
      await page.getByRole("button", { name: "Use my security key" }).click();
      expect(await shown(page.locator("#result"))).toBe("Welcome, kate (webauthn_security_key).");
      const key = await db()
        .selectFrom("webauthn_credentials")
        .select(["sign_count", "last_used_at"])
        .where("user_id", "=", userId)
        .executeTakeFirstOrThrow();
      expect(key.last_used_at).not.toBeNull();
    });

    it("a new user enrolls with a passkey instead of an app, and is logged in", async () => {
      await setGlobalPolicy(db(), accountId, { new_user: { new_user_behavior: "enroll" } });
      const page = await logIn("liam");
      await addVirtualKey(page);
      await page.getByRole("button", { name: "Set up a security key" }).click();
      expect(await shown(page.locator("#result"))).toBe("Welcome, liam (webauthn_security_key).");
      const enrolled = await db()
        .selectFrom("users")
        .innerJoin("webauthn_credentials as w", "w.user_id", "users.id")
        .select("w.id")
        .where("users.username", "=", "liam")
        .where("users.account_id", "=", accountId)
        .execute();
      expect(enrolled).toHaveLength(1);
    });

    it("a disabled user is told why, and the application's SDK reports the denial", async () => {
      const userId = await user("dave");
      await db()
        .updateTable("users")
        .set({ status: "disabled" })
        .where("id", "=", userId)
        .execute();
      const page = await logIn("dave");
      expect(await shown(page.getByRole("heading", { level: 1 }))).toBe("Access denied");
      expect(await shown(page.getByRole("alert"))).toBe(
        "Your account is disabled. Contact your administrator.",
      );
      await checkAccessibility(page);
      await screenshot(page, "prompt-denied");
      await page.getByRole("button", { name: "Return to Patient Portal" }).click();
      expect(await shown(page.locator("#result"))).toBe(
        "Denied: Your account is disabled. Contact your administrator.",
      );
    });

    it("a new user sets up an authenticator app from the QR page, then is logged in", async () => {
      await setGlobalPolicy(db(), accountId, { new_user: { new_user_behavior: "enroll" } });
      const page = await logIn("erin");
      expect(await shown(page.getByRole("heading", { level: 1 }))).toBe("Set up a way to log in");
      await page.getByRole("img", { name: /QR code/ }).waitFor();
      await checkAccessibility(page);
      await screenshot(page, "prompt-enroll");
      const secret = (await page.locator("#manual-key").textContent())?.replaceAll(" ", "") ?? "";
      await page.getByLabel("Code from your app").fill(appCode(secret));
      await page.getByRole("button", { name: "Finish and log in" }).click();
      expect(await shown(page.locator("#result"))).toBe("Welcome, erin (duo_mobile_passcode).");
    });
  },
);
