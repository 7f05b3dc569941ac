import { createHash } from "node:crypto";
import { changedFields } from "../audit.js";
import type { UseCaseContext } from "../context.js";
import { parseName } from "../validate.js";
import { DEFAULT_BRANDING_COLOUR, parseColour } from "./colour.js";
import { inspectLogo, type LogoContentType } from "./image.js";

/**
 * Settings, Branding: what the hosted prompt shows of the account (issue 15). Part of the account's
 * global settings, so it takes what they take (R-ROLE-2 "Modify global settings", reading too, as
 * src/domain/settings.ts explains; account-wide, so never a restricted admin's, R-UNIT-4). Each
 * change is one record, in its transaction (R-AUD-1); a refusal names its field and changes nothing.
 */
export interface BrandingSettingsView {
  /** The name set for the prompt; null: the account's own name (`default_name`) is shown. */
  name: string | null;
  default_name: string;
  /** `#rrggbb`; null: Gatehouse's own colour (`default_colour`) is used. */
  colour: string | null;
  default_colour: string;
  logo: LogoView | null;
}

export interface LogoView {
  hash: string;
  content_type: LogoContentType;
  width: number;
  height: number;
  /** Its size in bytes. */
  size: number;
}

export interface BrandingChange {
  /** null, or only spaces: show the account's own name. */
  name?: string | null;
  /** null: Gatehouse's own colour. */
  colour?: string | null;
}

function accountObject(ctx: UseCaseContext) {
  return {
    kind: "account",
    id: ctx.accountId,
    name: ctx.snapshot.accounts.get(ctx.accountId)?.name,
  };
}

async function readView(ctx: UseCaseContext): Promise<BrandingSettingsView> {
  const row = await ctx.tx
    .selectFrom("accounts as a")
    .innerJoin("account_settings as s", "s.account_id", "a.id")
    .leftJoin("account_logos as l", "l.account_id", "a.id")
    .select((eb) => [
      "a.name",
      "s.branding_name",
      "s.branding_colour",
      "l.hash",
      "l.content_type",
      "l.width",
      "l.height",
      eb.fn<number | null>("octet_length", ["l.bytes"]).as("size"),
    ])
    .where("a.id", "=", ctx.accountId)
    .executeTakeFirstOrThrow();
  return {
    name: row.branding_name,
    default_name: row.name,
    colour: row.branding_colour,
    default_colour: DEFAULT_BRANDING_COLOUR,
    logo:
      row.hash === null || row.content_type === null || row.width === null || row.height === null
        ? null
        : {
            hash: row.hash,
            content_type: row.content_type,
            width: row.width,
            height: row.height,
            size: Number(row.size),
          },
  };
}

export async function getBrandingSettings(ctx: UseCaseContext): Promise<BrandingSettingsView> {
  ctx.authorize("settings:modify");
  return readView(ctx);
}

/** Sets the prompt's name or colour (or both): one "branding_update" record with what changed. */
export async function updateBranding(
  ctx: UseCaseContext,
  change: BrandingChange,
): Promise<BrandingSettingsView> {
  ctx.authorize("settings:modify");
  const set: { branding_name?: string | null; branding_colour?: string | null } = {};
  if (change.name !== undefined)
    set.branding_name =
      change.name === null || change.name.trim() === "" ? null : parseName("name", change.name);
  if (change.colour !== undefined)
    set.branding_colour = change.colour === null ? null : parseColour(change.colour);
  const before = await readView(ctx);
  if (Object.keys(set).length > 0)
    await ctx.tx
      .updateTable("account_settings")
      .set({ ...set, updated_at: new Date() })
      .where("account_id", "=", ctx.accountId)
      .execute();
  const after = await readView(ctx);
  const fields = (view: BrandingSettingsView) => ({ name: view.name, colour: view.colour });
  await ctx.audit({
    action: "branding_update",
    object: accountObject(ctx),
    before: changedFields(fields(before), fields(after)),
    after: changedFields(fields(after), fields(before)),
  });
  return after;
}

/** The logo as the log keeps it: what it is, never its bytes. */
function logged(logo: LogoView | null) {
  return logo === null ? null : { ...logo };
}

/**
 * Sets the prompt's logo from its bytes, checked first (inspectLogo: PNG or JPEG by signature, at
 * most 200 KB, 16 to 1024 pixels a side). Replaces any logo before it, whose URL then finds
 * nothing. One "branding_logo_update" record with the logo before and after (never the bytes).
 */
export async function setLogo(
  ctx: UseCaseContext,
  bytes: Uint8Array,
): Promise<BrandingSettingsView> {
  ctx.authorize("settings:modify");
  const image = inspectLogo(bytes);
  const hash = createHash("sha256").update(bytes).digest("hex");
  const before = await readView(ctx);
  const row = {
    content_type: image.contentType,
    bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    hash,
    width: image.width,
    height: image.height,
    updated_at: new Date(),
  };
  await ctx.tx
    .insertInto("account_logos")
    .values({ account_id: ctx.accountId, ...row })
    .onConflict((conflict) => conflict.column("account_id").doUpdateSet(row))
    .execute();
  const after = await readView(ctx);
  await ctx.audit({
    action: "branding_logo_update",
    object: accountObject(ctx),
    before: logged(before.logo),
    after: logged(after.logo),
  });
  return after;
}

/** Removes the logo; the prompt shows the name alone. Logged even when there was none. */
export async function removeLogo(ctx: UseCaseContext): Promise<BrandingSettingsView> {
  ctx.authorize("settings:modify");
  const before = await readView(ctx);
  await ctx.tx.deleteFrom("account_logos").where("account_id", "=", ctx.accountId).execute();
  await ctx.audit({
    action: "branding_logo_delete",
    object: accountObject(ctx),
    before: logged(before.logo),
  });
  return readView(ctx);
}
