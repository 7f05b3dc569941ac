import type { Executor } from "../../db/executor.js";
import { NotFound } from "../errors.js";
import { DEFAULT_BRANDING_COLOUR } from "./colour.js";
import type { LogoContentType } from "./image.js";

/** The logo as the prompt links to it: the bytes are served apart (logoFile), by hash. */
export interface BrandingLogo {
  /** SHA-256 of the bytes, hex: in the logo's URL and its ETag, so each logo has its own URL. */
  hash: string;
  contentType: LogoContentType;
  /** In pixels, for the page's <img width height> (no layout shift while it loads). */
  width: number;
  height: number;
}

/** What the hosted prompt shows of an account (issue 15: "the account's branding"). */
export interface Branding {
  /** The name shown to users logging in: the one set in Settings, Branding, else the account's. */
  name: string;
  /** `#rrggbb`, the buttons' background under white text (at least 4.5:1): the one set, else Gatehouse's. */
  colour: string;
  logo: BrandingLogo | null;
}

/**
 * An account's branding, in one statement, with the defaults filled in: the account's name when
 * none is set, Gatehouse's colour when none is set. Throws NotFound for an account that is not.
 */
export async function brandingOf(executor: Executor, accountId: string): Promise<Branding> {
  const row = await executor
    .selectFrom("accounts as a")
    .leftJoin("account_settings as s", "s.account_id", "a.id")
    .leftJoin("account_logos as l", "l.account_id", "a.id")
    .select([
      "a.name",
      "s.branding_name",
      "s.branding_colour",
      "l.hash",
      "l.content_type",
      "l.width",
      "l.height",
    ])
    .where("a.id", "=", accountId)
    .executeTakeFirst();
  if (row === undefined) throw new NotFound("account", accountId);
  return {
    name: row.branding_name ?? row.name,
    colour: row.branding_colour ?? DEFAULT_BRANDING_COLOUR,
    logo:
      row.hash === null || row.content_type === null || row.width === null || row.height === null
        ? null
        : { hash: row.hash, contentType: row.content_type, width: row.width, height: row.height },
  };
}

export interface LogoFile {
  bytes: Buffer;
  contentType: LogoContentType;
  hash: string;
}

/**
 * The bytes of an account's logo: the current one, or only if it is still the one with `hash`
 * (a URL naming an older logo finds nothing). Undefined when there is none.
 */
export async function logoFile(
  executor: Executor,
  accountId: string,
  hash?: string,
): Promise<LogoFile | undefined> {
  let query = executor
    .selectFrom("account_logos")
    .select(["bytes", "content_type", "hash"])
    .where("account_id", "=", accountId);
  if (hash !== undefined) query = query.where("hash", "=", hash);
  const row = await query.executeTakeFirst();
  if (row === undefined) return undefined;
  // node-postgres reads bytea as a Buffer, PGlite as a Uint8Array: one shape for the doors.
  const bytes = Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
  return { bytes, contentType: row.content_type, hash: row.hash };
}
