import type { FastifyInstance } from "fastify";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { WEB_DIST } from "../../scripts/web.js";
import { newSecretKey } from "../../src/db/ids.js";
import { readMigrations } from "../../src/db/migrate.js";
import { buildApp } from "../../src/http/app.js";
import { type SeededAdmin, seedActiveAdmin } from "../helpers/admins.js";
import { authRequest } from "../helpers/auth-api.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { type Credentials, signedRequest } from "../helpers/duo.js";
import { appCode } from "../helpers/factors.js";
import { insertAccount, insertApplication, insertUser } from "../helpers/fixtures.js";
import { linkIn, mailerFor, startMailServer, type TestMailServer } from "../helpers/mail.js";
import {
  checkAccessibility,
  describeInBrowser,
  launchBrowser,
  openPage,
  screenshot,
} from "./browser.js";
import { fullyShown, signInThroughUi } from "./ui.js";

/** The real server as startPanelServer makes it, with a mailer for the test's SMTP server. */
async function startServerWithMail(mail: TestMailServer) {
  const database: TestDatabase = await openTestDatabase();
  const app: FastifyInstance = await buildApp({
    database: database.handle,
    secrets: database.secrets,
    migrations: await readMigrations(),
    webRoot: WEB_DIST,
    throttle: { attemptsPerWindow: 10_000, windowSeconds: 60 },
    mailer: mailerFor(mail),
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    app,
    url,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** The authenticator app's key, as the activation page shows it for typing in by hand. */
async function manualKey(page: Page): Promise<string> {
  const text = (await page.locator("code").first().textContent()) ?? "";
  return text.replace(/\s+/g, "");
}

describeInBrowser(
  "enrollment emails in Chromium: Duo's users/enroll, Send enrollment email, Add Administrator's Email the link",
  { timeout: 120_000 },
  () => {
    let mail: TestMailServer;
    let server: Awaited<ReturnType<typeof startServerWithMail>>;
    let browser: Browser;
    let owner: SeededAdmin;
    let helpDesk: SeededAdmin;
    let accountId: string;
    let userId: string;
    let adminApi: Credentials;
    let authApi: Credentials;

    const db = () => server.database.handle.db;
    const port = () => new URL(server.url).port;

    beforeAll(async () => {
      mail = await startMailServer("starttls");
      [server, browser] = await Promise.all([startServerWithMail(mail), launchBrowser()]);
      accountId = await insertAccount(db(), { name: "Tailspin Toys", edition: "Premier" });
      [owner, helpDesk] = await Promise.all([
        seedActiveAdmin(server.database, { accountId, role: "Owner", email: "olga@tailspin.test" }),
        seedActiveAdmin(server.database, {
          accountId,
          role: "Help Desk",
          email: "hugo@tailspin.test",
        }),
      ]);
      userId = await insertUser(db(), accountId, {
        username: "wendy",
        realName: "Wendy Park",
        groupIds: [],
      });
      const credentials = async (
        type: string,
        grants: ("adminapi_read_resource" | "adminapi_write_resource")[] = [],
      ) => {
        const skey = newSecretKey();
        const ikey = await insertApplication(db(), server.database.secrets, {
          accountId,
          type,
          secretKey: skey,
          grants,
        });
        return { ikey, skey };
      };
      adminApi = await credentials("adminapi", [
        "adminapi_read_resource",
        "adminapi_write_resource",
      ]);
      authApi = await credentials("authapi");
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await mail?.close();
    });

    it("R-AUTH-5: users/enroll emails a link; in Chromium the QR page's key and a first code set the app up; the link then works no more; the user signs in with a code", async () => {
      // Signed for the address the server listens on, so the link in the email points there.
      const answer = await server.app.inject(
        signedRequest({
          ...adminApi,
          method: "POST",
          url: "/admin/v1/users/enroll",
          host: `127.0.0.1:${port()}`,
          body: "email=xavier%40tailspin.test&username=xavier",
          contentType: "application/x-www-form-urlencoded",
        }),
      );
      expect(answer.json()).toEqual({ stat: "OK", response: "" });
      const message = await mail.next();
      expect(message.to).toEqual(["xavier@tailspin.test"]);
      const link = linkIn(message.text, "enroll");
      expect(link.startsWith(`${server.url}/enroll/`)).toBe(true);

      const page = await openPage(browser, server.url);
      await page.goto(link);
      await page.getByRole("heading", { name: "Set up your authenticator app" }).waitFor();
      await expect(page.getByText("For xavier at Tailspin Toys.").count()).resolves.toBe(1);
      await checkAccessibility(page);
      await screenshot(page, "enrollment-email-setup");
      const key = await manualKey(page);
      expect(key).toMatch(/^[A-Z2-7]{32}$/);
      const enrolledAt = Date.now();
      await page.getByLabel("Code from your app").fill(appCode(key, enrolledAt));
      await page.getByRole("button", { name: "Finish setup" }).click();
      await page.getByRole("heading", { name: "Your authenticator app is set up" }).waitFor();

      // Single use: the same link, opened again, is refused in words.
      const again = await page.goto(link);
      expect(again?.status()).toBe(404);
      await page.getByRole("heading", { name: "This link cannot be used" }).waitFor();
      await expect(page.getByText(/expired or was already used/).count()).resolves.toBe(1);
      await page.context().close();

      // The next code of the app signs xavier in through the Auth API.
      const signIn = await server.app.inject(
        authRequest(authApi, "POST", "/auth/v2/auth", {
          username: "xavier",
          factor: "passcode",
          passcode: appCode(key, Math.max(Date.now(), enrolledAt + 30_000)),
        }),
      );
      expect(signIn.json().response, signIn.body).toMatchObject({ result: "allow" });
    });

    it("R-ROLE-4, R-AUTH-5: Help Desk has no Send enrollment email until the account allows it; an Owner sends one from the user's page", async () => {
      const desk = await openPage(browser, server.url);
      await signInThroughUi(desk, helpDesk);
      await desk.goto(`/users/${userId}`);
      await desk.getByRole("heading", { name: "wendy" }).waitFor();
      await desk.getByRole("heading", { name: "Phones" }).waitFor();
      await expect(
        desk.getByRole("button", { name: "Send enrollment email" }).count(),
      ).resolves.toBe(0);
      await db()
        .updateTable("account_settings")
        .set({ helpdesk_can_send_enroll_email: true })
        .where("account_id", "=", accountId)
        .execute();
      await desk.reload();
      await desk.getByRole("button", { name: "Send enrollment email" }).waitFor();
      await desk.context().close();

      const page = await openPage(browser, server.url);
      await signInThroughUi(page, owner);
      await page.goto(`/users/${userId}`);
      await page.getByRole("button", { name: "Send enrollment email" }).click();
      const dialog = page.getByRole("dialog", { name: "Send wendy an enrollment email" });
      await fullyShown(dialog);
      const address = dialog.getByLabel(/^Email address/);
      await expect(address.inputValue()).resolves.toBe("wendy@example.com");
      await address.fill("wendy.park@tailspin.test");
      await dialog.getByLabel("Link valid for (days)").fill("7");
      await checkAccessibility(page);
      await dialog.getByRole("button", { name: "Send email" }).click();
      await dialog.getByTestId("enrollment-sent").waitFor();
      await expect(dialog.getByTestId("enrollment-sent").textContent()).resolves.toContain(
        "wendy.park@tailspin.test has a link to set up an authenticator app for wendy",
      );
      await checkAccessibility(page);
      await screenshot(page, "enrollment-email-sent");
      await dialog.getByRole("button", { name: "Done" }).click();
      // The phone waiting for the app is among wendy's phones now.
      await page
        .getByRole("region", { name: "Phones" })
        .getByText("Authenticator app")
        .first()
        .waitFor();

      const message = await mail.next();
      expect(message.to).toEqual(["wendy.park@tailspin.test"]);
      expect(message.text).toContain("Hello Wendy Park,");
      const [activation] = await db()
        .selectFrom("device_activations")
        .select("expires_at")
        .where("user_id", "=", userId)
        .execute();
      const inAWeek = Date.now() + 7 * 86_400_000;
      expect(Math.abs((activation?.expires_at.getTime() ?? 0) - inAWeek)).toBeLessThan(120_000);
      const opened = await page.context().request.get(linkIn(message.text, "enroll"));
      expect(opened.status()).toBe(200);
      await page.context().close();
    });

    it("R-ADM-2: Add Administrator emails the link by default where the server sends email", async () => {
      const page = await openPage(browser, server.url);
      await signInThroughUi(page, owner);
      await page.goto("/administrators?add=1");
      const dialog = page.getByRole("dialog", { name: "Add Administrator" });
      await fullyShown(dialog);
      await dialog.getByLabel(/^Name/).fill("Yara Diaz");
      await dialog.getByLabel(/^Email/).fill("yara@tailspin.test");
      await expect(
        dialog.getByRole("switch", { name: "Send the link by email" }).isChecked(),
      ).resolves.toBe(true);
      await dialog.getByRole("button", { name: "Add Administrator" }).click();
      await dialog.getByTestId("activation-emailed").waitFor();
      await expect(dialog.getByTestId("activation-emailed").textContent()).resolves.toContain(
        "The activation link was emailed to yara@tailspin.test.",
      );
      await expect(dialog.getByTestId("activation-link").count()).resolves.toBe(0);
      await checkAccessibility(page);
      const message = await mail.next();
      expect(message.to).toEqual(["yara@tailspin.test"]);
      expect(message.subject).toBe("Activate your administrator account for Tailspin Toys");
      const activate = linkIn(message.text, "activate");
      await page.goto(new URL(activate).pathname);
      await page.getByText("yara@tailspin.test").first().waitFor();
      await page.context().close();
    });
  },
);
