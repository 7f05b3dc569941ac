import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type SeededAdmin, seedActiveAdmin } from "../helpers/admins.js";
import { insertAccount, insertGroup, insertUser } from "../helpers/fixtures.js";
import { insertWebAuthnCredential } from "../helpers/webauthn-fixtures.js";
import {
  checkAccessibility,
  describeInBrowser,
  launchBrowser,
  openPage,
  screenshot,
} from "./browser.js";
import { type PanelServer, startPanelServer } from "./server.js";
import { fullyShown, signInThroughUi } from "./ui.js";
import { addVirtualKey } from "./virtual-key.js";

describeInBrowser(
  "issue 15: security keys in Chromium (R-ADM-3, R-AUTH-2, R-ROLE-3)",
  { timeout: 120_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    let baseUrl: string;
    let accountId: string;
    const db = () => server.database.handle.db;
    const page = (): Promise<Page> => openPage(browser, baseUrl);

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
      baseUrl = server.url.replace("127.0.0.1", "localhost");
      accountId = await insertAccount(db(), { name: "Northwind MSP", edition: "Premier" });
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it("R-ADM-3: an admin adds a security key in Edit Profile, signs in with it instead of a code, then removes it", async () => {
      const admin: SeededAdmin = await seedActiveAdmin(server.database, {
        accountId,
        role: "Owner",
      });
      const p = await page();
      await addVirtualKey(p);
      await signInThroughUi(p, admin);

      await p.goto("/profile");
      const section = p.getByRole("region", { name: "Security keys" });
      await section.getByText("You have no security keys.").waitFor();
      await section.getByLabel(/^Label for the new key/).fill("Desk key");
      await section.getByLabel(/^Your password, to add a key/).fill(admin.password);
      await section.getByRole("button", { name: "Add security key" }).click();
      const keys = section.getByRole("list", { name: "Your security keys" });
      const added = keys.getByRole("listitem").filter({ hasText: "Desk key (Security key)" });
      await added.waitFor();
      await expect(added.textContent()).resolves.toContain("last used never");
      await p.mouse.move(1300, 740);
      await checkAccessibility(p);
      await screenshot(p, "profile-security-keys");
      const [stored] = await db()
        .selectFrom("webauthn_credentials")
        .selectAll()
        .where("admin_id", "=", admin.id)
        .execute();
      expect(stored).toMatchObject({ label: "Desk key", user_id: null, account_id: accountId });

      // Sign out, and back in with the key instead of the code.
      await p.getByRole("button", { name: "Test Admin" }).click();
      await p.getByRole("menuitem", { name: "Sign out" }).click();
      await p.waitForURL(/\/sign-in/);
      await p.getByLabel(/^Email/).fill(admin.email);
      await p.getByLabel(/^Password/).fill(admin.password);
      await p.getByRole("button", { name: "Continue" }).click();
      const useKey = p.getByRole("button", { name: "Use your security key" });
      await useKey.waitFor();
      await checkAccessibility(p);
      await screenshot(p, "sign-in-security-key");
      await useKey.click();
      await p.getByRole("navigation", { name: "Main" }).waitFor();
      const login = await db()
        .selectFrom("audit_log")
        .select("after")
        .where("object_id", "=", admin.id)
        .where("action", "=", "admin_login")
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      expect(login.after).toEqual({ factor: "webauthn", webauthnkey: stored?.id });
      const used = await db()
        .selectFrom("webauthn_credentials")
        .select(["last_used_at", "sign_count"])
        .where("admin_id", "=", admin.id)
        .executeTakeFirstOrThrow();
      expect(used.last_used_at).not.toBeNull();

      // Remove it from Edit Profile.
      await p.goto("/profile");
      await p.getByRole("button", { name: "Remove Desk key" }).click();
      const dialog = p.getByRole("dialog", { name: "Remove Desk key?" });
      await fullyShown(dialog);
      await checkAccessibility(p);
      await dialog.getByRole("button", { name: "Remove" }).click();
      await p
        .getByRole("region", { name: "Security keys" })
        .getByText("You have no security keys.")
        .waitFor();
      expect(
        await db()
          .selectFrom("webauthn_credentials")
          .select("id")
          .where("admin_id", "=", admin.id)
          .execute(),
      ).toEqual([]);
    });

    it("R-ROLE-3, R-UNIT-8f: a Help Desk admin sees a user's security key and passkey on the user page and removes one", async () => {
      const staff = await insertGroup(db(), accountId, "Staff");
      const userId = await insertUser(db(), accountId, {
        username: "dana.key",
        realName: "Dana Key",
        groupIds: [staff],
      });
      const { id: keyId } = await insertWebAuthnCredential(
        db(),
        { accountId, userId },
        { label: "Dana's YubiKey" },
      );
      await insertWebAuthnCredential(db(), { accountId, userId }, { passkey: true });
      const helpDesk = await seedActiveAdmin(server.database, { accountId, role: "Help Desk" });
      const p = await page();
      await signInThroughUi(p, helpDesk);
      await p.goto(`/users/${userId}`);
      const table = p.getByTestId("user-security-keys");
      await table.getByRole("cell", { name: "Dana's YubiKey", exact: true }).waitFor();
      await table.getByRole("cell", { name: "Passkey", exact: true }).waitFor();
      await p.mouse.move(1300, 740);
      await checkAccessibility(p);
      await screenshot(p, "user-security-keys");

      await table.getByRole("button", { name: "Remove Dana's YubiKey" }).click();
      const dialog = p.getByRole("dialog", { name: "Remove Dana's YubiKey from dana.key?" });
      await fullyShown(dialog);
      await checkAccessibility(p);
      await dialog.getByRole("button", { name: "Remove" }).click();
      await dialog.waitFor({ state: "hidden" });
      await expect
        .poll(() => table.getByRole("cell", { name: "Dana's YubiKey", exact: true }).count())
        .toBe(0);
      await expect(table.getByRole("cell", { name: "Passkey", exact: true }).count()).resolves.toBe(
        1,
      );
      const record = await db()
        .selectFrom("audit_log")
        .select(["actor_id", "object_id", "before"])
        .where("action", "=", "webauthn_delete")
        .where("object_id", "=", userId)
        .executeTakeFirstOrThrow();
      expect(record).toMatchObject({
        actor_id: helpDesk.id,
        before: expect.objectContaining({ webauthnkey: keyId, label: "Dana's YubiKey" }),
      });
    });
  },
);
