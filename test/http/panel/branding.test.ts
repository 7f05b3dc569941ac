import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/authz/index.js";
import { DEFAULT_BRANDING_COLOUR } from "../../../src/domain/branding/colour.js";
import { brandingOf } from "../../../src/domain/branding/read.js";
import { NotFound } from "../../../src/domain/errors.js";
import { LOGO_CONTENT_SECURITY_POLICY } from "../../../src/http/branding/routes.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { withLogoRoute } from "../../helpers/branding.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { jpegImage, pngImage } from "../../helpers/images.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import type { PanelClient } from "../../helpers/panel-client.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const asObject = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);

describe(`Settings, Branding over the panel API, and the public logo, on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let accountId: string;
  let owner: PanelClient;

  const signIn = (role: Role, unitIds?: string[]) => signInAdmin(t, accountId, { role, unitIds });
  const patch = (client: PanelClient, body: object) =>
    client.request({ method: "PATCH", url: "/api/settings/branding", body });
  const upload = (client: PanelClient, bytes: Buffer | string) =>
    client.request({
      method: "PUT",
      url: "/api/settings/branding/logo",
      body: { logo: typeof bytes === "string" ? bytes : bytes.toString("base64") },
    });
  const remove = (client: PanelClient) =>
    client.request({ method: "DELETE", url: "/api/settings/branding/logo" });
  const fetchLogo = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: "GET", url, headers });
  /** Everything a branding change could touch: the settings row, the logo row, the log. */
  const state = async () => ({
    settings: await t.db
      .selectFrom("account_settings")
      .select(["branding_name", "branding_colour", "updated_at"])
      .where("account_id", "=", accountId)
      .executeTakeFirstOrThrow(),
    logo: await t.db
      .selectFrom("account_logos")
      .select(["hash", "content_type", "width", "height", "updated_at"])
      .where("account_id", "=", accountId)
      .executeTakeFirst(),
    records: await records(),
  });
  const records = () =>
    t.db
      .selectFrom("audit_log")
      .select(["action", "actor_id", "object_id", "before", "after"])
      .where("account_id", "=", accountId)
      .where("action", "like", "branding%")
      .orderBy("id")
      .execute();

  beforeAll(async () => {
    t = await buildTestApp();
    await withLogoRoute(t.app);
    accountId = await insertAccount(t.db, { name: "Northwind", edition: "Premier" });
    owner = (await signIn("Owner")).client;
  });
  afterAll(() => t.close());

  it("an Owner reads the defaults: the account's name, Gatehouse's colour, no logo; brandingOf fills them in", async () => {
    const read = await owner.get("/api/settings/branding");
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({
      name: null,
      default_name: "Northwind",
      colour: null,
      default_colour: DEFAULT_BRANDING_COLOUR,
      logo: null,
    });
    expect(await brandingOf(t.db, accountId)).toEqual({
      name: "Northwind",
      colour: DEFAULT_BRANDING_COLOUR,
      logo: null,
    });
    await expect(brandingOf(t.db, `DA${"9".repeat(18)}`)).rejects.toBeInstanceOf(NotFound);
  });

  it("R-AUD-1: the name and colour change, one record each with what changed before and after", async () => {
    const before = (await records()).length;
    const changed = await patch(owner, { name: "  Northwind Health  ", colour: "#1A4D8F" });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: "Northwind Health", colour: "#1a4d8f" });
    expect(await brandingOf(t.db, accountId)).toMatchObject({
      name: "Northwind Health",
      colour: "#1a4d8f",
    });
    const colourOnly = await patch(owner, { colour: "#0b3d2e" });
    expect(colourOnly.json()).toMatchObject({ name: "Northwind Health", colour: "#0b3d2e" });
    const added = (await records()).slice(before);
    expect(added.map((r) => [r.action, r.actor_id, r.object_id])).toEqual([
      ["branding_update", expect.any(String), accountId],
      ["branding_update", expect.any(String), accountId],
    ]);
    expect(added.map((r) => [asObject(r.before), asObject(r.after)])).toEqual([
      [
        { name: null, colour: null },
        { name: "Northwind Health", colour: "#1a4d8f" },
      ],
      [{ colour: "#1a4d8f" }, { colour: "#0b3d2e" }],
    ]);
    // Blank name and null colour: back to the defaults.
    const reset = await patch(owner, { name: " ", colour: null });
    expect(reset.json()).toMatchObject({ name: null, colour: null });
    expect(await brandingOf(t.db, accountId)).toMatchObject({
      name: "Northwind",
      colour: DEFAULT_BRANDING_COLOUR,
    });
  });

  it("a colour white text is unreadable on, a bad colour, a long name or an unknown field is refused naming the field, and nothing changes", async () => {
    await patch(owner, { name: "Northwind Health", colour: "#1a4d8f" });
    const before = await state();
    for (const [body, field, words] of [
      [{ colour: "#ffcc00" }, "colour", "white text on #ffcc00 has a contrast of 1.5:1"],
      [{ name: "Acme", colour: "#777777" }, "colour", "need at least 4.5:1"],
      [{ colour: "blue" }, "colour", "# and six hex digits"],
      [{ colour: "" }, "colour", "# and six hex digits"],
      [{ name: "x".repeat(101) }, "name", "1 to 100 characters"],
      [{ name: 7 }, "name", undefined],
      [{ logo_url: "https://evil.example/x.svg" }, "logo_url", undefined],
    ] as const) {
      const refused = await patch(owner, body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(refused.json().error).toMatchObject({ code: "invalid", field });
      if (words) expect(refused.json().error.message).toContain(words);
    }
    expect(await state()).toEqual(before);
  });

  it("R-AUD-1: a PNG logo is stored by its bytes, served at its hash's URL with the logo's headers, and logged without its bytes", async () => {
    const png = pngImage(120, 40);
    const before = (await records()).length;
    const set = await upload(owner, png);
    expect(set.statusCode, set.body).toBe(200);
    const hash = sha256(png);
    const url = `/branding/${accountId}/logo/${hash}`;
    expect(set.json().logo).toEqual({
      url,
      hash,
      content_type: "image/png",
      width: 120,
      height: 40,
      size: png.length,
    });
    expect((await owner.get("/api/settings/branding")).json().logo.url).toBe(url);
    expect((await brandingOf(t.db, accountId)).logo).toEqual({
      hash,
      contentType: "image/png",
      width: 120,
      height: 40,
    });

    const served = await fetchLogo(url);
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(png)).toBe(true);
    expect(served.headers).toMatchObject({
      "content-type": "image/png",
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
      "content-security-policy": LOGO_CONTENT_SECURITY_POLICY,
      etag: `"${hash}"`,
    });
    expect(LOGO_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    // Not signed in, no cookie: public, like the prompt that links to it.
    expect(served.headers["set-cookie"]).toBeUndefined();
    const again = await fetchLogo(url, { "if-none-match": `"${hash}"` });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);

    const [record, ...more] = (await records()).slice(before);
    expect(more).toEqual([]);
    expect(record?.action).toBe("branding_logo_update");
    expect(asObject(record?.before)).toBeNull();
    expect(asObject(record?.after)).toEqual({
      hash,
      content_type: "image/png",
      width: 120,
      height: 40,
      size: png.length,
    });
    expect(JSON.stringify(record)).not.toContain(png.toString("base64").slice(0, 40));
  });

  it("a JPEG replaces it: the old URL answers 404, the new one image/jpeg", async () => {
    const old = (await owner.get("/api/settings/branding")).json().logo.url as string;
    const jpeg = jpegImage(200, 64);
    const set = await upload(owner, jpeg);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().logo).toMatchObject({ content_type: "image/jpeg", width: 200, height: 64 });
    expect((await fetchLogo(old)).statusCode).toBe(404);
    const served = await fetchLogo(set.json().logo.url);
    expect(served.statusCode).toBe(200);
    expect(served.headers["content-type"]).toBe("image/jpeg");
    expect(served.rawPayload.equals(jpeg)).toBe(true);
  });

  it("an SVG, a GIF, a file over 200 KB, a tiny image or text that is not base64 is refused naming the logo, and nothing changes", async () => {
    const before = await state();
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script></svg>',
    );
    const big = pngImage(300, 300, "noise");
    for (const [bytes, words] of [
      [svg, "must be a PNG or JPEG image"],
      [Buffer.concat([Buffer.from("GIF89a"), Buffer.alloc(40)]), "must be a PNG or JPEG image"],
      [big, `is ${Math.ceil(big.length / 1024)} KB; a logo may be at most 200 KB`],
      [pngImage(8, 8), "is 8×8 pixels"],
      [Buffer.alloc(0), "is empty"],
      ["data:image/png;base64,AAAA", "must be the image file's bytes in base64"],
      ["not base64!", "must be the image file's bytes in base64"],
    ] as const) {
      const refused = await upload(owner, bytes);
      expect(refused.statusCode, words).toBe(400);
      expect(refused.json().error).toMatchObject({ code: "invalid", field: "logo" });
      expect(refused.json().error.message).toContain(words);
    }
    expect((await upload(owner, "A".repeat(1_000_004))).statusCode).toBeLessThan(500);
    expect(await state()).toEqual(before);
  });

  it("R-AUD-1: removing the logo makes its URL answer 404 and is logged; so is removing none", async () => {
    const url = (await owner.get("/api/settings/branding")).json().logo.url as string;
    const before = (await records()).length;
    const removed = await remove(owner);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().logo).toBeNull();
    expect((await brandingOf(t.db, accountId)).logo).toBeNull();
    expect((await fetchLogo(url)).statusCode).toBe(404);
    expect((await remove(owner)).statusCode).toBe(200);
    const added = (await records()).slice(before);
    expect(added.map((r) => r.action)).toEqual(["branding_logo_delete", "branding_logo_delete"]);
    expect(asObject(added[0]?.before)).toMatchObject({ content_type: "image/jpeg" });
    expect(asObject(added[1]?.before)).toBeNull();
  });

  it("the logo route answers 404 for an unknown account, a malformed id or hash, and another account's hash", async () => {
    const png = pngImage(32, 32);
    await upload(owner, png);
    const hash = sha256(png);
    const other = await insertAccount(t.db, { name: "Other" });
    for (const url of [
      `/branding/${other}/logo/${hash}`,
      `/branding/DA${"9".repeat(18)}/logo/${hash}`,
      `/branding/${accountId}/logo/${hash.toUpperCase()}`,
      `/branding/${accountId}/logo/${"0".repeat(64)}`,
      `/branding/${accountId}/logo/${hash.slice(1)}`,
      `/branding/not-an-id/logo/${hash}`,
      `/branding/${accountId}/logo/..%2F..%2Fetc`,
    ]) {
      const response = await fetchLogo(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers["content-type"]).toContain("application/json");
    }
    expect((await fetchLogo(`/branding/${accountId}/logo/${hash}`)).statusCode).toBe(200);
  });

  it("R-ROLE-2: an Administrator may; every other role is refused with the rule on every branding route, and nothing changes", async () => {
    const administrator = (await signIn("Administrator")).client;
    expect((await administrator.get("/api/settings/branding")).statusCode).toBe(200);
    expect((await patch(administrator, { name: "Northwind Care" })).statusCode).toBe(200);
    const before = await state();
    for (const role of [
      "Application Manager",
      "User Manager",
      "Help Desk",
      "Billing",
      "Read-only",
    ] as const) {
      const admin = (await signIn(role)).client;
      for (const response of [
        await admin.get("/api/settings/branding"),
        await patch(admin, { name: "Hijacked" }),
        await upload(admin, pngImage(32, 32)),
        await remove(admin),
      ]) {
        expect(response.statusCode, role).toBe(403);
        expect(response.json().error).toMatchObject({ code: "forbidden", rule: "R-ROLE-2" });
      }
    }
    expect(await state()).toEqual(before);
  });

  it("R-UNIT-4: a restricted Administrator cannot change the account-wide branding", async () => {
    const group = await owner.post("/api/groups", { name: "Engineering" });
    const unitId = await insertScopedUnit(t.db, accountId, {
      name: "Eng",
      groupIds: [group.json().id],
    });
    const restricted = (await signIn("Administrator", [unitId])).client;
    const before = await state();
    const refused = await patch(restricted, { colour: "#000000" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.rule).toBe("R-UNIT-4");
    expect((await remove(restricted)).statusCode).toBe(403);
    expect(await state()).toEqual(before);
  });

  it("a change without the session's CSRF token, or from another site, is refused before its body is read", async () => {
    const before = await state();
    const noToken = await owner.request({
      method: "PUT",
      url: "/api/settings/branding/logo",
      body: { logo: pngImage(40, 40).toString("base64") },
      csrf: false,
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe("csrf");
    const crossSite = await owner.request({
      method: "PATCH",
      url: "/api/settings/branding",
      body: { colour: "#000000" },
      headers: { origin: "https://evil.example" },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().error.code).toBe("csrf");
    const deleted = await owner.request({
      method: "DELETE",
      url: "/api/settings/branding/logo",
      csrf: false,
    });
    expect(deleted.statusCode).toBe(403);
    expect(await state()).toEqual(before);
  });

  it("each account has its own branding: a subaccount's is not its parent's", async () => {
    const sub = await insertAccount(t.db, { parentId: accountId, name: "Contoso" });
    expect(await brandingOf(t.db, sub)).toEqual({
      name: "Contoso",
      colour: DEFAULT_BRANDING_COLOUR,
      logo: null,
    });
    expect((await brandingOf(t.db, accountId)).logo).not.toBeNull();
  });
});
