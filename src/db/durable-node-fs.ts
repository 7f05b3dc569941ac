import fs, { type Dirent } from "node:fs";
import { open, readdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { NodeFS } from "@electric-sql/pglite/nodefs";

/**
 * The part of Emscripten's NODEFS this file relies on. PGlite's NODEFS has no `stream_ops.fsync`,
 * so PostgreSQL's fsync() reaches Emscripten's fd_sync and returns without touching the disk.
 */
interface EmscriptenNodeFs {
  stream_ops: Record<string, unknown> & { fsync?: (stream: { nfd: number }) => number };
  /** Turns a Node error into Emscripten's errno error, which PostgreSQL sees as a failed call. */
  tryFSOperation<T>(operation: () => T): T;
}

/**
 * PGlite's Node filesystem with fsync wired through to the host: every fsync PostgreSQL makes (the
 * WAL at each commit, data files at checkpoints, directories after renames) becomes a real
 * fsync(2) of the file Node holds open for it. The directory is created private (0700).
 */
export class DurableNodeFS extends NodeFS {
  /** Whether PGlite's module ran the hook: a PGlite that no longer does must not pass as durable. */
  hostFsyncInstalled = false;

  constructor(dataDir: string) {
    // NodeFS would create it 0755 (0777 less the usual umask).
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    super(dataDir);
  }

  override async init(...args: Parameters<NodeFS["init"]>) {
    const { emscriptenOpts } = await super.init(...args);
    return {
      emscriptenOpts: {
        ...emscriptenOpts,
        preRun: [
          ...(emscriptenOpts.preRun ?? []),
          (module: { NODEFS: unknown }) => {
            installHostFsync(module.NODEFS as unknown as EmscriptenNodeFs);
            this.hostFsyncInstalled = true;
          },
        ],
      },
    };
  }
}

function installHostFsync(nodefs: EmscriptenNodeFs): void {
  // Every NODEFS node shares this one stream_ops object, so files and directories both gain it.
  nodefs.stream_ops.fsync = (stream) => {
    nodefs.tryFSOperation(() => fs.fsyncSync(stream.nfd));
    return 0;
  };
}

/**
 * PostgreSQL's start parameters as PGlite has them, with fsync on: PGlite passes `-F` (fsync off).
 * wal_sync_method is fsync because Emscripten's fdatasync is a no-op that no filesystem can reach.
 */
export function durableStartParams(): string[] {
  return [
    ...PGlite.defaultStartParams.filter((param) => param !== "-F"),
    ...["-c", "fsync=on", "-c", "wal_sync_method=fsync", "-c", "synchronous_commit=on"],
  ];
}

/**
 * fsyncs every file under `dir`, then every directory deepest first, then `dir` and its parent
 * (which holds `dir`'s own entry). PGlite
 * writes a new cluster from a tarball without a single fsync, where PostgreSQL's own initdb syncs
 * the directory at the end; a WAL synced on top of files still in the page cache is no cluster.
 */
export async function syncTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  const dirs = entries.filter((entry) => entry.isDirectory());
  const depth = (entry: Dirent) => entry.parentPath.split(path.sep).length;
  dirs.sort((a, b) => depth(b) - depth(a));
  for (const entry of [...files, ...dirs]) await syncPath(path.join(entry.parentPath, entry.name));
  await syncPath(dir);
  await syncPath(path.dirname(dir));
}

async function syncPath(file: string): Promise<void> {
  const handle = await open(file, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
