/**
 * Is a build current? Shared by bin/gatehouse.js (plain JavaScript, so that it can decide before any
 * TypeScript loader is registered), scripts/build.ts and scripts/web.ts. A build is stale when its
 * stamp is missing or anything it is built from is newer; directories count by their own mtime too,
 * so a deleted or renamed source file also makes it stale.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The compiled server: src/ built by tsc (tsconfig.build.json), with the SQL migrations copied. */
export const SERVER_DIST = path.join(ROOT, "dist");
/**
 * Written last by a server build and dated when that build started, so that an edit made while
 * tsc ran still counts as newer.
 */
export const SERVER_STAMP = path.join(SERVER_DIST, ".built");
export const SERVER_SOURCES = ["src", "tsconfig.json", "tsconfig.build.json", "package-lock.json"];

/**
 * @param {string} entry an absolute path
 * @returns {Promise<number>} the newest mtime in milliseconds of entry and everything under it (0 if absent)
 */
export async function newestMtime(entry) {
  const info = await stat(entry).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const children = await readdir(entry);
  const newest = await Promise.all(children.map((child) => newestMtime(path.join(entry, child))));
  return Math.max(info.mtimeMs, ...newest);
}

/**
 * @param {string} stamp the file a build writes last (absolute)
 * @param {string[]} sources what it is built from, relative to the repository root (or absolute)
 * @returns {Promise<boolean>}
 */
export async function isStale(stamp, sources) {
  const built = await stat(stamp).catch(() => undefined);
  if (!built) return true;
  const newest = await Promise.all(
    sources.map((source) => newestMtime(path.resolve(ROOT, source))),
  );
  return Math.max(...newest) > built.mtimeMs;
}

/** @returns {Promise<boolean>} true when dist/ is missing or older than the server's sources */
export function isServerStale() {
  return isStale(SERVER_STAMP, SERVER_SOURCES);
}
