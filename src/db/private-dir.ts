import { chmod, lstat, mkdir, readdir } from "node:fs/promises";
import path from "node:path";

const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates the data directory, or closes an existing one, to every user but its owner: it holds
 * password hashes, secrets and PostgreSQL's files. Closing the top first shuts others out of
 * everything beneath it at once, before anything inside is touched.
 */
export async function claimPrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(dir, PRIVATE_DIR_MODE);
}

/**
 * Sets each named entry of `dir` that exists to 0700 if a directory (and everything under it:
 * directories 0700, the rest 0600), 0600 otherwise, as PostgreSQL itself would. Data directories
 * made before Gatehouse created them private hold 0755 and 0644 (PGlite's tarball: 0666) entries.
 * Only the entries named are touched: GATEHOUSE_DATA_DIR may be a directory that holds the
 * operator's own files too. Symbolic links are left alone (their targets are not ours to change).
 */
export async function tightenPrivateEntries(dir: string, names: string[]): Promise<void> {
  for (const name of names) {
    const entry = path.join(dir, name);
    const isDir = await tighten(entry);
    if (!isDir) continue;
    for (const inner of await readdir(entry, { recursive: true, withFileTypes: true })) {
      if (!inner.isSymbolicLink()) await tighten(path.join(inner.parentPath, inner.name));
    }
  }
}

/** Makes one entry private; answers whether it is a directory (false when absent or a link). */
async function tighten(file: string): Promise<boolean> {
  try {
    const stat = await lstat(file);
    if (stat.isSymbolicLink()) return false;
    const wanted = stat.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    if ((stat.mode & 0o777) !== wanted) await chmod(file, wanted);
    return stat.isDirectory();
  } catch (error) {
    // Absent, or gone since the listing (a removed temporary file): nothing to close.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return false;
  }
}
