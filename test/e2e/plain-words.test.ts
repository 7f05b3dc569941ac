import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { insertAdmin } from "../../src/db/queries/admins.js";
import { type SeededAdmin, seedActiveAdmin } from "../helpers/admins.js";
import { insertAccount } from "../helpers/fixtures.js";
import {
  checkAccessibility,
  describeInBrowser,
  launchBrowser,
  openPage,
  screenshot,
} from "./browser.js";
import { type PanelServer, startPanelServer } from "./server.js";
import { fullyShown, navigate, signInThroughUi } from "./ui.js";

/** Every visible piece of text on the page that shows a rule id outside a rule link. */
function bareRuleIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? "";
      const element = node.parentElement;
      if (!/R-[A-Z]+-\d/.test(text) || !element) continue;
      if (element.closest("[data-rule-link]")) continue;
      if (element.closest("script, style, [hidden], [aria-hidden='true']")) continue;
      if (element.getClientRects().length === 0) continue;
      found.push(text.trim());
    }
    return found;
  });
}

/** Badges whose words do not fit: the label's text is wider than the label shows. */
function truncatedBadges(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>(".mantine-Badge-label")]
      .filter((label) => label.scrollWidth > label.clientWidth + 1)
      .map((label) => label.textContent ?? ""),
  );
}

