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

describeInBrowser("the Settings page in Chromium (R-ROLE-4, R-ADM-3)", { timeout: 60_000 }, () => {
  let server: PanelServer;
  let browser: Browser;
  let accountId: string;
  let owner: SeededAdmin;
  let helpDesk: SeededAdmin;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
    const db = server.database.handle.db;
    accountId = await insertAccount(db, { name: "Northwind", edition: "Premier" });
    owner = await seedActiveAdmin(server.database, { accountId, role: "Owner" });
    helpDesk = await seedActiveAdmin(server.database, { accountId, role: "Help Desk" });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const stored = () =>
    server.database.handle.db
      .selectFrom("account_settings")
      .selectAll()
      .where("account_id", "=", accountId)
      .executeTakeFirstOrThrow();
  const signedIn = async (admin: SeededAdmin): Promise<Page> => {
    const page = await openPage(browser, server.url);
    await signInThroughUi(page, admin);
    return page;
  };

  it("R-ROLE-4: an Owner limits Help Desk bypass codes to 60 minutes; saved, and shown after a reload", async () => {
    const page = await signedIn(owner);
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Settings" })
      .click();
    await page.mouse.move(1300, 740);
    await page.getByRole("heading", { name: "Settings", level: 2 }).waitFor();
    const expiration = page.getByLabel("Help Desk bypass code expiration (minutes)");
    await expect(expiration.count()).resolves.toBe(0);
    await page.getByRole("radio", { name: /^Limit/ }).check();
    await expiration.fill("60");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved").waitFor();
    expect(await stored()).toMatchObject({
      helpdesk_bypass: "limit",
      helpdesk_bypass_expiration: 60,
    });

    await page.reload();
    await page.getByRole("heading", { name: "Settings", level: 2 }).waitFor();
    await expect(page.getByRole("radio", { name: /^Limit/ }).isChecked()).resolves.toBe(true);
    await expect(expiration.inputValue()).resolves.toBe("60");
    await checkAccessibility(page);
    await screenshot(page, "settings");
  });

  it("an invalid value shows on its field and changes nothing", async () => {
    const before = await stored();
    const page = await signedIn(owner);
    await page.goto("/settings");
    const length = page.getByLabel("Minimum length");
    await length.fill("2");
    await page.getByRole("button", { name: "Save settings" }).click();
    const message = page.getByText("must be between 8 and 128");
    await message.waitFor();
    await expect(length.getAttribute("aria-invalid")).resolves.toBe("true");
    expect(await stored()).toEqual(before);
    await checkAccessibility(page);
  });

  it("R-ROLE-2: a Help Desk admin is not offered Settings, and the page by its address shows the refusal", async () => {
    const page = await signedIn(helpDesk);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Edit Profile" }).waitFor();
    await expect(nav.getByRole("link", { name: "Settings" }).count()).resolves.toBe(0);
    await page.goto("/settings");
    const refusal = page.getByTestId("refusal");
    await refusal.waitFor();
    const text = (await refusal.textContent()) ?? "";
    expect(text).toContain("Settings are not available");
    expect(text).toContain("Rule R-ROLE-2");
    await checkAccessibility(page);
  });
});
