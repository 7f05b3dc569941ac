import { readFile } from "node:fs/promises";
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
import { fullyShown, signInThroughUi } from "./ui.js";

/** The access summary's cells (R-SUM-1), split on commas: the seeded names and emails hold none. */
function csvRows(text: string): string[][] {
  return text
    .split("\r\n")
    .filter((line) => line !== "")
    .map((line) => line.split(",").map((cell) => cell.replace(/^"(.*)"$/, "$1")));
}

describeInBrowser(
  "the Administrators pages in Chromium: list, search, add, edit with Preview, access summary",
  { timeout: 60_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    let owner: SeededAdmin;
    let helpDesk: SeededAdmin;
    let manager: SeededAdmin;
    let ownerPage: Page;

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
      const t = server.database;
      const db = t.handle.db;
      const parentId = await insertAccount(db, { name: "Northwind MSP", edition: "Premier" });
      const acme = await insertAccount(db, { parentId, name: "Acme EU" });
      const gov = await insertAccount(db, { parentId, name: "Gov Cloud" });
      await insertAccount(db, { parentId, name: "Open Co" });
      await db
        .insertInto("subaccount_tags")
        .values([
          { account_id: acme, tag: "EU" },
          { account_id: gov, tag: "Government Restricted" },
        ])
        .execute();
      const seed = (email: string, role: "Owner" | "Help Desk" | "User Manager") =>
        seedActiveAdmin(t, { accountId: parentId, role, email });
      [owner, helpDesk, manager] = await Promise.all([
        seed("olivia@northwind.test", "Owner"),
        seed("hank@northwind.test", "Help Desk"),
        seed("uma@northwind.test", "User Manager"),
      ]);
      for (const [admin, name] of [
        [owner, "Olivia Owner"],
        [helpDesk, "Hank Desk"],
        [manager, "Uma Manager"],
      ] as const)
        await db.updateTable("admins").set({ name }).where("id", "=", admin.id).execute();
      await db
        .insertInto("admin_tags")
        .values([
          { admin_id: helpDesk.id, tag: "EU" },
          { admin_id: manager.id, tag: "EU" },
        ])
        .execute();
      ownerPage = await openPage(browser, server.url);
      await signInThroughUi(ownerPage, owner);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    /** Waits out the toasts (4 s), so that axe does not judge one mid-fade. */
    const noToasts = (page: Page) =>
      page
        .locator(".mantine-Notifications-root [role=alert]")
        .first()
        .waitFor({ state: "detached", timeout: 8_000 });
    const table = (page: Page) => page.getByRole("table", { name: "Administrators" });
    const rowCount = (page: Page) => page.getByTestId("row-count").textContent();

    it("R-ROLE-5, R-TAG-6, R-TAG-1: an Owner lists the admins and searches by tag, case-sensitively", async () => {
      const page = ownerPage;
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Administrators" })
        .click();
      await table(page).getByRole("cell", { name: "uma@northwind.test", exact: true }).waitFor();
      // Off the navigation: a hovered active NavLink has too little contrast (the shell's, reported).
      await page.mouse.move(1000, 700);
      await expect(rowCount(page)).resolves.toBe("3 in all");
      const headers = await table(page).getByRole("columnheader").allTextContents();
      expect(headers).toEqual([
        "Name",
        "Email",
        "Role",
        "Subaccount Role",
        "Access Tags",
        "Status",
        "Edit",
      ]);
      await checkAccessibility(page);
      await screenshot(page, "administrators");

      const search = page.getByLabel("Search administrators");
      await search.fill("eu");
      await expect.poll(() => rowCount(page)).toBe("0 of 3");
      await search.fill("EU");
      await expect.poll(() => rowCount(page)).toBe("2 of 3");
      const emails = await table(page)
        .getByRole("cell", { name: /@northwind\.test$/ })
        .allTextContents();
      expect(emails.sort()).toEqual(["hank@northwind.test", "uma@northwind.test"]);
      await search.fill("Help Desk");
      await expect.poll(() => rowCount(page)).toBe("1 of 3");
      await search.fill("");
    });

    it("R-ADM-2, R-TAG-1: an Owner adds an administrator with a tag and sees the activation link", async () => {
      const page = ownerPage;
      await page.getByRole("button", { name: "Add Administrator" }).click();
      const dialog = page.getByRole("dialog", { name: "Add Administrator" });
      await dialog.waitFor();
      await dialog.getByLabel("Name").fill("Erin Added");
      await dialog.getByLabel("Email").fill("erin@northwind.test");
      await dialog.getByRole("combobox", { name: "Role", exact: true }).click();
      await page.getByRole("option", { name: "Read-only", exact: true }).click();
      // Picked from the tags that exist (R-TAG-3): typing finds it, clicking gives it.
      await dialog.getByRole("combobox", { name: "Access tags" }).fill("EU");
      await page.getByRole("option", { name: "EU", exact: true }).click();
      await dialog.getByRole("heading", { name: "Add Administrator" }).click();
      await fullyShown(dialog);
      await checkAccessibility(page);
      await screenshot(page, "administrators-add");
      await dialog.getByRole("button", { name: "Add Administrator" }).click();
      const link = dialog.getByLabel("Activation link");
      await link.waitFor();
      await expect(link.inputValue()).resolves.toMatch(/^http:\/\/127\.0\.0\.1:\d+\/activate\/./);
      await dialog.getByRole("button", { name: "Done" }).click();
      await table(page).getByRole("cell", { name: "erin@northwind.test", exact: true }).waitFor();
      await expect(rowCount(page)).resolves.toBe("4 in all");
      const added = await server.database.handle.db
        .selectFrom("admins")
        .innerJoin("admin_tags", "admin_tags.admin_id", "admins.id")
        .select(["admins.status", "admin_tags.tag"])
        .where("admins.email", "=", "erin@northwind.test")
        .execute();
      expect(added).toEqual([{ status: "Pending Activation", tag: "EU" }]);
    });

    it("R-SUM-1: the access summary CSV names the subaccounts and each admin's subaccount role where they have access", async () => {
      const page = ownerPage;
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Download access summary" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^access-summary-\d{4}-\d{2}-\d{2}\.csv$/);
      const rows = csvRows(await readFile(await download.path(), "utf8"));
      const header = rows[0] ?? [];
      expect(header.slice(0, 2)).toEqual(["Administrator", "Status"]);
      expect([...header.slice(2)].sort()).toEqual(["Acme EU", "Gov Cloud", "Open Co"]);
      const cell = (email: string, account: string) =>
        rows.find((row) => row[0]?.includes(`<${email}>`))?.[header.indexOf(account)];
      expect(cell("hank@northwind.test", "Acme EU")).toBe("Help Desk");
      expect(cell("hank@northwind.test", "Open Co")).toBe("Help Desk");
      expect(cell("hank@northwind.test", "Gov Cloud")).toBe("");
      expect(cell("olivia@northwind.test", "Gov Cloud")).toBe("Owner");
      // Issue 13 item 6 (R-SUM-1 Decision): the admin added above is pending, and their row shows
      // what activation gives them (Read-only in the untagged subaccount), beside their status.
      const status = (email: string) => rows.find((row) => row[0]?.includes(`<${email}>`))?.[1];
      expect(status("olivia@northwind.test")).toBe("Active");
      expect(status("erin@northwind.test")).toBe("Pending Activation");
      expect(cell("erin@northwind.test", "Open Co")).toBe("Read-only");
    });

    it("R-ROLE-5, R-TAG-2: an Owner previews a role change, sees who gains access, and saves it", async () => {
      const page = ownerPage;
      await page.getByRole("link", { name: "Edit Uma Manager (uma@northwind.test)" }).click();
      await page.getByRole("heading", { name: "Uma Manager", level: 2 }).waitFor();
      await noToasts(page);
      await checkAccessibility(page);
      await screenshot(page, "administrator");

      await page.getByRole("combobox", { name: "Role", exact: true }).click();
      await page.getByRole("option", { name: "Owner", exact: true }).click();
      await page.getByRole("button", { name: "Preview" }).click();
      const preview = page.getByRole("dialog", { name: "Preview of the change" });
      const gains = preview.getByRole("table", { name: "Who gains access" });
      await gains.waitFor();
      await expect(gains.getByRole("row").allTextContents()).resolves.toEqual([
        "AdministratorAccountBeforeAfter",
        "uma@northwind.testGov CloudNo accessOwner",
      ]);
      const changes = preview.getByRole("table", { name: "Whose role changes" });
      await expect(changes.textContent()).resolves.toContain("Acme EU");
      await fullyShown(preview);
      await checkAccessibility(page);
      await screenshot(page, "administrator-preview");
      await preview.getByRole("button", { name: "Close", exact: true }).click();

      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("uma@northwind.test was saved").waitFor();
      const saved = await server.database.handle.db
        .selectFrom("admins")
        .select(["role", "subaccount_role"])
        .where("id", "=", manager.id)
        .executeTakeFirstOrThrow();
      expect(saved).toEqual({ role: "Owner", subaccount_role: "Owner" });
    });

    it("issue 13 item 6, R-SUM-1: a pending admin's role change previews as what applies once they activate", async () => {
      const page = ownerPage;
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Administrators" })
        .click();
      await page.getByRole("link", { name: "Edit Erin Added (erin@northwind.test)" }).click();
      await page.getByRole("heading", { name: "Erin Added", level: 2 }).waitFor();
      await page.getByRole("combobox", { name: "Role", exact: true }).click();
      await page.getByRole("option", { name: "Help Desk", exact: true }).click();
      await page.getByRole("button", { name: "Preview" }).click();
      const preview = page.getByRole("dialog", { name: "Preview of the change" });
      const changes = preview.getByRole("table", { name: "Whose role changes" });
      await changes.waitFor();
      // Was: "Nobody gains or loses access", because a pending admin counted as having none.
      await expect(changes.getByRole("row").allTextContents()).resolves.toContain(
        "erin@northwind.test (Pending Activation: applies once they activate)Northwind MSPRead-onlyHelp Desk",
      );
      await preview.getByRole("button", { name: "Close", exact: true }).click();
    });

    it("R-ROLE-5, R-AUD-2: a Help Desk admin is offered no Administrators page, and the address shows the rule", async () => {
      const page = await openPage(browser, server.url);
      await signInThroughUi(page, helpDesk);
      const nav = page.getByRole("navigation", { name: "Main" });
      await expect(nav.getByRole("link", { name: "Administrators" }).count()).resolves.toBe(0);
      await page.goto("/administrators");
      const refusal = page.getByTestId("refusal");
      await refusal.waitFor();
      await expect(refusal.textContent()).resolves.toMatch(/Rule R-[A-Z]+-\d+/);
      await page.getByRole("button", { name: /^Why can't I/ }).click();
      const explanation = page.getByTestId("explanation");
      await explanation.waitFor();
      const text = (await explanation.textContent()) ?? "";
      expect(text).toContain("Denied");
      expect(text).toMatch(/Rule R-ROLE-\d+/);
      await checkAccessibility(page);
      await screenshot(page, "administrators-refused");
      await page.context().close();
    });
  },
);