function overlap(
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describeInBrowser(
  "issue 13 item 7: the panel speaks in plain words, with rule ids as links to the Rules page",
  { timeout: 90_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    let owner: SeededAdmin;
    let helpDesk: SeededAdmin;
    let ownerPage: Page;
    let openCo: string;

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
      const db = server.database.handle.db;
      const parentId = await insertAccount(db, { name: "Northwind MSP", edition: "Premier" });
      openCo = await insertAccount(db, { parentId, name: "Open Co" });
      const acme = await insertAccount(db, { parentId, name: "Acme EU" });
      await db.insertInto("subaccount_tags").values({ account_id: acme, tag: "EU" }).execute();
      // One Owner only: the Dashboard's warning shows (R-ROLE-9).
      owner = await seedActiveAdmin(server.database, { accountId: parentId, role: "Owner" });
      helpDesk = await seedActiveAdmin(server.database, {
        accountId: parentId,
        role: "Help Desk",
        email: "hank@northwind.test",
      });
      await db.insertInto("admin_tags").values({ admin_id: helpDesk.id, tag: "EU" }).execute();
      await insertAdmin(db, {
        account_id: parentId,
        email: "pending@northwind.test",
        name: "Pat Pending",
        phone: null,
        role: "Read-only",
        status: "Pending Activation",
        password_hash: null,
        totp_secret_enc: null,
      });
      ownerPage = await openPage(browser, server.url);
      await signInThroughUi(ownerPage, owner);
      // Starting PGlite, the server and Chromium on a loaded 2-core machine can take minutes.
    }, 300_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it("issue 13 item 7: no rule id shows as text on the pages, only as links; the Owner warning is a sentence (R-ROLE-9)", async () => {
      const page = ownerPage;
      const warning = page.getByTestId("owner-warning");
      await warning.waitFor();
      await expect(warning.textContent()).resolves.toContain(
        "This account has only one active Owner. Add a second Owner so that the account is not locked out if one leaves.",
      );
      const link = warning.getByRole("link", { name: "R-ROLE-9" });
      await expect(link.getAttribute("href")).resolves.toBe("/rules#R-ROLE-9");
      await expect(bareRuleIds(page)).resolves.toEqual([]);

      // Each page, once what it shows has loaded: a row of its list, or one of its rule links.
      const pages: [label: string, shown: () => Promise<void>][] = [
        [
          "Administrators",
          () => page.getByRole("cell", { name: "hank@northwind.test", exact: true }).waitFor(),
        ],
        [
          "Accounts",
          () => page.getByRole("cell", { name: "Acme EU", exact: true }).first().waitFor(),
        ],
        ["Administrative Units", () => page.getByRole("link", { name: "R-UNIT-4" }).waitFor()],
        ["Settings", () => page.getByRole("link", { name: "R-ROLE-4" }).waitFor()],
      ];
      for (const [label, shown] of pages) {
        await navigate(page, label);
        await page.getByRole("heading", { level: 2, name: label }).waitFor();
        await shown();
        await expect(bareRuleIds(page), label).resolves.toEqual([]);
      }
      await page.goto(`/administrators/${helpDesk.id}`);
      await page.getByRole("heading", { name: "Role and access" }).waitFor();
      await page.getByRole("link", { name: "R-SUB-1" }).waitFor();
      await expect(bareRuleIds(page)).resolves.toEqual([]);
      await page.goto("/administrators");
      await page.getByRole("button", { name: "Add Administrator" }).click();
      const dialog = page.getByRole("dialog", { name: "Add Administrator" });
      await fullyShown(dialog);
      await expect(bareRuleIds(page)).resolves.toEqual([]);
      await dialog.getByRole("button", { name: "Cancel" }).click();
    });

    it("issue 13 item 7: a rule link opens the Rules page at that rule", async () => {
      const page = ownerPage;
      await navigate(page, "Dashboard");
      await page.getByTestId("owner-warning").getByRole("link", { name: "R-ROLE-9" }).click();
      const rule = page.locator("[id='R-ROLE-9']");
      await rule.waitFor();
      await expect.poll(() => page.url()).toMatch(/\/rules#R-ROLE-9$/);
      await expect
        .poll(() => rule.evaluate((element) => element.getBoundingClientRect().top))
        .toBeLessThan(200);
      await expect(rule.getByRole("heading", { level: 4 }).textContent()).resolves.toMatch(
        /^R-ROLE-9/,
      );
    });

    it("issue 13 item 7: signed out, /rules#R-TAG-2 renders the rules and lands on R-TAG-2", async () => {
      const page = await openPage(browser, server.url);
      await page.goto("/rules#R-TAG-2");
      const rule = page.locator("[id='R-TAG-2']");
      await rule.waitFor();
      await expect(page.getByRole("heading", { name: "Rules", level: 2 }).count()).resolves.toBe(1);
      await expect(page.locator("article[id^='R-']").count()).resolves.toBeGreaterThan(20);
      await expect
        .poll(() => rule.evaluate((element) => element.getBoundingClientRect().top))
        .toBeLessThan(200);
      await expect(
        page.evaluate(() => window.scrollY),
        "the page scrolled down to the rule",
      ).resolves.toBeGreaterThan(100);
      await expect(page.getByRole("link", { name: "Sign in" }).first().isVisible()).resolves.toBe(
        true,
      );
      await checkAccessibility(page);
      await screenshot(page, "rules");
      await page.context().close();
    });

    it("issue 13 item 7: Why? links have names a person would ask", async () => {
      const page = await openPage(browser, server.url);
      await signInThroughUi(page, helpDesk);
      await page
        .getByRole("button", { name: "Why can't I change the plan edition?", exact: true })
        .waitFor();
      await page.goto("/administrators");
      await page
        .getByRole("button", { name: "Why can't I view administrators?", exact: true })
        .click();
      const explanation = page.getByTestId("explanation");
      await explanation.waitFor();
      await explanation
        .getByRole("link", { name: /^R-[A-Z]+-\d/ })
        .first()
        .waitFor();
      await expect(bareRuleIds(page)).resolves.toEqual([]);
      const names = await page
        .getByRole("button", { name: /^Why/ })
        .evaluateAll((buttons) => buttons.map((button) => button.getAttribute("aria-label")));
      for (const name of names) expect(name).not.toMatch(/:|_/);
      await page.context().close();
    });

    it("issue 13 item 7: badges show their whole text: 'Pending Activation' is not cut short", async () => {
      const page = ownerPage;
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.goto("/administrators");
      const badge = page
        .getByRole("table", { name: "Administrators" })
        .getByText("Pending Activation", { exact: true });
      await badge.waitFor();
      await expect(badge.isVisible()).resolves.toBe(true);
      await expect(truncatedBadges(page)).resolves.toEqual([]);
      await page.setViewportSize({ width: 1366, height: 768 });
    });

    it("issue 13 item 7: a new application's type is a labelled choice; its secret key has a label, a copy button and the API hostname", async () => {
      const page = ownerPage;
      await page.goto("/applications");
      await page.getByRole("button", { name: "Protect an Application" }).click();
      const dialog = page.getByRole("dialog", { name: "Protect an Application" });
      await fullyShown(dialog);
      await dialog.getByRole("combobox", { name: "Type" }).click();
      await page.getByRole("option", { name: "Web SDK (Universal Prompt) (websdk)" }).click();
      await dialog.getByLabel(/^Name/).fill("Intranet");
      await dialog.getByRole("button", { name: "Protect" }).click();
      // Duo's Web SDK names its keys a client id and a client secret.
      const secret = dialog.getByRole("textbox", { name: "Client secret", exact: true });
      await secret.waitFor();
      await expect(secret.inputValue()).resolves.toMatch(/^\S{40}$/);
      await expect(
        dialog.getByRole("textbox", { name: "API hostname", exact: true }).inputValue(),
      ).resolves.toBe("127.0.0.1");
      await expect(
        dialog.getByRole("textbox", { name: "Client ID", exact: true }).inputValue(),
      ).resolves.toMatch(/^DI/);
      await dialog.getByRole("button", { name: "Copy client secret" }).waitFor();
      await fullyShown(dialog);
      await checkAccessibility(page);
      await dialog.getByRole("button", { name: "Done" }).click();
    });

    it("issue 13 item 7: Add Administrator on a subaccount's page adds the admin there, and its toast stays off the dialog's buttons (R-SUB-5)", async () => {
      const page = ownerPage;
      await page.goto(`/subaccounts/${openCo}`);
      await page.getByRole("heading", { name: "Open Co", level: 2 }).waitFor();
      await page.getByRole("button", { name: "Add Administrator" }).click();
      const dialog = page.getByRole("dialog", { name: "Add Administrator" });
      await fullyShown(dialog);
      await expect(dialog.getByTestId("adding-to").textContent()).resolves.toContain("Open Co");
      await dialog.getByLabel(/^Name/).fill("Olga Open");
      await dialog.getByLabel(/^Email/).fill("olga@open.test");
      await dialog.getByRole("button", { name: "Add Administrator" }).click();
      await dialog.getByLabel("Activation link").waitFor();
      const toast = page.locator(".mantine-Notifications-root [role=alert]").first();
      await toast.waitFor();
      const [toastBox, doneBox] = await Promise.all([
        toast.boundingBox(),
        dialog.getByRole("button", { name: "Done" }).boundingBox(),
      ]);
      expect(toastBox && doneBox && !overlap(toastBox, doneBox)).toBe(true);
      const dialogBox = await dialog.boundingBox();
      expect(toastBox && dialogBox && !overlap(toastBox, dialogBox)).toBe(true);
      const added = await server.database.handle.db
        .selectFrom("admins")
        .select(["account_id", "status", "subaccount_role"])
        .where("email", "=", "olga@open.test")
        .execute();
      expect(added).toEqual([
        { account_id: openCo, status: "Pending Activation", subaccount_role: null },
      ]);
      await dialog.getByRole("button", { name: "Done" }).click();
      await page
        .getByRole("table", { name: "Administrators" })
        .getByRole("cell", { name: "olga@open.test", exact: true })
        .waitFor();
    });
  },
);
