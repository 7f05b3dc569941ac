import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
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
import { signInThroughUi } from "./ui.js";

describeInBrowser(
  "the signed-in shell in Chromium: Dashboard, account switcher, Why?",
  { timeout: 60_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    let owner: SeededAdmin;
    let helpDesk: SeededAdmin;

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
      const db = server.database.handle.db;
      const parentId = await insertAccount(db, { name: "Northwind MSP", edition: "Premier" });
      const acme = await insertAccount(db, { parentId, name: "Acme EU", nfr: true });
      const gov = await insertAccount(db, { parentId, name: "Gov Cloud" });
      await insertAccount(db, { parentId, name: "Open Co" });
      await db
        .insertInto("subaccount_tags")
        .values([
          { account_id: acme, tag: "EU" },
          { account_id: gov, tag: "Government Restricted" },
        ])
        .execute();
      owner = await seedActiveAdmin(server.database, { accountId: parentId, role: "Owner" });
      helpDesk = await seedActiveAdmin(server.database, { accountId: parentId, role: "Help Desk" });
      await db.insertInto("admin_tags").values({ admin_id: helpDesk.id, tag: "EU" }).execute();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const signedIn = async (admin: SeededAdmin): Promise<Page> => {
      const page = await openPage(browser, server.url);
      await signInThroughUi(page, admin);
      return page;
    };

    it("R-ROLE-9: the Dashboard shows the account's name, edition and counts, and warns while it has one Owner", async () => {
      const page = await signedIn(owner);
      await page.getByRole("heading", { name: "Northwind MSP", level: 2 }).waitFor();
      await expect(page.getByTestId("edition").textContent()).resolves.toBe("Premier");
      await expect(page.getByTestId("count-subaccounts").textContent()).resolves.toBe("3");
      await expect(page.getByTestId("count-administrators").textContent()).resolves.toBe("2");
      await expect(page.getByTestId("count-users").textContent()).resolves.toBe("0");
      const warning = page.getByTestId("owner-warning");
      await expect(warning.textContent()).resolves.toContain("only one active Owner");
      await expect(warning.textContent()).resolves.toContain("R-ROLE-9");
      await expect(page.getByRole("link", { name: "Dashboard" }).isVisible()).resolves.toBe(true);
      await checkAccessibility(page);
      await screenshot(page, "dashboard");
    });

    it("R-TAG-5: the switcher offers only the accessible subaccounts, and switching shows that account", async () => {
      const page = await signedIn(helpDesk);
      const switcher = page.getByRole("combobox", { name: "Account" });
      await expect(switcher.inputValue()).resolves.toBe("Northwind MSP");
      await switcher.click();
      const options = page.getByRole("option");
      await options.first().waitFor();
      await expect(options.allTextContents()).resolves.toEqual([
        "Northwind MSP",
        "Acme EU (NFR)",
        "Open Co",
      ]);
      await checkAccessibility(page);
      await screenshot(page, "account-switcher");

      await page.getByRole("option", { name: "Acme EU (NFR)" }).click();
      await page.getByRole("heading", { name: "Acme EU", level: 2 }).waitFor();
      await expect(switcher.inputValue()).resolves.toBe("Acme EU (NFR)");
      await expect(page.getByText("Subaccount", { exact: true }).isVisible()).resolves.toBe(true);
    });

    it("R-AUD-2: an action the admin may not take is disabled, and its Why? link shows the engine's rule and reason", async () => {
      const page = await signedIn(helpDesk);
      const change = page.getByRole("button", { name: "Change edition" });
      await change.waitFor();
      await expect(change.isDisabled()).resolves.toBe(true);
      await page.getByRole("button", { name: "Why can't I change the plan edition?" }).click();
      const explanation = page.getByTestId("explanation");
      await explanation.waitFor();
      const text = (await explanation.textContent()) ?? "";
      expect(text).toContain("Denied");
      expect(text).toMatch(/Rule R-[A-Z]+-\d+/);
      await checkAccessibility(page);
      await screenshot(page, "why-link");
    });

    it("R-TEN-4, R-PLAN-1: an Owner previews a downgrade to Free (every admin would act as an Owner), then changes the edition; the Dashboard shows the new one", async () => {
      const page = await signedIn(owner);
      await page.getByRole("button", { name: "Change edition" }).click();
      const dialog = page.getByRole("dialog", { name: "Change plan edition" });
      await dialog.waitFor();
      await dialog.getByRole("combobox", { name: "Edition" }).click();
      await page.getByRole("option", { name: "Free" }).click();
      await dialog.getByRole("button", { name: "Preview" }).click();
      const preview = page.getByRole("dialog", { name: "Preview of the change" });
      const changes = preview.getByRole("table", { name: "Whose role changes" });
      await changes.waitFor();
      const rows = await changes.getByRole("row").allTextContents();
      expect(rows).toContain(`${helpDesk.email}Northwind MSPHelp DeskOwner`);
      await preview.getByRole("button", { name: "Close", exact: true }).click();
      await preview.waitFor({ state: "hidden" });

      await dialog.getByRole("combobox", { name: "Edition" }).click();
      await page.getByRole("option", { name: "Advantage" }).click();
      await checkAccessibility(page);
      await screenshot(page, "dashboard-edition-dialog");
      await dialog.getByRole("button", { name: "Save" }).click();
      await dialog.waitFor({ state: "hidden" });
      await expect(page.getByTestId("edition").textContent()).resolves.toBe("Advantage");
    });
  },
);
