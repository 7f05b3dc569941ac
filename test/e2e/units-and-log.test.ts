import { readFile } from "node:fs/promises";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { newId } from "../../src/db/ids.js";
import { type SeededAdmin, seedActiveAdmin } from "../helpers/admins.js";
import { insertAccount, insertApplication } from "../helpers/fixtures.js";
import { insertScopedUnit } from "../helpers/panel-admins.js";
import {
  checkAccessibility,
  describeInBrowser,
  launchBrowser,
  openPage,
  screenshot,
} from "./browser.js";
import { type PanelServer, startPanelServer } from "./server.js";
import { signInThroughUi } from "./ui.js";

/** The text of a locator once it contains `expected` (the count follows the form after a short debounce). */
async function waitForText(locator: Locator, expected: string | RegExp): Promise<string> {
  await expect
    .poll(async () => (await locator.textContent()) ?? "", { timeout: 5_000 })
    .toMatch(expected);
  return (await locator.textContent()) ?? "";
}

/**
 * Follows a link of the left navigation, then moves the pointer off it: the shell's active link
 * under the pointer (hover over active) fails axe's contrast check, which a resting page does not.
 */
async function navigate(page: Page, label: string, heading: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }).click();
  await page.getByRole("heading", { name: heading, level: 2 }).waitFor();
  await restPointer(page);
}

/** The pointer off every control (see navigate): axe checks the page at rest. */
function restPointer(page: Page): Promise<void> {
  return page.mouse.move(1, 1);
}

/** Waits for a dialog's opening transition to end: axe measures colours as they are drawn. */
async function settled(dialog: Locator): Promise<void> {
  await dialog.waitFor();
  await expect
    .poll(() => dialog.evaluate((element) => getComputedStyle(element).opacity))
    .toBe("1");
}

/** Picks an option of a searchable Mantine MultiSelect by typing part of its name. */
async function pick(page: Page, label: string, search: string, option: string | RegExp) {
  const input = page.getByRole("combobox", { name: label });
  await input.fill(search);
  await page.getByRole("option", { name: option }).click();
  await input.press("Escape");
}

