import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Executor } from "../../src/db/executor.js";
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
import { fullyShown, navigate, signInThroughUi } from "./ui.js";

/** Restricts the admin to these units (R-UNIT-4), as Edit Administrator would. */
async function restrictToUnits(
  db: Executor,
  admin: SeededAdmin,
  unitIds: readonly string[],
): Promise<void> {
  await db
    .updateTable("admins")
    .set({ restricted_by_units: true })
    .where("id", "=", admin.id)
    .execute();
  for (const unitId of unitIds)
    await db
      .insertInto("admin_unit_admins")
      .values({ unit_id: unitId, admin_id: admin.id, account_id: admin.accountId })
      .execute();
}

/** The navigation's entries, once the engine has decided them. */
async function navEntries(page: Page): Promise<string[]> {
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Dashboard" }).waitFor();
  return nav.getByRole("link").allTextContents();
}

/** The usernames the Users table lists now, in its order. */
function usernamesIn(page: Page): Promise<string[]> {
  return page.getByRole("table", { name: "Users" }).getByRole("link").allTextContents();
}

describeInBrowser(
  "the seed scenarios through the pages in Chromium (issue 8)",
  { timeout: 60_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    const acme: Partial<Record<"euDesk" | "usDesk" | "levelTwo", SeededAdmin>> = {};
    let networkAdmin: SeededAdmin;
    let internalOwner: SeededAdmin;
    let siblingId: string;
    let contosoOwner: SeededAdmin;
    let contosoDesk: SeededAdmin;
    let contosoUnit: string;

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
      const t = server.database;
      const db = t.handle.db;

      // Acme's help desk: EU and US technicians, each in the unit of their region's group.
      const acmeId = await insertAccount(db, { name: "Acme Corp", edition: "Advantage" });
      const euStaff = await insertGroup(db, acmeId, "EU staff");
      const usStaff = await insertGroup(db, acmeId, "US staff");
      await insertUser(db, acmeId, {
        username: "marie",
        realName: "Marie Curie",
        groupIds: [euStaff],
      });
      await insertUser(db, acmeId, {
        username: "john",
        realName: "John Smith",
        groupIds: [usStaff],
      });
      const euUnit = await insertScopedUnit(db, acmeId, { name: "EU", groupIds: [euStaff] });
      const usUnit = await insertScopedUnit(db, acmeId, { name: "US", groupIds: [usStaff] });
      const helpDesk = () => seedActiveAdmin(t, { accountId: acmeId, role: "Help Desk" });
      [acme.euDesk, acme.usDesk, acme.levelTwo] = await Promise.all([
        helpDesk(),
        helpDesk(),
        helpDesk(),
      ]);
      await restrictToUnits(db, acme.euDesk, [euUnit]);
      await restrictToUnits(db, acme.usDesk, [usUnit]);

      // The networking team: a unit with the VPN application and no groups.
      const networks = await insertAccount(db, { name: "Acme Networks", edition: "Premier" });
      const application = async (name: string) => {
        const id = await insertApplication(db, t.secrets, { accountId: networks });
        await db.updateTable("applications").set({ name }).where("id", "=", id).execute();
        return id;
      };
      const vpn = await application("Corporate VPN");
      await application("Payroll");
      const staff = await insertGroup(db, networks, "Staff");
      await insertUser(db, networks, { username: "ana", realName: "Ana Lopez", groupIds: [staff] });
      const networking = await insertScopedUnit(db, networks, {
        name: "Networking",
        applicationIds: [vpn],
      });
      networkAdmin = await seedActiveAdmin(t, { accountId: networks, role: "Application Manager" });
      await restrictToUnits(db, networkAdmin, [networking]);

      // Northwind's NFR internal subaccount, its own IT admin, and a sibling.
      const northwind = await insertAccount(db, { name: "Northwind MSP", edition: "Premier" });
      const internal = await insertAccount(db, {
        parentId: northwind,
        name: "Northwind Internal IT",
        nfr: true,
      });
      siblingId = await insertAccount(db, { parentId: northwind, name: "Sibling Co" });
      internalOwner = await seedActiveAdmin(t, { accountId: internal, role: "Owner" });
      const itStaff = await insertGroup(db, internal, "IT staff");
      await insertUser(db, internal, {
        username: "ivan",
        realName: "Ivan Petrov",
        groupIds: [itStaff],
      });

      // Downgrade to Free and back: an Owner, and a tagged Help Desk admin restricted to a unit.
      const contoso = await insertAccount(db, { name: "Contoso Holdings", edition: "Premier" });
      const gov = await insertAccount(db, { parentId: contoso, name: "Contoso Gov" });
      await db.insertInto("subaccount_tags").values({ account_id: gov, tag: "Gov" }).execute();
      const emea = await insertGroup(db, contoso, "EMEA staff");
      contosoUnit = await insertScopedUnit(db, contoso, { name: "EMEA", groupIds: [emea] });
      [contosoOwner, contosoDesk] = await Promise.all([
        seedActiveAdmin(t, { accountId: contoso, role: "Owner", email: "olga@contoso.test" }),
        seedActiveAdmin(t, { accountId: contoso, role: "Help Desk", email: "hugo@contoso.test" }),
      ]);
      for (const [admin, name] of [
        [contosoOwner, "Olga Owner"],
        [contosoDesk, "Hugo Desk"],
      ] as const)
        await db.updateTable("admins").set({ name }).where("id", "=", admin.id).execute();
      await db
        .updateTable("admins")
        .set({ subaccount_role: "Read-only" })
        .where("id", "=", contosoDesk.id)
        .execute();
      await db.insertInto("admin_tags").values({ admin_id: contosoDesk.id, tag: "Gov" }).execute();
      await restrictToUnits(db, contosoDesk, [contosoUnit]);
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

    it("R-UNIT-4, R-UNIT-8a, R-ROLE-3: Acme's help desk — the EU and US technicians each list and rename only their region's users; level two sees both", async () => {
      /** A technician lists their region's users only, and renames one of them there. */
      const technician = async (page: Page, own: string, other: string, name: string) => {
        const capture = own === "marie";
        await navigate(page, "Users");
        const table = page.getByRole("table", { name: "Users" });
        await table.getByRole("link", { name: own }).waitFor();
        await expect(usernamesIn(page)).resolves.toEqual([own]);
        await expect(table.getByText(other).count()).resolves.toBe(0);
        // A search finds no user of the other region either (R-UNIT-8a).
        const search = page.getByRole("searchbox", { name: "Search users" });
        await search.fill(other);
        await page.getByText(`No user matches "${other}".`).waitFor();
        await search.fill("");
        await table.getByRole("link", { name: own }).waitFor();
        if (capture) {
          await checkAccessibility(page);
          await screenshot(page, "scenario-acme-help-desk-eu");
        }

        await table.getByRole("link", { name: own }).click();
        await page.getByRole("heading", { name: own, level: 2 }).waitFor();
        const fullName = page.getByRole("textbox", { name: /^Full name/ });
        // The inputs wait for the engine's decisions (enabled once it allows the field).
        await expect.poll(() => fullName.isDisabled()).toBe(false);
        // R-ROLE-3: Help Desk changes the full name, not the username, and cannot delete.
        const username = page.getByRole("textbox", { name: /^Username/ });
        await expect(username.isDisabled()).resolves.toBe(true);
        const remove = page.getByRole("button", { name: "Delete user" });
        await remove.waitFor();
        await expect(remove.isDisabled()).resolves.toBe(true);
        await fullName.fill(name);
        await page.getByRole("button", { name: "Save changes" }).click();
        await page.getByText(`${own} saved`).waitFor();
        await navigate(page, "Users");
        await table.getByRole("cell", { name, exact: true }).waitFor();
        if (capture) {
          await checkAccessibility(page);
          await screenshot(page, "scenario-acme-help-desk-renamed");
        }
        await page.context().close();
      };
      const { euDesk, usDesk, levelTwo } = acme;
      if (!euDesk || !usDesk || !levelTwo) throw new Error("the Acme admins were not seeded");
      // Three sessions at once: each signs in (and works) on its own.
      const [euPage, usPage, levelTwoPage] = await Promise.all([
        signedIn(euDesk),
        signedIn(usDesk),
        signedIn(levelTwo),
      ]);
      await Promise.all([
        technician(euPage, "marie", "john", "Marie Sklodowska-Curie"),
        technician(usPage, "john", "marie", "John Q. Smith"),
      ]);
      const saved = await server.database.handle.db
        .selectFrom("users")
        .select(["username", "real_name"])
        .where("username", "in", ["marie", "john"])
        .orderBy("username")
        .execute();
      expect(saved).toEqual([
        { username: "john", real_name: "John Q. Smith" },
        { username: "marie", real_name: "Marie Sklodowska-Curie" },
      ]);

      const page = levelTwoPage;
      await navigate(page, "Users");
      await page
        .getByRole("table", { name: "Users" })
        .getByRole("link", { name: "marie" })
        .waitFor();
      await expect(usernamesIn(page)).resolves.toEqual(["john", "marie"]);
      await checkAccessibility(page);
      await screenshot(page, "scenario-acme-level-two");
      await page.context().close();
    });

    it("R-UNIT-8c, R-UNIT-8i: the networking team sees and edits the VPN application only, and no users", async () => {
      const page = await signedIn(networkAdmin);
      // Users stays offered (the role may view users), and lists none: the unit has no group.
      await expect(navEntries(page)).resolves.toEqual(
        expect.arrayContaining(["Users", "Applications"]),
      );
      await navigate(page, "Applications");
      const table = page.getByRole("table", { name: "Applications" });
      await table.getByRole("link", { name: "Corporate VPN" }).waitFor();
      await expect(table.getByRole("link").allTextContents()).resolves.toEqual(["Corporate VPN"]);
      await expect(table.getByText("Payroll").count()).resolves.toBe(0);
      await checkAccessibility(page);
      await screenshot(page, "scenario-networking-applications");

      await table.getByRole("link", { name: "Corporate VPN" }).click();
      await page.getByRole("heading", { name: "Corporate VPN", level: 2 }).waitFor();
      await page.getByRole("button", { name: "Edit application" }).click();
      const dialog = page.getByRole("dialog", { name: "Edit Application" });
      await dialog.getByRole("textbox", { name: "Notes" }).fill("split tunnel");
      await fullyShown(dialog);
      await checkAccessibility(page);
      await screenshot(page, "scenario-networking-edit-application");
      await dialog.getByRole("button", { name: "Save" }).click();
      await dialog.waitFor({ state: "hidden" });
      await page.getByText("split tunnel").waitFor();
      const notes = await server.database.handle.db
        .selectFrom("applications")
        .select(["name", "notes"])
        .where("name", "in", ["Corporate VPN", "Payroll"])
        .orderBy("name")
        .execute();
      expect(notes).toEqual([
        { name: "Corporate VPN", notes: "split tunnel" },
        { name: "Payroll", notes: "" },
      ]);

      await navigate(page, "Users");
      await page.getByText("No users yet.").waitFor();
      await expect(usernamesIn(page)).resolves.toEqual([]);
      await checkAccessibility(page);
      await screenshot(page, "scenario-networking-users");
      await page.context().close();
    });

    it("R-SUB-5, R-TEN-3: the NFR internal subaccount's own IT admin sees only their account, is refused a sibling, and manages their users", async () => {
      const page = await signedIn(internalOwner);
      const nav = await navEntries(page);
      expect(nav).not.toContain("Accounts");
      await page.getByRole("heading", { name: "Northwind Internal IT", level: 2 }).waitFor();
      const switcher = page.getByRole("combobox", { name: "Account" });
      await expect(switcher.inputValue()).resolves.toBe("Northwind Internal IT (NFR)");
      await switcher.click();
      const options = page.getByRole("option");
      await options.first().waitFor();
      await expect(options.allTextContents()).resolves.toEqual(["Northwind Internal IT (NFR)"]);
      await checkAccessibility(page);
      await screenshot(page, "scenario-nfr-switcher");
      await page.keyboard.press("Escape");

      await page.goto(`/subaccounts/${siblingId}`);
      const refusal = page.getByTestId("refusal");
      await refusal.waitFor();
      const text = (await refusal.textContent()) ?? "";
      // R-TEN-1: the sibling is managed from the parent; the refusal names nothing of it.
      expect(text).toContain("Rule R-TEN-1");
      expect(text).not.toContain("Sibling Co");
      await expect(page.getByText("Sibling Co").count()).resolves.toBe(0);
      await checkAccessibility(page);
      await screenshot(page, "scenario-nfr-sibling-refused");

      await page.goto("/users");
      await page
        .getByRole("table", { name: "Users" })
        .getByRole("link", { name: "ivan" })
        .waitFor();
      await page.getByRole("button", { name: "Add User" }).click();
      const dialog = page.getByRole("dialog", { name: "Add User" });
      await dialog.getByLabel(/^Username/).fill("nadia");
      await dialog.getByLabel(/^Full name/).fill("Nadia Novak");
      await dialog.getByRole("button", { name: "Add User" }).click();
      await page.getByRole("heading", { name: "nadia", level: 2 }).waitFor();
      await navigate(page, "Users");
      await page
        .getByRole("table", { name: "Users" })
        .getByRole("link", { name: "nadia" })
        .waitFor();
      await expect(usernamesIn(page)).resolves.toEqual(["ivan", "nadia"]);
      await checkAccessibility(page);
      await screenshot(page, "scenario-nfr-users");
      const added = await server.database.handle.db
        .selectFrom("users")
        .select(["account_id", "real_name"])
        .where("username", "=", "nadia")
        .executeTakeFirstOrThrow();
      expect(added).toEqual({ account_id: internalOwner.accountId, real_name: "Nadia Novak" });
      await page.context().close();
    });

    it("R-PLAN-1, R-PLAN-2, R-PLAN-3: an Owner downgrades to Free on the Dashboard, every admin acts as an Owner, and upgrading restores every role, tag and unit as it was", async () => {
      const db = server.database.handle.db;
      const saved = async () => ({
        admins: await db
          .selectFrom("admins")
          .select(["email", "role", "subaccount_role", "restricted_by_units"])
          .where("account_id", "=", contosoOwner.accountId)
          .orderBy("email")
          .execute(),
        tags: await db
          .selectFrom("admin_tags")
          .select("tag")
          .where("admin_id", "=", contosoDesk.id)
          .execute(),
        units: await db
          .selectFrom("admin_unit_admins")
          .select("unit_id")
          .where("admin_id", "=", contosoDesk.id)
          .execute(),
      });
      const savedBefore = await saved();
      expect(savedBefore.units).toEqual([{ unit_id: contosoUnit }]);

      const page = await signedIn(contosoOwner);
      const table = page.getByRole("table", { name: "Administrators" });
      const rows = () =>
        Promise.all(
          ["hugo@contoso.test", "olga@contoso.test"].map((email) =>
            table.getByRole("row").filter({ hasText: email }).textContent(),
          ),
        );
      const freeNotice = page.getByTestId("free-edition");
      /** The Administrators list, as the Owner reaches it from the navigation. */
      const listed = async () => {
        await navigate(page, "Administrators");
        await table.getByRole("cell", { name: "hugo@contoso.test", exact: true }).waitFor();
        return rows();
      };
      /** Hugo's page, opened from the list. */
      const openHugo = async () => {
        await page.getByRole("link", { name: "Edit Hugo Desk (hugo@contoso.test)" }).click();
        await page.getByRole("heading", { name: "Hugo Desk", level: 2 }).waitFor();
      };
      /** What Edit Administrator shows of Hugo's delegation now. */
      const hugo = async () => {
        const section = page.getByRole("region", { name: "Role and access" });
        return {
          role: await section.getByRole("combobox", { name: "Role", exact: true }).inputValue(),
          subaccountRole: await section
            .getByRole("combobox", { name: "Subaccount role" })
            .inputValue(),
          restricted: await section
            .getByRole("switch", { name: /^Restricted by administrative units/ })
            .isChecked(),
          // The access tags' pills, then the units' (named once GET /api/units has answered).
          pills: await section.locator(".mantine-Pill-label").allTextContents(),
        };
      };
      const unitsOffered = async () => (await navEntries(page)).includes("Administrative Units");
      const changeEdition = async (edition: "Free" | "Premier") => {
        await navigate(page, "Dashboard");
        await page.getByRole("button", { name: "Change edition" }).click();
        const dialog = page.getByRole("dialog", { name: "Change plan edition" });
        await dialog.waitFor();
        await dialog.getByRole("combobox", { name: "Edition" }).click();
        await page.getByRole("option", { name: edition, exact: true }).click();
        if (edition === "Free") {
          await fullyShown(dialog);
          await checkAccessibility(page);
          await screenshot(page, "scenario-downgrade-dialog");
        }
        await dialog.getByRole("button", { name: "Save" }).click();
        await dialog.waitFor({ state: "hidden" });
        await expect.poll(() => page.getByTestId("edition").textContent()).toBe(edition);
      };

      const before = await listed();
      expect(before).toEqual([
        "Hugo Deskhugo@contoso.testHelp DeskRead-onlyGovActiveEdit",
        "Olga Ownerolga@contoso.testOwnerOwnerNoneActiveEdit",
      ]);
      await expect(freeNotice.count()).resolves.toBe(0);
      await openHugo();
      const hugoBefore = {
        role: "Help Desk",
        subaccountRole: "Read-only",
        restricted: true,
        pills: ["Gov", "EMEA"],
      };
      await expect.poll(hugo).toEqual(hugoBefore);
      await expect(unitsOffered()).resolves.toBe(true);

      await changeEdition("Free");
      // R-PLAN-3: units are ignored while Free, and the navigation stops offering them.
      await expect.poll(unitsOffered).toBe(false);
      // GET /api/admins keeps answering the saved delegation; the page shows it, and says that
      // while Free every admin acts as an Owner regardless (R-PLAN-1) and it waits (R-PLAN-2).
      await expect(listed()).resolves.toEqual(before);
      await freeNotice.waitFor();
      await expect(freeNotice.textContent()).resolves.toMatch(
        /every administrator acts as an Owner.*R-PLAN-1.*R-PLAN-2/,
      );
      await checkAccessibility(page);
      await screenshot(page, "scenario-downgrade-free-administrators");
      await openHugo();
      await freeNotice.waitFor();
      await expect
        .poll(async () => {
          const { pills, ...delegation } = await hugo();
          return { ...delegation, tag: pills[0] };
        })
        .toEqual({ role: "Help Desk", subaccountRole: "Read-only", restricted: true, tag: "Gov" });
      await checkAccessibility(page);
      await screenshot(page, "scenario-downgrade-free-administrator");

      await changeEdition("Premier");
      await expect.poll(unitsOffered).toBe(true);
      // A fresh load: what the page shows comes from the server, not from what it remembered.
      await page.reload();
      await expect(listed()).resolves.toEqual(before);
      await expect(freeNotice.count()).resolves.toBe(0);
      await checkAccessibility(page);
      await screenshot(page, "scenario-downgrade-upgraded-administrators");
      await openHugo();
      await expect.poll(hugo).toEqual(hugoBefore);
      await screenshot(page, "scenario-downgrade-upgraded-administrator");
      await expect(saved()).resolves.toEqual(savedBefore);
      await page.context().close();
    });
  },
);
