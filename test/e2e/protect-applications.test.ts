import { randomUUID } from "node:crypto";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type SeededAdmin, seedActiveAdmin } from "../helpers/admins.js";
import { appCode, insertPhone, startSmsGateway } from "../helpers/factors.js";
import { insertAccount, insertUser } from "../helpers/fixtures.js";
import {
  checkAccessibility,
  describeInBrowser,
  launchBrowser,
  openPage,
  screenshot,
} from "./browser.js";
import { type PanelServer, startPanelServer } from "./server.js";
import { fullyShown, navigate, signInThroughUi } from "./ui.js";

describeInBrowser(
  "issue 14: what an administrator sets up so that applications are protected, in Chromium",
  { timeout: 120_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
    let accountId: string;
    let owner: SeededAdmin;
    let helpDesk: SeededAdmin;
    let userId: string;
    let phoneId: string;
    const NUMBER = "+15557770002";

    const db = () => server.database.handle.db;
    const signedIn = async (admin: SeededAdmin): Promise<Page> => {
      const page = await openPage(browser, server.url);
      await signInThroughUi(page, admin);
      return page;
    };
    /** The Owner signs in once: each sign-in spends a time step of their authenticator's codes. */
    let ownerPage: Page | undefined;
    const asOwner = async (): Promise<Page> => {
      ownerPage ??= await signedIn(owner);
      return ownerPage;
    };
    const dialogNamed = async (page: Page, name: string): Promise<Locator> => {
      const dialog = page.getByRole("dialog", { name });
      await dialog.waitFor();
      await fullyShown(dialog);
      return dialog;
    };
    const settings = () =>
      db()
        .selectFrom("account_settings")
        .selectAll()
        .where("account_id", "=", accountId)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      [server, browser, gateway] = await Promise.all([
        startPanelServer(),
        launchBrowser(),
        startSmsGateway(),
      ]);
      accountId = await insertAccount(db(), { name: "Northwind", edition: "Premier" });
      owner = await seedActiveAdmin(server.database, { accountId, role: "Owner" });
      helpDesk = await seedActiveAdmin(server.database, { accountId, role: "Help Desk" });
      userId = await insertUser(db(), accountId, {
        username: "mia",
        realName: "Mia Lund",
        groupIds: [],
      });
      phoneId = await insertPhone(db(), server.database.secrets, {
        accountId,
        userId,
        number: NUMBER,
      });
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await gateway?.close();
    });

    const protect = async (page: Page, type: string, name: string) => {
      await page.getByRole("button", { name: "Protect an Application" }).click();
      const dialog = await dialogNamed(page, "Protect an Application");
      await dialog.getByRole("combobox", { name: "Type", exact: true }).click();
      await page.getByRole("option", { name: type, exact: true }).click();
      await dialog.getByRole("textbox", { name: /^Name/ }).fill(name);
      await dialog.getByRole("button", { name: "Protect" }).click();
      await dialog.getByText("Copy the secret key now").waitFor();
      return dialog;
    };

    it("R-AUTH-1: an Owner protects an Auth API application and is shown its three values, each with a copy button", async () => {
      const page = await asOwner();
      await navigate(page, "Applications");
      const dialog = await protect(page, "Auth API (authapi)", "VPN portal");
      const key = await dialog.getByTestId("integration-key").inputValue();
      expect(key).toMatch(/^DI[0-9A-Z]{18}$/);
      expect(await dialog.getByTestId("secret-key").inputValue()).toMatch(/^[0-9A-Za-z]{40}$/);
      expect(await dialog.getByTestId("api-hostname").inputValue()).toBe("127.0.0.1");
      for (const label of ["integration key", "secret key", "api hostname"])
        await dialog.getByRole("button", { name: `Copy ${label}` }).waitFor();
      await checkAccessibility(page);
      await screenshot(page, "application-created-authapi");
      const stored = await db()
        .selectFrom("applications")
        .select(["type", "name"])
        .where("id", "=", key)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ type: "authapi", name: "VPN portal" });
      await dialog.getByRole("button", { name: "Done" }).click();
      await page.getByRole("heading", { name: "VPN portal", level: 2 }).waitFor();
      await expect(page.getByText("Legacy Unix clients").count()).resolves.toBe(0);
    });

    it("a UNIX application's page turns legacy Unix clients on, with the risk said beside the switch", async () => {
      const page = await asOwner();
      await navigate(page, "Applications");
      const dialog = await protect(page, "UNIX Application (unix)", "Bastion hosts");
      const key = await dialog.getByTestId("integration-key").inputValue();
      await dialog.getByRole("button", { name: "Done" }).click();
      await page.getByRole("heading", { name: "Bastion hosts", level: 2 }).waitFor();
      const toggle = page.getByRole("switch", {
        name: /^Legacy Unix clients \(duo_unix before 2\.2\)/,
      });
      await expect(toggle.isChecked()).resolves.toBe(false);
      const risk = (await page.getByTestId("legacy-risk").textContent()) ?? "";
      expect(risk).toContain("without a date");
      expect(risk).toContain("send it again");
      expect(risk).toContain("every passcode works only once");
      expect(risk).toContain("Prefer upgrading");
      await toggle.check();
      await page.getByText("Legacy Unix clients are now accepted by Bastion hosts").waitFor();
      await expect(toggle.isChecked()).resolves.toBe(true);
      const stored = await db()
        .selectFrom("applications")
        .select("legacy_unix_clients")
        .where("id", "=", key)
        .executeTakeFirstOrThrow();
      expect(stored.legacy_unix_clients).toBe(true);
      await page.mouse.move(1300, 740);
      await checkAccessibility(page);
      await screenshot(page, "application-unix-legacy");
    });

    it("R-AUTH-3: an Owner sets the users' lockout and the new-user policy in plain words", async () => {
      const page = await asOwner();
      await navigate(page, "Settings");
      await page.getByRole("heading", { name: "Users logging in" }).waitFor();
      await page.getByLabel("Wrong passcodes before a user is locked out").fill("5");
      const duration = page.getByLabel("How long a user stays locked out (minutes)");
      await expect(duration.isDisabled()).resolves.toBe(true);
      await page
        .getByRole("checkbox", { name: /^Locked-out users stay locked out until an administrator/ })
        .uncheck();
      await duration.fill("15");
      await page.getByRole("radio", { name: /^Deny: they cannot log in/ }).check();
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByText("Settings saved").waitFor();
      expect(await settings()).toMatchObject({
        user_lockout_threshold: 5,
        user_lockout_minutes: 15,
      });
      // R-POL-1: the new-user policy is the global policy's now.
      const global = await db()
        .selectFrom("policies")
        .select("sections")
        .where("account_id", "=", accountId)
        .where("is_global", "=", true)
        .executeTakeFirstOrThrow();
      expect(global.sections).toMatchObject({ new_user: { new_user_behavior: "deny" } });
      await page.mouse.move(1300, 740);
      await checkAccessibility(page);
    });

    it("R-AUTH-2: an Owner sets the SMS gateway with a secret header, and a test message arrives through it", async () => {
      const page = await asOwner();
      await page.goto("/settings");
      const section = page.getByRole("region", { name: "SMS gateway" });
      await section.getByText("Not set", { exact: true }).waitFor();
      await section.getByRole("textbox", { name: /^Gateway address/ }).fill(gateway.url);
      await section.getByRole("textbox", { name: /^Secret header name/ }).fill("X-Api-Key");
      await section.getByLabel("Secret header value").fill("not-for-the-page-42");
      await section.getByRole("button", { name: "Save gateway" }).click();
      await page.getByText("SMS gateway saved").waitFor();
      await section.getByText("Set. Kept sealed and never shown", { exact: false }).waitFor();
      expect(await page.content()).not.toContain("not-for-the-page-42");
      expect((await settings()).sms_gateway_url).toBe(gateway.url);

      await section
        .getByRole("textbox", { name: /^Mobile number for a test message/ })
        .fill("+15551234567");
      await section.getByRole("button", { name: "Send a test message" }).click();
      const result = section.getByTestId("test-message-result");
      await result.waitFor();
      await expect(result.textContent()).resolves.toContain("The gateway took the message");
      const message = gateway.messages.at(-1);
      expect(message?.headers["x-api-key"]).toBe("not-for-the-page-42");
      expect(JSON.parse(message?.body ?? "{}")).toMatchObject({ to: "+15551234567" });
      await page.mouse.move(1300, 740);
      await checkAccessibility(page);
      await screenshot(page, "settings-sms-gateway");
    });

    it("R-ROLE-3, R-AUTH-5: Help Desk sets up an authenticator app on a user's phone; the link and its QR code work once", async () => {
      const page = await signedIn(helpDesk);
      await page.goto(`/users/${userId}`);
      const phones = page.getByRole("table", { name: "Phones" });
      await phones.getByText("Not set up").waitFor();
      await page.getByRole("button", { name: `Set up authenticator app on ${NUMBER}` }).click();
      const dialog = await dialogNamed(page, `Set up an authenticator app on ${NUMBER}`);
      await dialog.getByRole("button", { name: "Create activation link" }).click();
      const link = await dialog.getByTestId("activation-url").inputValue();
      expect(link).toMatch(/\/enroll\/[A-Za-z0-9_-]{43}$/);
      await dialog.getByRole("button", { name: "Copy activation link" }).waitFor();
      const qr = dialog.getByRole("img", {
        name: "QR code that sets up an authenticator app for mia",
      });
      await expect
        .poll(() => qr.evaluate((image) => (image as HTMLImageElement).naturalWidth))
        .toBeGreaterThan(0);
      await checkAccessibility(page);
      await screenshot(page, "user-phone-activation");

      // The person opens the link on their phone and finishes with a first code.
      const phonePage = await openPage(browser, server.url);
      await phonePage.goto(link);
      await phonePage.getByRole("heading", { name: "Set up your authenticator app" }).waitFor();
      const key = ((await phonePage.locator("code").textContent()) ?? "").replaceAll(" ", "");
      await phonePage.getByLabel("Code from your app").fill(appCode(key));
      await phonePage.getByRole("button", { name: "Finish setup" }).click();
      await phonePage.getByRole("heading", { name: "Your authenticator app is set up" }).waitFor();
      const phone = await db()
        .selectFrom("phones")
        .select(["activated", "totp_secret_enc"])
        .where("id", "=", phoneId)
        .executeTakeFirstOrThrow();
      expect(phone.activated).toBe(true);
      expect(phone.totp_secret_enc).not.toBeNull();

      await dialog.getByRole("button", { name: "Done" }).click();
      await phones.getByText("Set up", { exact: true }).waitFor();
      await page.goto(link.replace(/^https?:\/\/[^/]+/, ""));
      await page.getByRole("heading", { name: "This link cannot be used" }).waitFor();
    });

    it("R-POL-1, R-POL-2: an Owner writes a policy for the VPN that trusts the office network and denies the rest, and applies it", async () => {
      const page = await asOwner();
      await navigate(page, "Policies");
      await page.getByRole("button", { name: "Create policy" }).click();
      const dialog = await dialogNamed(page, "Create policy");
      await dialog.getByRole("textbox", { name: /^Name/ }).fill("Office VPN");
      await dialog.getByRole("button", { name: "Create" }).click();
      await page.getByRole("heading", { name: "Office VPN", level: 2 }).waitFor();
      await page.getByRole("combobox", { name: "Apply to an application" }).click();
      await page.getByRole("option", { name: "VPN portal" }).click();
      await page.getByRole("button", { name: "Apply", exact: true }).click();
      await page
        .getByRole("table", { name: "Applications and groups this policy applies to" })
        .getByText("VPN portal")
        .waitFor();

      const networks = page.getByRole("group", { name: "Networks", exact: true });
      await networks.getByText("Set here", { exact: true }).click();
      const trusted = networks.getByRole("textbox", { name: /^Networks that skip/ });
      await trusted.fill("10.0.0.0/8\n10.0.0.300/8");
      await networks.getByRole("checkbox", { name: "Deny access from any other network" }).check();
      await page.getByRole("button", { name: "Save policy" }).click();
      // The range that is no range is refused beside its field, and nothing is saved.
      await networks.getByText('"10.0.0.300/8" is not an IP address or CIDR range').waitFor();
      await expect(trusted.getAttribute("aria-invalid")).resolves.toBe("true");
      await trusted.fill("10.0.0.0/8");

      // R-POL-3: before saving, Mia's login from a hotel network last week would now be denied.
      const vpnPortal = await db()
        .selectFrom("applications")
        .select("id")
        .where("account_id", "=", accountId)
        .where("name", "=", "VPN portal")
        .executeTakeFirstOrThrow();
      await db()
        .insertInto("authentication_log")
        .values({
          txid: randomUUID(),
          account_id: accountId,
          created_at: new Date(Date.now() - 7 * 86_400_000),
          event_type: "authentication",
          result: "success",
          reason: "valid_passcode",
          factor: "duo_mobile_passcode",
          user_id: userId,
          username: "mia",
          application_id: vpnPortal.id,
          application_name: "VPN portal",
          access_ip: "198.51.100.23",
        })
        .execute();
      await page.getByRole("button", { name: "Preview impact" }).click();
      await page
        .getByRole("table", { name: "Who would come out differently" })
        .getByRole("row")
        .filter({ hasText: "mia" })
        .filter({ hasText: "Denied" })
        .waitFor();
      await checkAccessibility(page);
      await screenshot(page, "policy-impact-preview");
      await page.getByRole("button", { name: "Save policy" }).click();
      await page.getByText("Policy “Office VPN” saved").waitFor();
      // R-ROLE-3: the saved change is in the Policy Impact report, with Mia's login.
      await navigate(page, "Policy Impact");
      const record = page.getByRole("article").filter({ hasText: "changed policy Office VPN" });
      await record.getByText("1 login of 1 in the 30 days before came out differently.").waitFor();
      await record
        .getByRole("row")
        .filter({ hasText: "mia" })
        .filter({ hasText: "Denied" })
        .waitFor();
      await checkAccessibility(page);
      await page.goBack();
      await page.getByRole("heading", { name: "Office VPN", level: 2 }).waitFor();
      await checkAccessibility(page);
      await screenshot(page, "policy-office-vpn");

      // Issue 16 item 4: on Mia's page, what decides her next login to the VPN, and from where.
      await page.goto(`/users/${userId}`);
      const card = page.getByRole("region", { name: "Policy on an application" });
      await card.getByRole("combobox", { name: "Application" }).click();
      await page.getByRole("option", { name: "VPN portal" }).click();
      const networksRow = card.getByRole("row").filter({ hasText: "Networks" });
      await networksRow
        .getByText("No second factor from 10.0.0.0/8. Denied from any other network.")
        .waitFor();
      await expect(networksRow.getByRole("link").textContent()).resolves.toBe("Office VPN");
      const methodsRow = card.getByRole("row").filter({ hasText: "Ways to log in" });
      await methodsRow.getByText("(the global policy)").waitFor();
      await checkAccessibility(page);
      const stored = await db()
        .selectFrom("policies")
        .innerJoin("application_policies", "application_policies.policy_id", "policies.id")
        .innerJoin("applications", "applications.id", "application_policies.application_id")
        .select(["policies.sections", "applications.name"])
        .where("policies.account_id", "=", accountId)
        .where("policies.name", "=", "Office VPN")
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({
        name: "VPN portal",
        sections: {
          authorized_networks: {
            allow_without_2fa_networks: ["10.0.0.0/8"],
            require_2fa_networks: [],
            deny_other_networks: true,
          },
        },
      });
    });
  },
);
