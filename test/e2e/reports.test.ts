import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Browser, Locator, Page } from "playwright-core";
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

const HOUR = 3_600_000;

/** The visible text of each body row of a table, once it has `count` of them. */
async function rowTexts(table: Locator, count: number): Promise<string[]> {
  const rows = table.locator("tbody tr");
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(count);
  return rows.allTextContents();
}

/** Picks an option of a Mantine Select by its label (the selected option again: clears it). */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
  await page.mouse.move(1300, 740);
}

/** Clicks "Export CSV" and reads the download's lines. */
async function exportCsv(page: Page): Promise<{ name: string; lines: string[] }> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const text = await readFile((await download.path()) ?? "", "utf8");
  return { name: download.suggestedFilename(), lines: text.trimEnd().split("\r\n") };
}

describeInBrowser(
  "Reports in Chromium: the Authentication Log, the Telephony Log, the Dashboard's activity",
  { timeout: 120_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    let owner: SeededAdmin;
    let restricted: SeededAdmin;
    let billing: SeededAdmin;
    let ownerPage: Page;

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
      const db = server.database.handle.db;
      const secrets = server.database.secrets;
      const accountId = await insertAccount(db, { name: "Northwind", edition: "Premier" });
      const staff = await insertGroup(db, accountId, "Staff");
      const contractors = await insertGroup(db, accountId, "Contractors");
      const alice = await insertUser(db, accountId, {
        username: "alice",
        realName: "Alice",
        groupIds: [staff],
      });
      const bob = await insertUser(db, accountId, {
        username: "bob",
        realName: "Bob",
        groupIds: [contractors],
      });
      const app = async (name: string) => {
        const id = await insertApplication(db, secrets, { accountId, type: "authapi" });
        await db.updateTable("applications").set({ name }).where("id", "=", id).execute();
        return { id, name };
      };
      const vpn = await app("VPN");
      const wiki = await app("Wiki");
      const now = Date.now();
      const event = (
        hoursAgo: number,
        user: { id: string | null; username: string; groups: string[] },
        application: { id: string; name: string },
        result: "success" | "denied",
        reason: string,
        factor: string,
        device: string | null = null,
      ) => ({
        txid: randomUUID(),
        account_id: accountId,
        created_at: new Date(now - hoursAgo * HOUR),
        event_type: "authentication" as const,
        result,
        reason,
        factor,
        user_id: user.id,
        username: user.username,
        user_groups: user.groups,
        application_id: application.id,
        application_name: application.name,
        access_ip: "203.0.113.7",
        access_hostname: `${user.username}-laptop`,
        auth_device_id: null,
        auth_device_name: device,
      });
      const a = { id: alice, username: "alice", groups: ["Staff"] };
      const b = { id: bob, username: "bob", groups: ["Contractors"] };
      await db
        .insertInto("authentication_log")
        .values([
          event(30 * 24, a, vpn, "success", "valid_passcode", "bypass_code"),
          event(
            3,
            a,
            vpn,
            "success",
            "valid_passcode",
            "duo_mobile_passcode",
            "Phone (+15551230101)",
          ),
          event(2, b, vpn, "denied", "invalid_passcode", "passcode"),
          event(1.5, b, wiki, "denied", "locked_out", "not_available"),
          event(
            1,
            { id: null, username: "mallory", groups: [] },
            vpn,
            "denied",
            "deny_unenrolled_user",
            "not_available",
          ),
          event(0.5, a, wiki, "success", "valid_passcode", "hardware_token", "Hardware token 0042"),
        ])
        .execute();
      await db
        .insertInto("telephony_log")
        .values(
          [
            [alice, "+15551230101", "authentication"],
            [bob, "+15551230102", "authentication"],
            [alice, "+15551230101", "activation"],
          ].map(([userId, phone, context], index) => ({
            account_id: accountId,
            created_at: new Date(now - (3 - index) * HOUR),
            type: "sms" as const,
            context: context as "authentication" | "activation",
            phone_number: phone as string,
            credits: 1,
            user_id: userId as string,
            txid: randomUUID(),
          })),
        )
        .execute();
      owner = await seedActiveAdmin(server.database, { accountId, role: "Owner" });
      billing = await seedActiveAdmin(server.database, { accountId, role: "Billing" });
      restricted = await seedActiveAdmin(server.database, {
        accountId,
        role: "Help Desk",
        email: "staff.helpdesk@northwind.example",
      });
      const unit = await insertScopedUnit(db, accountId, {
        name: "Staff and Wiki",
        groupIds: [staff],
        applicationIds: [wiki.id],
      });
      await db
        .updateTable("admins")
        .set({ restricted_by_units: true })
        .where("id", "=", restricted.id)
        .execute();
      await db
        .insertInto("admin_unit_admins")
        .values({ unit_id: unit, admin_id: restricted.id, account_id: accountId })
        .execute();
      ownerPage = await openPage(browser, server.url);
      ownerPage.setDefaultTimeout(15_000);
      await signInThroughUi(ownerPage, owner);
      // Starting PGlite, the server and Chromium on a loaded 2-core machine can take minutes.
    }, 300_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it("R-AUTH-4: the Authentication Log says each result and reason in words, rule ids only as links", async () => {
      const page = ownerPage;
      await navigate(page, "Authentication Log");
      await page.getByRole("heading", { name: "Authentication Log", level: 2 }).waitFor();
      const table = page.getByRole("table", { name: "Authentication attempts" });
      const rows = await rowTexts(table, 6);
      expect(rows[0]).toContain("Allowed: valid passcode from a hardware token");
      expect(rows[1]).toContain("Denied: no user has this username");
      expect(rows[1]).toContain("Unknown user");
      expect(rows[2]).toContain("Denied: the user is locked out after too many failed attempts");
      expect(rows[3]).toContain("Denied: wrong passcode");
      expect(rows[4]).toContain("Allowed: valid passcode from the authenticator app");
      expect(rows[4]).toContain("Authenticator app");
      expect(rows[5]).toContain("Allowed: valid bypass code");
      // The rule behind a reason is a small link to the Rules page, never the sentence.
      const rule = table.getByRole("row").nth(3).getByRole("link", { name: "R-AUTH-3" });
      await expect(rule.getAttribute("href")).resolves.toBe("/rules#R-AUTH-3");
      await checkAccessibility(page);
      await screenshot(page, "authentication-log");
    });

    it("R-REP-1: filters by result, user, application and time, and exports the same as CSV", async () => {
      const page = ownerPage;
      const table = page.getByRole("table", { name: "Authentication attempts" });
      await choose(page, "Result", "Denied");
      expect(await rowTexts(table, 3)).toEqual([
        expect.stringContaining("mallory"),
        expect.stringContaining("bob"),
        expect.stringContaining("bob"),
      ]);
      await page.getByRole("textbox", { name: "User" }).fill("bo");
      await rowTexts(table, 2);
      await choose(page, "Application", "Wiki");
      expect(await rowTexts(table, 1)).toEqual([expect.stringContaining("locked out")]);
      const csv = await exportCsv(page);
      expect(csv.name).toMatch(/^authentication-log-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(csv.lines[0]).toBe(
        "time,txid,event_type,result,reason,factor,user_id,username,user_groups,application_id,application,access_ip,access_hostname,auth_device,policy_key,policy,policy_section",
      );
      expect(csv.lines).toHaveLength(2);
      const cells = csv.lines[1]?.split(",") ?? [];
      expect([cells[3], cells[4], cells[5], cells[7], cells[8], cells[10]]).toEqual([
        "denied",
        "locked_out",
        "not_available",
        "bob",
        "Contractors",
        "Wiki",
      ]);

      // Clear the filters; a range of the last week leaves the month-old attempt out.
      await page.getByRole("textbox", { name: "User" }).fill("");
      await choose(page, "Result", "Denied");
      await choose(page, "Application", "Wiki");
      await rowTexts(table, 6);
      const weekAgo = new Date(Date.now() - 7 * 24 * HOUR);
      const day = `${weekAgo.getFullYear()}-${String(weekAgo.getMonth() + 1).padStart(2, "0")}-${String(weekAgo.getDate()).padStart(2, "0")}`;
      await page.getByLabel("From").fill(day);
      expect(await rowTexts(table, 5)).not.toContainEqual(expect.stringContaining("bypass code"));
    });

    it("the Telephony Log lists each SMS with its credits, filters by what it was sent for, and exports it", async () => {
      const page = ownerPage;
      await navigate(page, "Telephony Log");
      await page.getByRole("heading", { name: "Telephony Log", level: 2 }).waitFor();
      const table = page.getByRole("table", { name: "Text messages sent" });
      const rows = await rowTexts(table, 3);
      expect(rows[0]).toMatch(/SMS.*Activation.*\+15551230101.*alice.*1/);
      expect(rows[1]).toMatch(/SMS.*Login passcodes.*\+15551230102.*bob.*1/);
      await checkAccessibility(page);
      await screenshot(page, "telephony-log");
      await choose(page, "Sent for", "Login passcodes");
      await rowTexts(table, 2);
      const csv = await exportCsv(page);
      expect(csv.lines[0]).toBe("time,type,context,phone,credits,user_id,username,txid");
      expect(csv.lines.slice(1).map((line) => line.split(",").slice(1, 5))).toEqual([
        ["sms", "authentication", "'+15551230102", "1"],
        ["sms", "authentication", "'+15551230101", "1"],
      ]);
    });

    it("R-AUTH-4: the Dashboard charts the last seven days' attempts by result", async () => {
      const page = ownerPage;
      await navigate(page, "Dashboard");
      const summary = page.getByTestId("activity-summary");
      await summary.waitFor();
      await expect(summary.textContent()).resolves.toBe(
        "Last 7 days: 2 allowed, 3 denied, 0 errors, 0 reported as fraud.",
      );
      const chart = page.getByRole("img", { name: /Authentication activity/ });
      await expect(chart.count()).resolves.toBe(1);
      await expect(
        page.getByRole("table", { name: "Authentication attempts by day and result" }).count(),
      ).resolves.toBe(1);
      await checkAccessibility(page);
      await screenshot(page, "dashboard-activity");
    });

    it("R-UNIT-8g: a restricted Help Desk admin sees only events of their groups' users and their applications", async () => {
      const page = await openPage(browser, server.url);
      page.setDefaultTimeout(15_000);
      await signInThroughUi(page, restricted);
      await navigate(page, "Authentication Log");
      const table = page.getByRole("table", { name: "Authentication attempts" });
      const rows = await rowTexts(table, 4);
      // alice is in Staff (every application); bob only through the Wiki; mallory never (VPN).
      expect(rows.map((row) => /alice|bob|mallory/.exec(row)?.[0])).toEqual([
        "alice",
        "bob",
        "alice",
        "alice",
      ]);
      expect(rows.join()).not.toContain("wrong passcode");
      await checkAccessibility(page);
      await screenshot(page, "authentication-log-restricted");
      await navigate(page, "Telephony Log");
      const messages = await rowTexts(page.getByRole("table", { name: "Text messages sent" }), 2);
      expect(messages.join()).not.toContain("bob");
      await navigate(page, "Dashboard");
      await expect(page.getByTestId("activity-summary").textContent()).resolves.toBe(
        "Last 7 days: 2 allowed, 1 denied, 0 errors, 0 reported as fraud.",
      );
      await page.context().close();
    });

    it("R-ROLE-3: Billing is offered no report and no activity chart", async () => {
      const page = await openPage(browser, server.url);
      await signInThroughUi(page, billing);
      await page.getByRole("heading", { name: "Northwind", level: 2 }).waitFor();
      const nav = page.getByRole("navigation", { name: "Main" });
      await nav.getByRole("link", { name: "Dashboard" }).waitFor();
      for (const label of ["Authentication Log", "Telephony Log", "Policy Impact"])
        await expect(nav.getByRole("link", { name: label }).count()).resolves.toBe(0);
      await expect(page.getByTestId("activity-summary").count()).resolves.toBe(0);
      await page.goto("/reports/authentication-log");
      await page.getByText("The Authentication Log could not be read").waitFor();
      await page.getByTestId("refusal").getByRole("link", { name: /^R-/ }).first().waitFor();
      await page.context().close();
    });
  },
);
