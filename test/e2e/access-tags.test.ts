import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type SeededAdmin, seedActiveAdmin } from "../helpers/admins.js";
import { insertAccount } from "../helpers/fixtures.js";
import { checkAccessibility, describeInBrowser, launchBrowser, openPage } from "./browser.js";
import { type PanelServer, startPanelServer } from "./server.js";
import { fullyShown, signInThroughUi } from "./ui.js";

describeInBrowser(
  "issue 13 item 5: an administrator's access tags in Chromium are picked from the tags that exist",
  { timeout: 90_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    let owner: SeededAdmin;
    let helpDesk: SeededAdmin;
    let page: Page;
    let govCloud: string;

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
      const db = server.database.handle.db;
      const parentId = await insertAccount(db, { name: "Northwind MSP", edition: "Premier" });
      govCloud = await insertAccount(db, { parentId, name: "Gov Cloud" });
      const localGov = await insertAccount(db, { parentId, name: "Local Gov" });
      // R-TAG-1: "Gov" and "gov" are two tags, each made on an account (R-TAG-3).
      await db
        .insertInto("subaccount_tags")
        .values([
          { account_id: govCloud, tag: "Gov" },
          { account_id: localGov, tag: "gov" },
        ])
        .execute();
      owner = await seedActiveAdmin(server.database, { accountId: parentId, role: "Owner" });
      helpDesk = await seedActiveAdmin(server.database, {
        accountId: parentId,
        role: "Help Desk",
        email: "hank@northwind.test",
      });
      page = await openPage(browser, server.url);
      await signInThroughUi(page, owner);
      // Starting PGlite, the server and Chromium on a loaded 2-core machine can take minutes.
    }, 300_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const tagsOf = async (adminId: string) =>
      (
        await server.database.handle.db
          .selectFrom("admin_tags")
          .select("tag")
          .where("admin_id", "=", adminId)
          .orderBy("tag")
          .execute()
      ).map((row) => row.tag);
    const tagList = async () =>
      (
        await server.database.handle.db
          .selectFrom("subaccount_tags")
          .select("tag")
          .union(server.database.handle.db.selectFrom("admin_tags").select("tag"))
          .execute()
      )
        .map((row) => row.tag)
        .sort();
    const openHank = async () => {
      await page.goto(`/administrators/${helpDesk.id}`);
      await page.getByRole("heading", { name: "Role and access" }).waitFor();
    };
    const options = () => page.getByRole("listbox").getByRole("option").allTextContents();

    it("issue 13 item 5: 'Gov' and 'gov' both exist, both are offered, both are given to one admin and saved as two (R-TAG-1)", async () => {
      await openHank();
      const tags = page.getByRole("combobox", { name: "Access tags" });
      await tags.fill("Gov");
      await expect.poll(options).toEqual(["Gov", "gov"]);
      await page.getByRole("option", { name: "Gov", exact: true }).click();
      await tags.fill("gov");
      // The search finds both spellings; the one picked already is still there, checked.
      await page.getByRole("option", { name: "gov", exact: true }).click();
      await page.getByRole("heading", { name: "Role and access" }).click();
      await checkAccessibility(page);
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("hank@northwind.test was saved").waitFor();
      await expect(tagsOf(helpDesk.id)).resolves.toEqual(["Gov", "gov"]);
    });

    it("issue 13 item 5: a word that is not a tag offers nothing to create, and Enter saves nothing new (R-TAG-3)", async () => {
      await openHank();
      const before = await tagList();
      const tags = page.getByRole("combobox", { name: "Access tags" });
      await tags.fill("Govt");
      await page.getByText("No access tag by that name", { exact: false }).waitFor();
      await expect(options()).resolves.toEqual([]);
      await tags.press("Enter");
      await tags.press("Tab");
      await expect(page.getByRole("button", { name: "Save" }).isDisabled()).resolves.toBe(true);
      await expect(tagsOf(helpDesk.id)).resolves.toEqual(["Gov", "gov"]);
      await expect(tagList()).resolves.toEqual(before);
      expect(before).not.toContain("Govt");
    });

    it("issue 13 item 5: in Add Administrator the tag list opens clear of the dialog's buttons", async () => {
      await page.goto("/administrators");
      await page.getByRole("button", { name: "Add Administrator" }).click();
      const dialog = page.getByRole("dialog", { name: "Add Administrator" });
      await fullyShown(dialog);
      await dialog.getByRole("combobox", { name: "Access tags" }).click();
      const listbox = page.getByRole("listbox");
      await listbox.waitFor();
      const submit = dialog.getByRole("button", { name: "Add Administrator" });
      const [list, button] = await Promise.all([listbox.boundingBox(), submit.boundingBox()]);
      expect(list && button).toBeTruthy();
      if (!list || !button) return;
      const overlaps =
        list.x < button.x + button.width &&
        button.x < list.x + list.width &&
        list.y < button.y + button.height &&
        button.y < list.y + list.height;
      expect(overlaps).toBe(false);
      await dialog.getByRole("button", { name: "Cancel" }).click();
    });

    it("issue 13 item 5: Add Access Tag on Edit Account still makes a new tag, which admins can then be given (R-TAG-3)", async () => {
      await page.goto(`/subaccounts/${govCloud}`);
      await page.getByRole("button", { name: "Edit", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Edit Gov Cloud" });
      await fullyShown(dialog);
      await dialog.getByRole("button", { name: "Add Access Tag" }).click();
      const add = page.getByRole("dialog", { name: "Add Access Tag" });
      await add.getByLabel(/^Tag name/).fill("Night shift");
      await add.getByRole("button", { name: "Add Access Tag" }).click();
      await add.waitFor({ state: "detached" });
      await dialog.getByRole("button", { name: "Save" }).click();
      await dialog.waitFor({ state: "detached" });
      await expect.poll(tagList).toContain("Night shift");

      await openHank();
      await page.getByRole("combobox", { name: "Access tags" }).fill("Night");
      await page.getByRole("option", { name: "Night shift", exact: true }).click();
      await page.getByRole("heading", { name: "Role and access" }).click();
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("hank@northwind.test was saved").waitFor();
      await expect(tagsOf(helpDesk.id)).resolves.toEqual(["Gov", "Night shift", "gov"]);
    });
  },
);
