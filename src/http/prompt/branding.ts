import type { Executor } from "../../db/executor.js";
import { brandingOf } from "../../domain/branding/read.js";
import { logoPath } from "../branding/routes.js";
import type { PageBranding } from "./pages.js";

/** Branding is cosmetic: a change may take this long to show on the prompt's pages. */
const FRESH_MS = 10_000;
const MAX_ACCOUNTS = 10_000;

/**
 * How the account presents itself on the prompt's pages (Settings, Branding), kept for a few
 * seconds per account: every page of a login shows it, and it changes rarely.
 */
export class PromptBranding {
  readonly #cache = new Map<string, { at: number; branding: PageBranding }>();

  async of(executor: Executor, accountId: string, now = Date.now()): Promise<PageBranding> {
    const hit = this.#cache.get(accountId);
    if (hit && now - hit.at < FRESH_MS) return hit.branding;
    const branding = await read(executor, accountId);
    this.#cache.delete(accountId);
    if (this.#cache.size >= MAX_ACCOUNTS)
      this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(accountId, { at: now, branding });
    return branding;
  }
}

async function read(executor: Executor, accountId: string): Promise<PageBranding> {
  const branding = await brandingOf(executor, accountId);
  return {
    name: branding.name,
    colour: branding.colour,
    logo:
      branding.logo === null
        ? null
        : {
            url: logoPath(accountId, branding.logo.hash),
            width: branding.logo.width,
            height: branding.logo.height,
          },
  };
}
