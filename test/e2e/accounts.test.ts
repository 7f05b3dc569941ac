import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { GOOD_PASSWORD, type SeededAdmin, seedActiveAdmin } from "../helpers/admins.js";
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

/** The subaccount names the Accounts table shows now, in its order. */
function namesIn(page: Page): Promise<string[]> {
  return page.getByRole("table", { name: "Subaccounts" }).getByRole("link").allTextContents();
}

/** The tags GET /api/tags offers, asked through the page's own session. */
function offeredTags(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const response = await fetch("/api/tags", { headers: { accept: "application/json" } });
    const uses = (await response.json()) as { tag: string }[];
    return uses.map((use) => use.tag);
  });
}

async function pick(page: Page, field: Locator, option: string): Promise<void> {
  await field.click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

describeInBrowser("the Accounts pages and Edit Profile in Chromium", { timeout: 60_000 }, () => {
  let server: PanelServer;
  let browser: Browser;
  let owner: SeededAdmin;
  let helpDesk: SeededAdmin;
  let ownerPage: Page | undefined;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
    const db = server.database.handle.db;
    const parentId = await insertAccount(db, { name: "Northwind MSP", edition: "Premier" });
    const acme = await insertAccount(db, { parentId, name: "Acme EU", nfr: true });
    const gov = await insertAccount(db, { parentId, name: "Gov Cloud", edition: "Advantage" });
    const small = await insertAccount(db, { parentId, name: "Small Biz", edition: "Essentials" });
    await insertAccount(db, { parentId, name: "Open Co" });
    await db
      .insertInto("subaccount_tags")
      .values([
        { account_id: acme, tag: "EU" },
        { account_id: gov, tag: "Government Restricted" },
        { account_id: small, tag: "eu" },
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
  /** One Owner session for the Owner's tests, which run in order. */
  const asOwner = async (path: string): Promise<Page> => {
    ownerPage ??= await signedIn(owner);
    await ownerPage.goto(path);
    return ownerPage;
  };

  it("R-TAG-4, R-TAG-6, R-TAG-1: the Accounts page lists each subaccount's tags, NFR and edition, and its tag search is case-sensitive", async () => {
    const page = await asOwner("/");
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Accounts" })
      .click();
    await page.getByRole("heading", { name: "Accounts", level: 2 }).waitFor();
    // Away from the link just clicked: axe judges the page at rest, not a hovered link.
    await page.mouse.move(1000, 20);
    await expect
      .poll(() => namesIn(page))
      .toEqual(["Acme EU", "Gov Cloud", "Open Co", "Small Biz"]);
    const acme = page.getByRole("row").filter({ hasText: "Acme EU" });
    await expect(acme.textContent()).resolves.toMatch(/Acme EU.*EU.*NFR.*Premier.*Edit/);
    await checkAccessibility(page);
    await screenshot(page, "accounts");

    const tag = page.getByRole("combobox", { name: "Access tag", exact: true });
    await tag.fill("EU");
    await expect.poll(() => namesIn(page)).toEqual(["Acme EU"]);
    await tag.fill("eu");
    await expect.poll(() => namesIn(page)).toEqual(["Small Biz"]);
    await tag.fill("Eu");
    await page.getByText(/the tag “Eu”\. Capitals count in tags/).waitFor();
    await tag.fill("");
    await page.getByRole("searchbox", { name: "Search by name" }).fill("gov");
    await expect.poll(() => namesIn(page)).toEqual(["Gov Cloud"]);
  });

  it("R-TAG-3: Add Account assigns an existing tag and one typed in Add Access Tag; a dismissed Add Access Tag creates nothing", async () => {
    const page = await asOwner("/subaccounts");
    await page.getByRole("button", { name: "Add Account" }).click();
    const dialog = page.getByRole("dialog", { name: "Add Account" });
    await dialog.getByRole("textbox", { name: "Name" }).fill("Contoso");
    await pick(page, dialog.getByRole("combobox", { name: "Edition" }), "Advantage");
    await pick(page, dialog.getByRole("combobox", { name: "Access tags" }), "EU");
    await page.keyboard.press("Escape");
    await dialog.getByRole("button", { name: "Add Access Tag" }).click();
    const addTag = page.getByRole("dialog", { name: "Add Access Tag" });
    await addTag.getByRole("textbox", { name: "Tag name" }).fill("Finance");
    await checkAccessibility(page);
    await screenshot(page, "accounts-add-access-tag");
    await addTag.getByRole("button", { name: "Add Access Tag" }).click();
    await addTag.waitFor({ state: "hidden" });
    await expect(dialog.textContent()).resolves.toContain("Finance");
    await checkAccessibility(page);
    await screenshot(page, "accounts-add-account");
    await dialog.getByRole("button", { name: "Add Account" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => namesIn(page)).toContain("Contoso");
    const contoso = page.getByRole("row").filter({ hasText: "Contoso" });
    await expect(contoso.textContent()).resolves.toMatch(/Contoso.*EU.*Finance.*No.*Advantage/);

    // Second try: the dialog dismissed with Escape leaves the form open and creates nothing.
    await page.getByRole("button", { name: "Add Account" }).click();
    await dialog.getByRole("textbox", { name: "Name" }).fill("Fabrikam");
    await dialog.getByRole("button", { name: "Add Access Tag" }).click();
    await addTag.getByRole("textbox", { name: "Tag name" }).fill("Temporary");
    await page.keyboard.press("Escape");
    await addTag.waitFor({ state: "hidden" });
    await expect(dialog.isVisible()).resolves.toBe(true);
    await expect(dialog.textContent()).resolves.not.toContain("Temporary");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    const tags = await offeredTags(page);
    expect(tags).toEqual(expect.arrayContaining(["EU", "Finance", "eu"]));
    expect(tags).not.toContain("Temporary");
    await expect(namesIn(page)).resolves.not.toContain("Fabrikam");
  });

  it("R-TEN-4: Edit changes NFR and the edition; an Owner is offered Preview before saving", async () => {
    const page = await asOwner("/subaccounts");
    await page.getByRole("button", { name: "Edit Contoso" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit Contoso" });
    await dialog.getByRole("switch", { name: /NFR/ }).check({ force: true });
    await pick(page, dialog.getByRole("combobox", { name: "Edition" }), "Premier");
    await expect(dialog.getByRole("button", { name: "Preview" }).isEnabled()).resolves.toBe(true);
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    const contoso = page.getByRole("row").filter({ hasText: "Contoso" });
    await expect.poll(() => contoso.textContent()).toMatch(/Contoso.*NFR.*Premier/);
    const saved = await server.database.handle.db
      .selectFrom("accounts")
      .select(["nfr", "edition"])
      .where("name", "=", "Contoso")
      .executeTakeFirstOrThrow();
    expect(saved).toEqual({ nfr: true, edition: "Premier" });
  });

  it("R-TAG-2, R-TAG-4: a Help Desk admin tagged EU sees every subaccount, and opening Gov Cloud shows the no-access banner with both sides' tags", async () => {
    const page = await signedIn(helpDesk);
    await page.goto("/subaccounts");
    await expect.poll(() => namesIn(page)).toContain("Gov Cloud");
    const gov = page.getByRole("row").filter({ hasText: "Gov Cloud" });
    await expect(gov.textContent()).resolves.toContain("No access");
    await expect(gov.getByRole("button", { name: "Edit Gov Cloud" }).isDisabled()).resolves.toBe(
      true,
    );
    await gov.getByRole("link", { name: "Gov Cloud" }).click();
    const banner = page.getByTestId("no-access");
    await banner.waitFor();
    const text = (await banner.textContent()) ?? "";
    expect(text).toContain("You don't have access to this subaccount");
    expect(text).toContain("R-TAG-2");
    expect(text).toContain("R-TAG-4");
    expect(text).toContain("Government Restricted");
    expect(text).toContain("EU");
    await expect(page.getByRole("heading", { name: "Gov Cloud" }).count()).resolves.toBe(0);
    await checkAccessibility(page);
    await screenshot(page, "accounts-no-access");
  });

  it("R-ROLE-7, R-ADM-3: Edit Profile changes the name, and a too-short new password shows the policy's error on its field", async () => {
    const page = await asOwner("/profile");
    await page.getByRole("heading", { name: "Edit Profile", level: 2 }).waitFor();
    await page.getByLabel(/^Current password/).fill(GOOD_PASSWORD);
    const newPassword = page.getByLabel(/^New password/);
    await newPassword.fill("short");
    await page.getByLabel(/^Confirm new password/).fill("short");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText(/the password needs at least 12 characters/i).waitFor();
    await expect(newPassword.getAttribute("aria-invalid")).resolves.toBe("true");
    await checkAccessibility(page);
    await screenshot(page, "profile");

    await page.getByRole("textbox", { name: "Name" }).fill("Olive Owner");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("banner").getByRole("button", { name: "Olive Owner" }).waitFor();
    const row = await server.database.handle.db
      .selectFrom("admins")
      .select("name")
      .where("id", "=", owner.id)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe("Olive Owner");
  });
});
