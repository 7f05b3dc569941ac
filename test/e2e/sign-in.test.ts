import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SECOND_FACTOR_FAILED, SIGN_IN_FAILED } from "../../src/domain/auth/sign-in.js";
import { initialize } from "../../src/domain/initialize.js";
import { seedActiveAdmin } from "../helpers/admins.js";
import {
  checkAccessibility,
  describeInBrowser,
  launchBrowser,
  openPage,
  screenshot,
} from "./browser.js";
import { nextCode, type PanelServer, startPanelServer, wrongCode } from "./server.js";
import { signInThroughUi } from "./ui.js";

describeInBrowser(
  "the panel's front door in Chromium: activation and sign-in (R-ADM-2, R-ADM-3)",
  { timeout: 60_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;
    const page = (): Promise<Page> => openPage(browser, server.url);

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it("R-ADM-2: the first Owner activates with a new password and a TOTP code from the secret shown, then signs in", async () => {
      const init = await initialize(server.database.handle, {
        accountName: "Northwind MSP",
        ownerEmail: "owner@northwind.example",
        ownerName: "Olivia Owner",
        publicUrl: server.url,
      });
      const p = await page();
      await p.goto(init.activation.url);
      await p.getByText("Olivia Owner · owner@northwind.example").waitFor();
      await checkAccessibility(p);
      await screenshot(p, "activation-password");

      const password = "a long and unguessable passphrase";
      await p.getByLabel(/^New password/).fill(password);
      await p.getByLabel(/^Confirm password/).fill(password);
      await p.getByRole("button", { name: "Continue" }).click();
      const secretBox = p.getByTestId("totp-secret");
      await secretBox.waitFor();
      await expect(p.getByRole("img", { name: /QR code/ }).isVisible()).resolves.toBe(true);
      await checkAccessibility(p);
      await screenshot(p, "activation-authenticator");
      const totpSecret = (await secretBox.textContent())?.trim() ?? "";
      expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);

      await p.getByLabel(/^Authentication code/).fill(nextCode(totpSecret));
      await p.getByRole("button", { name: "Activate" }).click();
      await p.getByText("Your account is active").waitFor();
      await screenshot(p, "activation-done");

      await p.getByRole("link", { name: "Go to sign-in" }).click();
      await expect(p.getByLabel(/^Email/).inputValue()).resolves.toBe("owner@northwind.example");
      await checkAccessibility(p);
      await screenshot(p, "sign-in");
      await p.getByLabel(/^Password/).fill(password);
      await p.getByRole("button", { name: "Continue" }).click();
      await p.getByLabel(/^Authentication code/).waitFor();
      await checkAccessibility(p);
      await screenshot(p, "sign-in-code");
      await p.getByLabel(/^Authentication code/).fill(nextCode(totpSecret));
      await p.getByRole("button", { name: "Sign in" }).click();
      await p.getByRole("heading", { name: "Northwind MSP", level: 2 }).waitFor();
    });

    it("R-ADM-3: a wrong code and a wrong password are refused with a readable message, and the right code still works", async () => {
      const account = (
        await server.database.handle.db
          .selectFrom("accounts")
          .select("id")
          .executeTakeFirstOrThrow()
      ).id;
      const admin = await seedActiveAdmin(server.database, {
        accountId: account,
        role: "Help Desk",
      });
      const p = await page();

      await p.goto("/sign-in");
      await p.getByLabel(/^Email/).fill(admin.email);
      await p.getByLabel(/^Password/).fill("not the password");
      await p.getByRole("button", { name: "Continue" }).click();
      const refusal = p.getByRole("alert").filter({ hasText: "Sign-in refused" });
      await refusal.waitFor();
      await expect(refusal.textContent()).resolves.toContain(SIGN_IN_FAILED);

      await p.getByLabel(/^Password/).fill(admin.password);
      await p.getByRole("button", { name: "Continue" }).click();
      await p.getByLabel(/^Authentication code/).fill(wrongCode(admin.totpSecret));
      await p.getByRole("button", { name: "Sign in" }).click();
      const codeRefusal = p.getByRole("alert").filter({ hasText: "Code refused" });
      await codeRefusal.waitFor();
      await expect(codeRefusal.textContent()).resolves.toContain(SECOND_FACTOR_FAILED);
      await checkAccessibility(p);
      await screenshot(p, "sign-in-wrong-code");

      await p.getByLabel(/^Authentication code/).fill(nextCode(admin.totpSecret));
      await p.getByRole("button", { name: "Sign in" }).click();
      await p.getByRole("navigation", { name: "Main" }).waitFor();
    });

    it("a page asked for without a session leads to sign-in, and back to it afterwards", async () => {
      const p = await page();
      await p.goto("/no-such-page");
      await p.waitForURL(/\/sign-in\?next=%2Fno-such-page$/);
      const account = (
        await server.database.handle.db
          .selectFrom("accounts")
          .select("id")
          .executeTakeFirstOrThrow()
      ).id;
      const admin = await seedActiveAdmin(server.database, { accountId: account, role: "Owner" });
      await p.getByLabel(/^Email/).fill(admin.email);
      await p.getByLabel(/^Password/).fill(admin.password);
      await p.getByRole("button", { name: "Continue" }).click();
      await p.getByLabel(/^Authentication code/).fill(nextCode(admin.totpSecret));
      await p.getByRole("button", { name: "Sign in" }).click();
      await p.getByRole("heading", { name: "Page not found" }).waitFor();
      expect(new URL(p.url()).pathname).toBe("/no-such-page");
      await checkAccessibility(p);
      await screenshot(p, "not-found");
      await signInThroughUi(await page(), admin);
    });
  },
);