describeInBrowser(
  "Administrative Units and the Administrator Actions log in Chromium",
  { timeout: 60_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    let owner: SeededAdmin;
    let helpDesk: SeededAdmin;
    let administrator: SeededAdmin;
    let secondOwner: SeededAdmin;
    let ownerPage: Page;

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
      const db = server.database.handle.db;
      const accountId = await insertAccount(db, { name: "Northwind MSP", edition: "Premier" });
      owner = await seedActiveAdmin(server.database, { accountId, role: "Owner" });
      helpDesk = await seedActiveAdmin(server.database, {
        accountId,
        role: "Help Desk",
        email: "eu.helpdesk@northwind.example",
      });
      administrator = await seedActiveAdmin(server.database, { accountId, role: "Administrator" });
      secondOwner = await seedActiveAdmin(server.database, {
        accountId,
        role: "Owner",
        email: "second.owner@northwind.example",
      });
      await db
        .insertInto("groups")
        .values(
          ["EU Staff", "US Staff", "Contractors"].map((name) => ({
            id: newId("group"),
            account_id: accountId,
            name,
          })),
        )
        .execute();
      const apps: Record<string, string> = {};
      for (const name of ["EU VPN", "Legacy VPN"]) {
        const id = await insertApplication(db, server.database.secrets, { accountId });
        await db.updateTable("applications").set({ name }).where("id", "=", id).execute();
        apps[name] = id;
      }
      await insertScopedUnit(db, accountId, {
        name: "Legacy",
        applicationIds: [apps["Legacy VPN"] ?? ""],
      });
      ownerPage = await openPage(browser, server.url);
      ownerPage.setDefaultTimeout(10_000);
      await signInThroughUi(ownerPage, owner);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it("R-UNIT-1, R-UNIT-2, R-UNIT-3, R-UNIT-7: an Owner creates a unit with specific groups and one application for a restricted admin, the live count following the picks", async () => {
      const page = ownerPage;
      await navigate(page, "Administrative Units", "Administrative Units");
      const legacy = page.getByRole("row", { name: /Legacy/ });
      await waitForText(legacy, /Legacy.*None.*0.*0.*1/);
      await checkAccessibility(page);
      await screenshot(page, "units");

      await page.getByRole("button", { name: "Create Administrative Unit" }).click();
      await page.getByRole("heading", { name: "Create Administrative Unit", level: 2 }).waitFor();
      await page.getByLabel("Administrative Unit Name").fill("EU Region");
      await page.getByLabel("Description").fill("Help desk for European staff");
      await pick(page, "Administrators in this unit", "eu.help", /eu\.helpdesk@northwind/);

      const reach = page.getByTestId(`reach-${helpDesk.email}`);
      await waitForText(reach, "All 3 groups and All 2 applications");
      // R-UNIT-8h: the engine refuses to restrict an Owner; the row says so before saving.
      const ownerReach = page.getByTestId(`reach-${secondOwner.email}`);
      await pick(page, "Administrators in this unit", "second.owner", /second\.owner@/);
      await waitForText(ownerReach, /Saving will be refused: .*Rule R-UNIT-8h/);
      await pick(page, "Administrators in this unit", "second.owner", /second\.owner@/);
      await ownerReach.waitFor({ state: "detached" });

      await page.getByRole("radio", { name: "Specific groups" }).check();
      await waitForText(reach, "0 groups and All 2 applications");
      await pick(page, "Groups in this unit", "EU", "EU Staff");
      await waitForText(reach, "1 group and All 2 applications");
      await pick(page, "Groups in this unit", "Contr", "Contractors");
      await waitForText(reach, "2 groups and All 2 applications");

      await page.getByRole("radio", { name: "Specific applications" }).check();
      const apps = page.getByRole("combobox", { name: "Applications in this unit" });
      await apps.fill("VPN");
      const taken = page.getByRole("option", { name: /Legacy VPN/ });
      await expect(taken.textContent()).resolves.toContain(
        'Already in the unit "Legacy": an application can be in one unit only',
      );
      await expect(taken.getAttribute("aria-disabled")).resolves.toBe("true");
      await page.getByRole("option", { name: /EU VPN/ }).click();
      await apps.press("Escape");
      await waitForText(reach, "2 groups and 1 application");
      await expect(page.getByTestId("unit-reach-summary").textContent()).resolves.toContain(
        "This unit: 2 groups and 1 application",
      );
      await checkAccessibility(page);
      await screenshot(page, "unit-form");

      const groupNames = reach.getByText("Contractors, EU Staff", { exact: true });
      await expect(groupNames.isVisible()).resolves.toBe(false);
      await page.getByRole("button", { name: "Show details" }).click();
      await restPointer(page);
      await groupNames.waitFor({ state: "visible" });
      await reach.getByText("EU VPN", { exact: true }).waitFor({ state: "visible" });
      await checkAccessibility(page);
      await screenshot(page, "unit-details");

      await page.getByRole("button", { name: "Save Administrative Unit" }).click();
      await page.getByRole("heading", { name: "Administrative Units", level: 2 }).waitFor();
      const row = page.getByRole("row", { name: /EU Region/ });
      await waitForText(row, /EU Region.*Help desk for European staff.*1.*2.*1/);
    });

    it("R-UNIT-2, R-UNIT-4: the Owner edits the unit to manage all groups; the list says All", async () => {
      const page = ownerPage;
      await page.getByRole("link", { name: "Edit EU Region" }).click();
      await page.getByRole("heading", { name: "EU Region", level: 2 }).waitFor();
      const reach = page.getByTestId(`reach-${helpDesk.email}`);
      await waitForText(reach, "2 groups and 1 application");
      await page.getByRole("radio", { name: /^All users/ }).check();
      await waitForText(reach, "All 3 groups and 1 application");
      await page.getByRole("button", { name: "Save Administrative Unit" }).click();
      await page.getByRole("heading", { name: "Administrative Units", level: 2 }).waitFor();
      await waitForText(page.getByRole("row", { name: /EU Region/ }), /EU Region.*1All1/);
    });

    it("R-AUD-1: the log shows the unit's creation and edit with their changed fields, filters by action, and exports the same as CSV", async () => {
      const page = ownerPage;
      await navigate(page, "Administrator Actions", "Administrator Actions");
      const table = page.getByRole("table", { name: "Administrator actions" });
      const created = table.getByRole("row", { name: /admin_unit_create.*EU Region/ });
      await waitForText(created, "name: — → EU Region");
      const updated = table.getByRole("row", { name: /admin_unit_update.*EU Region/ });
      await waitForText(updated, "all_groups: false → true");
      await checkAccessibility(page);
      await screenshot(page, "audit-log");

      const action = page.getByRole("combobox", { name: "Action" });
      await action.fill("admin_unit_u");
      await page.getByRole("option", { name: "admin_unit_update" }).click();
      await expect(action.inputValue()).resolves.toBe("admin_unit_update");
      // The table holds only the updates: the creation's row goes, the update's stays.
      await expect
        .poll(async () => [
          await table.getByRole("row", { name: /admin_unit_create/ }).count(),
          await table.getByRole("row", { name: /admin_unit_update/ }).count(),
        ])
        .toEqual([0, 1]);
      await updated.getByRole("button", { name: /^Details of admin_unit_update/ }).click();
      const details = page.getByTestId("record-details");
      await waitForText(details.getByRole("row", { name: /all_groups/ }), "all_groupsfalsetrue");
      await waitForText(
        details.getByRole("row", { name: /group_ids/ }),
        /^group_idsDG.*, DG.*none$/,
      );
      await page.keyboard.press("Escape");

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Export CSV" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^administrator-actions-.*\.csv$/);
      const csv = await readFile((await download.path()) ?? "", "utf8");
      const lines = csv.trim().split("\r\n");
      expect(lines[0]).toBe(
        "time,account_id,actor_kind,actor_id,actor,action,object_kind,object_id,object,before,after,rule,ip,user_agent",
      );
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain("admin_unit_update");
      expect(lines[1]).toContain("EU Region");
    });

    it("R-UNIT-5: deleting a unit asks first and names the admins it would leave in no unit", async () => {
      const page = ownerPage;
      await navigate(page, "Administrative Units", "Administrative Units");
      await page.getByRole("button", { name: "Delete EU Region" }).click();
      const dialog = page.getByRole("dialog", { name: 'Delete "EU Region"?' });
      await settled(dialog);
      await waitForText(dialog.getByTestId("stranded-admins"), helpDesk.email);
      await restPointer(page);
      await checkAccessibility(page);
      await screenshot(page, "unit-delete");
      await dialog.getByRole("button", { name: "Delete unit" }).click();
      await dialog.waitFor({ state: "hidden" });
      await page.getByRole("row", { name: /EU Region/ }).waitFor({ state: "detached" });
      await expect(page.getByRole("row", { name: /Legacy/ }).count()).resolves.toBe(1);
    });

    it("R-UNIT-1: an admin who is not an Owner is not offered Administrative Units, and the page refuses with the rule", async () => {
      const page = await openPage(browser, server.url);
      await signInThroughUi(page, administrator);
      await page.getByRole("link", { name: "Dashboard" }).waitFor();
      await expect(page.getByRole("link", { name: "Administrative Units" }).count()).resolves.toBe(
        0,
      );
      await page.goto("/units");
      const create = page.getByRole("button", { name: "Create Administrative Unit" });
      await create.waitFor();
      await expect(create.isDisabled()).resolves.toBe(true);
      await waitForText(page.getByTestId("refusal"), /Rule R-/);
      await page.getByRole("button", { name: "Why can't I manage administrative units?" }).click();
      await waitForText(page.getByTestId("explanation"), /Denied.*Rule R-/);
      await page.context().close();
    });
  },
);
