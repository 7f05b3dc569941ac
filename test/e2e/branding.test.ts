import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { WEB_DIST } from "../../scripts/web.js";
import { readMigrations } from "../../src/db/migrate.js";
import { buildApp } from "../../src/http/app.js";
import { seedActiveAdmin } from "../helpers/admins.js";
import { withLogoRoute } from "../helpers/branding.js";
import { openTestDatabase } from "../helpers/database.js";
import { insertAccount } from "../helpers/fixtures.js";
import { jpegImage, pngImage } from "../helpers/images.js";
import {
  checkAccessibility,
  describeInBrowser,
  launchBrowser,
  openPage,
  screenshot,
} from "./browser.js";
import type { PanelServer } from "./server.js";
import { fullyShown, signInThroughUi } from "./ui.js";

/** startPanelServer's server, with the public logo route the previews load the logo from. */
async function startServer(): Promise<PanelServer> {
  const database = await openTestDatabase();
  const app = await buildApp({
    database: database.handle,
    secrets: database.secrets,
    migrations: await readMigrations(),
    webRoot: WEB_DIST,
    throttle: { attemptsPerWindow: 10_000, windowSeconds: 60 },
  });
  await withLogoRoute(app);
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

describeInBrowser("Settings, Branding in Chromium (issue 15)", { timeout: 90_000 }, () => {
  let server: PanelServer;
  let browser: Browser;
  let accountId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const db = server.database.handle.db;
    accountId = await insertAccount(db, { name: "Northwind", edition: "Premier" });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const stored = async () => ({
    settings: await server.database.handle.db
      .selectFrom("account_settings")
      .select(["branding_name", "branding_colour"])
      .where("account_id", "=", accountId)
      .executeTakeFirstOrThrow(),
    logo: await server.database.handle.db
      .selectFrom("account_logos")
      .select(["content_type", "width", "height", "hash"])
      .where("account_id", "=", accountId)
      .executeTakeFirst(),
  });
  const brandingSection = async (): Promise<{
    page: Page;
    section: ReturnType<Page["getByRole"]>;
  }> => {
    // An Owner of their own each time: each sign-in of one admin takes the next TOTP step.
    const owner = await seedActiveAdmin(server.database, { accountId, role: "Owner" });
    const page = await openPage(browser, server.url);
    await signInThroughUi(page, owner);
    await page.goto("/settings");
    const section = page.getByRole("region", { name: "Branding" });
    await section.getByLabel("Name shown at sign-in").waitFor();
    return { page, section };
  };
  /** The image has been fetched and decoded: its natural width, 0 when it failed to load. */
  const loadedWidth = (page: Page, name: string) =>
    page.getByRole("img", { name }).evaluate(async (element) => {
      const image = element as HTMLImageElement;
      await image.decode().catch(() => undefined);
      return image.naturalWidth;
    });

  it("the name and colour: a colour too light for white text is judged as typed and refused on save; a dark one is saved", async () => {
    const { page, section } = await brandingSection();
    const colour = section.getByLabel("Button colour");
    const verdict = section.getByTestId("contrast-verdict");
    await section.getByLabel("Name shown at sign-in").fill("Northwind Health");
    await colour.fill("#ffcc00");
    await expect(verdict.textContent()).resolves.toContain(
      "Too light: white text on #ffcc00 has a contrast of 1.5:1",
    );
    await section.getByRole("button", { name: "Save branding" }).click();
    await section.getByText("is too light: white text on #ffcc00").waitFor();
    await expect(colour.getAttribute("aria-invalid")).resolves.toBe("true");
    expect((await stored()).settings).toEqual({ branding_name: null, branding_colour: null });

    await colour.fill("#1A4D8F");
    await expect(verdict.textContent()).resolves.toContain(
      "Readable: white text on #1a4d8f has a contrast of",
    );
    // The picker follows what is typed.
    await expect(section.getByLabel("Pick a colour").inputValue()).resolves.toBe("#1a4d8f");
    await section.getByRole("button", { name: "Save branding" }).click();
    await page.getByText("Branding saved").waitFor();
    expect((await stored()).settings).toEqual({
      branding_name: "Northwind Health",
      branding_colour: "#1a4d8f",
    });
    await page.mouse.move(1300, 740);
    await checkAccessibility(page);
  });

  it("the logo: a PNG is previewed, uploaded and shown from its public URL; an SVG is refused in words; a JPEG replaces the PNG", async () => {
    const { page, section } = await brandingSection();
    const file = section.getByLabel("Logo file");
    await file.setInputFiles({
      name: "logo.png",
      mimeType: "image/png",
      buffer: pngImage(120, 40),
    });
    await expect(loadedWidth(page, "Preview of logo.png")).resolves.toBe(120);
    await section.getByRole("button", { name: "Upload logo" }).click();
    await page.getByText("Logo saved").waitFor();
    expect((await stored()).logo).toMatchObject({ content_type: "image/png", width: 120 });
    await expect(loadedWidth(page, "The current logo")).resolves.toBe(120);
    await section.getByText("PNG, 120×40 pixels").waitFor();
    await page.mouse.move(1300, 740);
    await checkAccessibility(page);
    await screenshot(page, "settings-branding");

    const before = await stored();
    const replace = section.getByLabel("Replace the logo");
    await replace.setInputFiles({
      name: "logo.svg",
      mimeType: "image/png",
      buffer: Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      ),
    });
    await section.getByRole("button", { name: "Upload logo" }).click();
    await section.getByText("must be a PNG or JPEG image").waitFor();
    await expect(replace.getAttribute("aria-invalid")).resolves.toBe("true");
    expect(await stored()).toEqual(before);

    await replace.setInputFiles({
      name: "logo.jpg",
      mimeType: "image/jpeg",
      buffer: jpegImage(200, 64),
    });
    await section.getByRole("button", { name: "Upload logo" }).click();
    await section.getByText("JPEG, 200×64 pixels").waitFor();
    expect((await stored()).logo).toMatchObject({ content_type: "image/jpeg", width: 200 });
    await expect(loadedWidth(page, "The current logo")).resolves.toBe(200);
  });

  it("a file over 200 KB is stopped before it is sent, saying its size", async () => {
    const { section } = await brandingSection();
    const before = await stored();
    const big = pngImage(300, 300, "noise");
    await section
      .getByLabel("Replace the logo")
      .setInputFiles({ name: "big.png", mimeType: "image/png", buffer: big });
    await section
      .getByText(`This file is ${Math.ceil(big.length / 1024)} KB; a logo may be at most 200 KB.`)
      .waitFor();
    await expect(section.getByRole("button", { name: "Upload logo" }).count()).resolves.toBe(0);
    expect(await stored()).toEqual(before);
  });

  it("the logo is removed with the keyboard alone, after confirming", async () => {
    const { page, section } = await brandingSection();
    await section.getByRole("button", { name: "Remove logo" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Remove the logo?" });
    await fullyShown(dialog);
    await checkAccessibility(page);
    await dialog.getByRole("button", { name: "Remove" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText("Logo removed").waitFor();
    expect((await stored()).logo).toBeUndefined();
    await section.getByText("No logo: the sign-in page shows the name alone.").waitFor();
  });
});
