import { open, readFile, rm } from "node:fs/promises";
import path from "node:path";

/** The lock's pid file, in the data directory. */
export const LOCK_FILE = "gatehouse.pid";

export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * Claims the embedded data directory for this process with a pid file. A lock left by a process
 * that no longer runs is taken over; a live one is refused, naming its pid.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, "wx", 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(lockPath, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
      if (Number.isInteger(holder) && holder !== process.pid && (await isRunning(holder))) {
        throw new Error(
          `${dataDir} is in use by process ${holder}; stop it first (embedded PGlite allows one process at a time, use DATABASE_URL for several)`,
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // An exited process that nobody reaped still answers signals; its state in /proc is Z.
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return !/^\d+ \(.*\) Z /s.test(stat);
}
