import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type SeededAdmin, seedActiveAdmin } from "../helpers/admins.js";
import { insertAccount, insertApplication, insertGroup, insertUser } from "../helpers/fixtures.js";
import { insertScopedUnit } from "../helpers/panel-admins.js";
import {
  checkAccessibility,
  describeInBrowser,
  launchBrowser,
  openPage,
  screenshot,
} from "./browser.js";
import { type PanelServer, startPanelServer } from "./server.js";
import { navigate, signInThroughUi } from "./ui.js";

describeInBrowser(
  "Users, Groups and Applications in Chromium, within the admin's scope",
  { timeout: 60_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    let owner: SeededAdmin;
    let helpDesk: SeededAdmin;
    let restricted: SeededAdmin;
    const ids: Record<"anna" | "bob" | "carl", string> = { anna: "", bob: "", carl: "" };

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
      const db = server.database.handle.db;
      const accountId = await insertAccount(db, { name: "Northwind MSP", edition: "Premier" });
      const euStaff = await insertGroup(db, accountId, "EU Staff");
      const usStaff = await insertGroup(db, accountId, "US Staff");
      ids.anna = await insertUser(db, accountId, {
        username: "anna.eu",
        realName: "Anna Berg",
        groupIds: [euStaff],
      });
      ids.bob = await insertUser(db, accountId, {
        username: "bob.us",
        realName: "Bob Stone",
        groupIds: [usStaff],
      });
      ids.carl = await insertUser(db, accountId, {
        username: "carl.eu",
        realName: "Carl Old",
        groupIds: [euStaff],
      });
      await insertApplication(db, server.database.secrets, { accountId, type: "websdk" });
      const unitId = await insertScopedUnit(db, accountId, { name: "Europe", groupIds: [euStaff] });
      [owner, helpDesk, restricted] = await Promise.all([
        seedActiveAdmin(server.database, { accountId, role: "Owner" }),
        seedActiveAdmin(server.database, { accountId, role: "Help Desk" }),
        seedActiveAdmin(server.database, { accountId, role: "User Manager" }),
      ]);
      await db
        .updateTable("admins")
        .set({ restricted_by_units: true })
        .where("id", "=", restricted.id)
        .execute();
      await db
        .insertInto("admin_unit_admins")
        .values({ unit_id: unitId, admin_id: restricted.id, account_id: accountId })
        .execute();
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

    it("R-UNIT-8a: a restricted admin lists only the unit's users, another user's address is not found, and a new user needs a group of the unit", async () => {
      const page = await signedIn(restricted);
      await navigate(page, "Users");
      const table = page.getByRole("table", { name: "Users" });
      await table.getByRole("link", { name: "anna.eu" }).waitFor();
      await table.getByRole("link", { name: "carl.eu" }).waitFor();
      await expect(table.getByText("bob.us").count()).resolves.toBe(0);
      await checkAccessibility(page);
      await screenshot(page, "users");

      await page.goto(`/users/${ids.bob}`);
      const refusal = page.getByTestId("refusal");
      await refusal.waitFor();
      await expect(refusal.textContent()).resolves.toMatch(/not found/i);

      await page.goto("/users");
      await page.getByRole("button", { name: "Add User" }).click();
      const dialog = page.getByRole("dialog", { name: "Add User" });
      await dialog.getByLabel(/^Username/).fill("dora.eu");
      await dialog.getByLabel(/^Full name/).fill("Dora Lind");
      await dialog.getByRole("button", { name: "Add User" }).click();
      await dialog.getByText(/Choose at least one group of your administrative units/).waitFor();
      await dialog.getByRole("combobox", { name: /^Groups/ }).click();
      const options = page.getByRole("option");
      await options.first().waitFor();
      await expect(options.allTextContents()).resolves.toEqual(["EU Staff"]);
      await options.first().click();
      await page.keyboard.press("Escape");
      await dialog.getByRole("button", { name: "Add User" }).click();
      await page.getByRole("heading", { name: "dora.eu", level: 2 }).waitFor();
      const row = await server.database.handle.db
        .selectFrom("users")
        .innerJoin("group_members", "group_members.user_id", "users.id")
        .innerJoin("groups", "groups.id", "group_members.group_id")
        .select(["users.real_name", "groups.name"])
        .where("users.username", "=", "dora.eu")
        .execute();
      expect(row).toEqual([{ real_name: "Dora Lind", name: "EU Staff" }]);
    });

    it("R-ROLE-2, R-ROLE-3: Help Desk finds Delete disabled with its Why?, changes the full name and may not change the username", async () => {
      const page = await signedIn(helpDesk);
      await page.goto(`/users/${ids.carl}`);
      await page.getByRole("heading", { name: "carl.eu", level: 2 }).waitFor();
      const remove = page.getByRole("button", { name: "Delete user" });
      await remove.waitFor();
      await expect(remove.isDisabled()).resolves.toBe(true);
      await page.getByRole("button", { name: "Why can't I delete this user?" }).click();
      const explanation = page.getByTestId("explanation");
      await explanation.waitFor();
      const text = (await explanation.textContent()) ?? "";
      expect(text).toContain("Denied");
      // Help Desk holds part of "Manage users" (✅*), so the engine names the limit: R-ROLE-3.
      expect(text).toContain("Rule R-ROLE-3");
      expect(text).toContain("Help Desk");
      expect(text).toContain("delete a user");
      await page.keyboard.press("Escape");

      // Every field waits for the engine's decisions: once Full name is enabled, they are in.
      const fullName = page.getByRole("textbox", { name: /^Full name/ });
      await expect.poll(() => fullName.isEnabled(), { timeout: 10_000 }).toBe(true);
      const username = page.getByRole("textbox", { name: /^Username/ });
      await expect(username.isDisabled()).resolves.toBe(true);
      await fullName.fill("Carl New");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("carl.eu saved").waitFor();
      await expect(fullName.inputValue()).resolves.toBe("Carl New");
      const saved = await server.database.handle.db
        .selectFrom("users")
        .select(["username", "real_name"])
        .where("id", "=", ids.carl)
        .executeTakeFirstOrThrow();
      expect(saved).toEqual({ username: "carl.eu", real_name: "Carl New" });
      await checkAccessibility(page);
      await screenshot(page, "user");
    });

    it("R-ROLE-2: an Owner creates a group, adds a member, creates bypass codes and sees them once", async () => {
      const page = await signedIn(owner);
      await navigate(page, "Groups");
      await page.getByRole("table", { name: "Groups" }).getByText("EU Staff").waitFor();
      await checkAccessibility(page);
      await screenshot(page, "groups");

      await page.getByRole("button", { name: "Add Group" }).click();
      const dialog = page.getByRole("dialog", { name: "Add Group" });
      await dialog.getByLabel(/^Name/).fill("Support Team");
      await dialog.getByLabel(/^Description/).fill("First-line support");
      await dialog.getByRole("button", { name: "Add Group" }).click();
      await page.getByRole("heading", { name: "Support Team", level: 2 }).waitFor();
      await page.getByText("No members yet.").waitFor();
      await page.getByRole("combobox", { name: "Add member" }).fill("anna");
      await page.getByRole("option", { name: "anna.eu (Anna Berg)" }).click();
      await page.getByRole("button", { name: "Add", exact: true }).click();
      const members = page.getByRole("table", { name: "Members" });
      await members.getByRole("link", { name: "anna.eu" }).waitFor();
      await checkAccessibility(page);
      await screenshot(page, "group");

      await members.getByRole("link", { name: "anna.eu" }).click();
      await page.getByRole("heading", { name: "anna.eu", level: 2 }).waitFor();
      await page.getByRole("link", { name: "Support Team" }).waitFor();
      await page.getByRole("button", { name: "Create bypass codes" }).click();
      const codesDialog = page.getByRole("dialog", { name: "Bypass codes for anna.eu" });
      await codesDialog.getByLabel("Number of codes").fill("2");
      await codesDialog.getByRole("button", { name: "Create codes" }).click();
      const shown = codesDialog.getByTestId("new-bypass-codes").getByRole("listitem");
      await shown.nth(1).waitFor();
      const codes = await shown.allTextContents();
      expect(codes).toHaveLength(2);
      for (const code of codes) expect(code).toMatch(/^\d{6,20}$/);
      await codesDialog.getByRole("button", { name: "Done" }).click();
      await codesDialog.waitFor({ state: "hidden" });
      const listed = page.getByTestId("bypass-codes");
      await listed.getByRole("row").nth(2).waitFor();
      await expect(listed.getByRole("row").count()).resolves.toBe(3);
      const listText = (await listed.textContent()) ?? "";
      for (const code of codes) expect(listText).not.toContain(code);

      await navigate(page, "Applications");
      const applications = page.getByRole("table", { name: "Applications" });
      await applications.getByRole("link").first().waitFor();
      await applications.getByRole("columnheader", { name: "Units" }).waitFor();
      await checkAccessibility(page);
      await screenshot(page, "applications");
    });
  },
);
