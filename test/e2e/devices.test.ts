import * as OTPAuth from "otpauth";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { newId } from "../../src/db/ids.js";
import { type SeededAdmin, seedActiveAdmin } from "../helpers/admins.js";
import { insertAccount, insertGroup, insertUser } from "../helpers/fixtures.js";
import { insertScopedUnit } from "../helpers/panel-admins.js";
import {
  checkAccessibility,
  describeInBrowser,
  launchBrowser,
  openPage,
  screenshot,
} from "./browser.js";
import { type PanelServer, startPanelServer } from "./server.js";
import { fullyShown, signInThroughUi } from "./ui.js";

/** The secret the test gives its HOTP token, so it can compute the codes the token would show. */
const SECRET_HEX = "3132333435363738393031323334353637383930";
const hotp = (counter: number) =>
  OTPAuth.HOTP.generate({ secret: OTPAuth.Secret.fromHex(SECRET_HEX), digits: 6, counter });

describeInBrowser(
  "issue 13 item 8: phones and hardware tokens on the user page, in Chromium",
  { timeout: 120_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    let helpDesk: SeededAdmin;
    let restrictedHelpDesk: SeededAdmin;
    let appManager: SeededAdmin;
    let accountId: string;
    const ids = { anna: "", bob: "", carl: "", spareToken: "" };
    const BOB_NUMBER = "+15557654321";
    const CARL_NUMBER = "+15550001111";

    const db = () => server.database.handle.db;

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
      accountId = await insertAccount(db(), { name: "Northwind MSP", edition: "Premier" });
      const euStaff = await insertGroup(db(), accountId, "EU Staff");
      const usStaff = await insertGroup(db(), accountId, "US Staff");
      ids.anna = await insertUser(db(), accountId, {
        username: "anna.eu",
        realName: "Anna Berg",
        groupIds: [euStaff],
      });
      ids.bob = await insertUser(db(), accountId, {
        username: "bob.us",
        realName: "Bob Stone",
        groupIds: [usStaff],
      });
      ids.carl = await insertUser(db(), accountId, {
        username: "carl.eu",
        realName: "Carl Holm",
        groupIds: [euStaff],
      });
      for (const [userId, number] of [
        [ids.bob, BOB_NUMBER],
        [ids.carl, CARL_NUMBER],
      ] as const) {
        const phoneId = newId("phone");
        await db()
          .insertInto("phones")
          .values({ id: phoneId, account_id: accountId, number, name: "Mobile" })
          .execute();
        await db()
          .insertInto("user_phones")
          .values({ user_id: userId, phone_id: phoneId, account_id: accountId })
          .execute();
      }
      // A TOTP token in a drawer, held by nobody: Help Desk attaches it to Anna.
      ids.spareToken = newId("hardwareToken");
      await db()
        .insertInto("hardware_tokens")
        .values({
          id: ids.spareToken,
          account_id: accountId,
          type: "t6",
          serial: "SPARE-7",
          totp_step: 30,
          secret_enc: server.database.secrets.seal(
            JSON.stringify({ secret: SECRET_HEX }),
            ids.spareToken,
          ),
        })
        .execute();
      const unitId = await insertScopedUnit(db(), accountId, {
        name: "Europe",
        groupIds: [euStaff],
      });
      [helpDesk, restrictedHelpDesk, appManager] = await Promise.all([
        seedActiveAdmin(server.database, { accountId, role: "Help Desk" }),
        seedActiveAdmin(server.database, { accountId, role: "Help Desk" }),
        seedActiveAdmin(server.database, { accountId, role: "Application Manager" }),
      ]);
      await db()
        .updateTable("admins")
        .set({ restricted_by_units: true })
        .where("id", "=", restrictedHelpDesk.id)
        .execute();
      await db()
        .insertInto("admin_unit_admins")
        .values({ unit_id: unitId, admin_id: restrictedHelpDesk.id, account_id: accountId })
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
    const openUser = async (page: Page, id: string, username: string) => {
      await page.goto(`/users/${id}`);
      await page.getByRole("heading", { name: username, level: 2 }).waitFor();
    };
    const dialogNamed = async (page: Page, name: string): Promise<Locator> => {
      const dialog = page.getByRole("dialog", { name });
      await dialog.waitFor();
      await fullyShown(dialog);
      return dialog;
    };
    const choose = async (page: Page, dialog: Locator, label: string, option: string) => {
      await dialog.getByRole("combobox", { name: label, exact: true }).click();
      await page.getByRole("option", { name: option, exact: true }).click();
    };
    const phonesOfAnna = () =>
      db()
        .selectFrom("phones")
        .innerJoin("user_phones", "user_phones.phone_id", "phones.id")
        .select(["number", "extension", "name", "type", "platform"])
        .where("user_phones.user_id", "=", ids.anna)
        .execute();
    const tokensOfAnna = () =>
      db()
        .selectFrom("hardware_tokens")
        .innerJoin("user_hardware_tokens", "user_hardware_tokens.token_id", "hardware_tokens.id")
        .select(["hardware_tokens.id", "type", "serial", "counter"])
        .where("user_hardware_tokens.user_id", "=", ids.anna)
        .orderBy("serial")
        .execute();

    it("R-ROLE-3: Help Desk adds, edits and removes a user's phone", async () => {
      const page = await signedIn(helpDesk);
      await openUser(page, ids.anna, "anna.eu");
      await page.getByText("No phones.").waitFor();
      await page.getByRole("button", { name: "Add phone" }).click();
      const add = await dialogNamed(page, "Add a phone for anna.eu");
      await add.getByRole("textbox", { name: /^Phone number/ }).fill("+15551230001");
      await add.getByRole("textbox", { name: /^Extension/ }).fill("42");
      await add.getByRole("textbox", { name: /^Name/ }).fill("Work phone");
      await choose(page, add, "Type", "Landline");
      await checkAccessibility(page);
      await add.getByRole("button", { name: "Add phone" }).click();
      await add.waitFor({ state: "hidden" });
      const table = page.getByRole("table", { name: "Phones" });
      await table.getByRole("cell", { name: "+15551230001 ext. 42", exact: true }).waitFor();
      expect(await phonesOfAnna()).toEqual([
        {
          number: "+15551230001",
          extension: "42",
          name: "Work phone",
          type: "Landline",
          platform: "Unknown",
        },
      ]);
      await checkAccessibility(page);
      await screenshot(page, "user-phones");

      await page.getByRole("button", { name: "Edit +15551230001 ext. 42" }).click();
      const edit = await dialogNamed(page, "Edit +15551230001 ext. 42");
      await edit.getByRole("textbox", { name: /^Name/ }).fill("Desk phone");
      await choose(page, edit, "Platform", "iOS");
      await edit.getByRole("button", { name: "Save phone" }).click();
      await edit.waitFor({ state: "hidden" });
      await table.getByRole("cell", { name: "Desk phone", exact: true }).waitFor();
      expect(await phonesOfAnna()).toMatchObject([{ name: "Desk phone", platform: "Apple iOS" }]);

      await page.getByRole("button", { name: "Remove +15551230001 ext. 42" }).click();
      const remove = await dialogNamed(page, "Remove +15551230001 ext. 42 from anna.eu?");
      await checkAccessibility(page);
      await remove.getByRole("button", { name: "Remove" }).click();
      await page.getByText("No phones.").waitFor();
      expect(await phonesOfAnna()).toEqual([]);
      const left = await db().selectFrom("phones").select("number").orderBy("number").execute();
      expect(left).toEqual([{ number: CARL_NUMBER }, { number: BOB_NUMBER }]);
    });

    it("R-ROLE-3: Help Desk adds an HOTP token, resyncs it with three codes, attaches a spare token and removes both", async () => {
      const page = await signedIn(helpDesk);
      await openUser(page, ids.anna, "anna.eu");
      await page.getByText("No hardware tokens.").waitFor();
      await page.getByRole("button", { name: "Add hardware token" }).click();
      const add = await dialogNamed(page, "Add a hardware token for anna.eu");
      await add.getByRole("textbox", { name: /^Serial number/ }).fill("HT-1001");
      await add.getByRole("textbox", { name: /^Secret/ }).fill(SECRET_HEX);
      await checkAccessibility(page);
      await add.getByRole("button", { name: "Add token" }).click();
      await add.waitFor({ state: "hidden" });
      const table = page.getByRole("table", { name: "Hardware tokens" });
      await table.getByRole("cell", { name: "HT-1001", exact: true }).waitFor();
      const [created] = await tokensOfAnna();
      expect(created).toMatchObject({ type: "h6", serial: "HT-1001", counter: 0 });

      // The token was pressed while nobody looked: its next codes are at counters 5, 6 and 7.
      await page.getByRole("button", { name: "Resync H6 HT-1001" }).click();
      const resync = await dialogNamed(page, "Resync HOTP, 6 digits, serial HT-1001");
      for (const [index, ordinal] of ["First", "Second", "Third"].entries())
        await resync
          .getByRole("textbox", { name: new RegExp(`^${ordinal} code`) })
          .fill(hotp(5 + index));
      await checkAccessibility(page);
      await resync.getByRole("button", { name: "Resync" }).click();
      await resync.waitFor({ state: "hidden" });
      await page.getByText("HOTP, 6 digits, serial HT-1001 resynced").waitFor();
      expect(await tokensOfAnna()).toMatchObject([{ serial: "HT-1001", counter: 8 }]);

      await page.getByRole("button", { name: "Attach a token" }).click();
      const attach = await dialogNamed(page, "Attach a token to anna.eu");
      await choose(page, attach, "Token", "TOTP, 6 digits, serial SPARE-7");
      await attach.getByRole("button", { name: "Attach token" }).click();
      await attach.waitFor({ state: "hidden" });
      await table.getByRole("cell", { name: "SPARE-7", exact: true }).waitFor();
      expect((await tokensOfAnna()).map((token) => token.serial)).toEqual(["HT-1001", "SPARE-7"]);
      await checkAccessibility(page);
      await screenshot(page, "user-tokens");

      await page.getByRole("button", { name: "Remove H6 HT-1001" }).click();
      const remove = await dialogNamed(page, "Remove H6 HT-1001 from anna.eu?");
      await remove.getByRole("button", { name: "Remove" }).click();
      await remove.waitFor({ state: "hidden" });
      await page.getByRole("button", { name: "Remove T6 SPARE-7" }).click();
      const detach = await dialogNamed(page, "Remove T6 SPARE-7 from anna.eu?");
      // Kept in the account: it goes back in the drawer for the next person.
      await detach.getByRole("checkbox", { name: /^Also delete the hardware token/ }).uncheck();
      await detach.getByRole("button", { name: "Remove" }).click();
      await page.getByText("No hardware tokens.").waitFor();
      expect(await tokensOfAnna()).toEqual([]);
      const remaining = await db().selectFrom("hardware_tokens").select("serial").execute();
      expect(remaining).toEqual([{ serial: "SPARE-7" }]);
    });

    it("R-UNIT-8f: a Help Desk restricted to a unit sees its users' phones, and nothing of an out-of-scope user's devices", async () => {
      const page = await signedIn(restrictedHelpDesk);
      await openUser(page, ids.carl, "carl.eu");
      const phones = page.getByRole("table", { name: "Phones" });
      await phones.getByRole("cell", { name: CARL_NUMBER, exact: true }).waitFor();
      await expect(page.getByRole("button", { name: "Add phone" }).isEnabled()).resolves.toBe(true);

      await page.goto(`/users/${ids.bob}`);
      const refusal = page.getByTestId("refusal");
      await refusal.waitFor();
      await expect(refusal.textContent()).resolves.toMatch(/not found/i);
      await expect(page.getByText(BOB_NUMBER).count()).resolves.toBe(0);
      const answers = await page.evaluate(async (bob) => {
        const phones = await fetch(`/api/users/${bob}/phones`);
        const all = await fetch("/api/phones");
        return { phones: phones.status, all: await all.text() };
      }, ids.bob);
      expect(answers.phones).toBe(404);
      expect(answers.all).not.toContain(BOB_NUMBER);
      await checkAccessibility(page);
    });

    it("R-ROLE-3: an Application Manager sees the user but no phone number, with a Why? for it", async () => {
      const page = await signedIn(appManager);
      await openUser(page, ids.bob, "bob.us");
      await page.getByText("Your role does not show phone numbers.").waitFor();
      await page.getByText("Your role does not show hardware tokens.").waitFor();
      await expect(page.getByText(BOB_NUMBER).count()).resolves.toBe(0);
      await expect(page.getByRole("button", { name: "Add phone" }).count()).resolves.toBe(0);
      await page.getByRole("button", { name: /^Why/ }).first().click();
      const explanation = page.getByTestId("explanation");
      await explanation.waitFor();
      await expect(explanation.textContent()).resolves.toContain("Denied");
      await page.keyboard.press("Escape");
      const html = await page.content();
      expect(html).not.toContain(BOB_NUMBER);
      await checkAccessibility(page);
      await screenshot(page, "user-app-manager");
    });
  },
);
