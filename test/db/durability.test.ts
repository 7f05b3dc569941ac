import { spawn } from "node:child_process";
import { once } from "node:events";
import fs, { readlinkSync } from "node:fs";
import { chmod, cp, lstat, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { findUnsafeCommitSettings } from "../../src/db/commit-durability.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/open.js";
import { openTestDatabase } from "../helpers/database.js";
import { TEST_DATABASE_URL, TEST_ENGINE } from "../helpers/engine.js";

// A new cluster (PGlite's initdb) takes tens of seconds on a loaded machine; these are ceilings.
const SLOW = { timeout: 600_000 };
const OPEN_TS = path.resolve("src/db/open.ts");

const scratch: string[] = [];
const handles: DatabaseHandle[] = [];
afterEach(async () => {
  while (handles.length) await handles.pop()?.close();
});
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "gatehouse-durability-"));
  scratch.push(dir);
  return dir;
}

async function open(dataDir: string): Promise<DatabaseHandle> {
  const handle = await openDatabase({ kind: "pglite", dataDir });
  handles.push(handle);
  return handle;
}

async function query<Row>(handle: DatabaseHandle, text: string, params?: unknown[]) {
  return handle.withSession((session) => session.query<Row>(text, params));
}

/** Every entry under `dir` (and `dir` itself) whose mode is not 0700 for a directory, 0600 else. */
async function notPrivate(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const paths = [dir, ...entries.map((entry) => path.join(entry.parentPath, entry.name))];
  const wrong: string[] = [];
  for (const file of paths) {
    const stat = await lstat(file);
    const mode = stat.mode & 0o777;
    if (mode !== (stat.isDirectory() ? 0o700 : 0o600)) {
      wrong.push(`${path.relative(dir, file) || "."} ${mode.toString(8)}`);
    }
  }
  return wrong;
}

describe.skipIf(TEST_DATABASE_URL)("file-backed PGlite (the default database)", () => {
  // One new cluster, copied for each test: initdb is the slow part of opening.
  let template: string;
  beforeAll(async () => {
    template = await scratchDir();
    const handle = await openDatabase({ kind: "pglite", dataDir: template });
    try {
      await query(handle, "create table kept (id int primary key)");
    } finally {
      await handle.close();
    }
  }, SLOW.timeout);

  async function copyOfTemplate(): Promise<string> {
    const dir = await scratchDir();
    await cp(template, dir, { recursive: true });
    return dir;
  }

  it(
    "issue 13 item 1: starts with fsync on, WAL synced by fsync(2), commits synchronous",
    SLOW,
    async () => {
      const handle = await open(await copyOfTemplate());
      const [settings] = await query<Record<string, string>>(
        handle,
        `select current_setting('fsync') as fsync, current_setting('wal_sync_method') as wal_sync_method,
        current_setting('synchronous_commit') as synchronous_commit`,
      );
      expect(settings).toEqual({ fsync: "on", wal_sync_method: "fsync", synchronous_commit: "on" });
      expect(await handle.withSession(findUnsafeCommitSettings)).toBeUndefined();
    },
  );

  it(
    "issue 13 item 1: a committed insert has fsynced the WAL before its query resolves",
    SLOW,
    async () => {
      const handle = await open(await copyOfTemplate());
      const synced: string[] = [];
      const fsyncSync = fs.fsyncSync;
      const spy = vi.spyOn(fs, "fsyncSync").mockImplementation((fd) => {
        synced.push(readlinkSync(`/proc/self/fd/${fd}`));
        fsyncSync(fd);
      });
      try {
        await query(handle, "insert into kept values ($1)", [1]);
        expect(synced.filter((file) => file.includes(`${path.sep}pg_wal${path.sep}`))).not.toEqual(
          [],
        );
      } finally {
        spy.mockRestore();
      }
    },
  );

  it(
    "issue 13 item 1: a commit survives the process being killed (SIGKILL) and the directory reopened",
    SLOW,
    async () => {
      const dataDir = await copyOfTemplate();
      const writer = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "-e",
          `import(process.env.OPEN_TS).then(async ({ openDatabase }) => {
          const handle = await openDatabase({ kind: "pglite", dataDir: process.env.DATA_DIR });
          await handle.withSession((s) => s.query("insert into kept values (42)"));
          process.stdout.write("committed\\n");
          setInterval(() => {}, 1 << 30);
        });`,
        ],
        {
          env: { ...process.env, OPEN_TS, DATA_DIR: dataDir },
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const exited = once(writer, "exit");
      let output = "";
      await new Promise<void>((resolve, reject) => {
        writer.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("committed\n")) resolve();
        });
        exited.then(([code]) => reject(new Error(`the writer exited (${code}) before committing`)));
      });
      writer.kill("SIGKILL");
      expect((await exited)[1]).toBe("SIGKILL");

      const reopened = await open(dataDir);
      expect(await query(reopened, "select id from kept")).toEqual([{ id: 42 }]);
    },
  );

  it(
    "issue 13 item 1: a new data directory and everything in it is private (0700/0600)",
    SLOW,
    async () => {
      expect(await notPrivate(template)).toEqual([]);
    },
  );

  it(
    "issue 13 item 1: an existing 0755/0644 data directory (an older version's) is made private at open, the operator's own files left alone",
    SLOW,
    async () => {
      const dataDir = await copyOfTemplate();
      await writeFile(path.join(dataDir, "secret.key"), `${"ab".repeat(32)}\n`, { mode: 0o644 });
      for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
        const file = path.join(entry.parentPath, entry.name);
        await chmod(file, entry.isDirectory() ? 0o755 : 0o644);
      }
      await chmod(dataDir, 0o755);
      expect(await notPrivate(dataDir)).not.toEqual([]);
      // GATEHOUSE_DATA_DIR may hold the operator's own files: only Gatehouse's own are changed.
      const operators = path.join(dataDir, "operator-notes.sh");
      await writeFile(operators, "#!/bin/sh\n");
      await chmod(operators, 0o755);
      const onlyTheOperators = ["operator-notes.sh 755"];

      const handle = await openDatabase({ kind: "pglite", dataDir });
      try {
        expect(await notPrivate(dataDir)).toEqual(onlyTheOperators);
        // Files PostgreSQL creates after the open (a table's, the WAL's) are private too.
        await query(handle, "create table later (id int primary key)");
        await query(handle, "insert into later values (1)");
        await query(handle, "checkpoint");
      } finally {
        await handle.close();
      }
      expect(await notPrivate(dataDir)).toEqual(onlyTheOperators);
    },
  );

  it("issue 13 item 1: the bench's unsynced mode says so at serve's check", SLOW, async () => {
    const handle = await openDatabase({
      kind: "pglite",
      dataDir: await copyOfTemplate(),
      durability: "unsafe-no-fsync",
    });
    handles.push(handle);
    const unsafe = await handle.withSession(findUnsafeCommitSettings);
    expect(unsafe?.settings.fsync).toBe("off");
    expect(unsafe?.message).toMatch(/fsync is off/);
  });
});

describe(`commit durability check on ${TEST_ENGINE}`, () => {
  it("issue 13 item 1: names synchronous_commit when a session turns it off", async () => {
    const t = await openTestDatabase();
    try {
      const unsafe = await t.handle.withSession(async (session) => {
        await session.exec("set synchronous_commit = off");
        return findUnsafeCommitSettings(session);
      });
      expect(unsafe?.settings.synchronous_commit).toBe("off");
      expect(unsafe?.message).toMatch(/synchronous_commit is off/);
    } finally {
      await t.close();
    }
  });
});
