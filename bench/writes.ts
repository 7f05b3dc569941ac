/**
 * What durability costs: committed single-row inserts per second from one writer (each insert its
 * own transaction, as a request's write is), on file-backed PGlite with every commit fsynced (the
 * default) against PGlite's own unsynced mode (fsync off, the old default), each in a data
 * directory of its own, and PostgreSQL too when BENCH_POSTGRES_URL names a server (a database of
 * the bench's own, dropped afterwards). Contenders take turns in ROUNDS windows of WINDOW_MS, in an
 * order that rotates each round, so that the rest of a shared machine's load weighs on all alike.
 * Prints one JSON line: each contender's median and range over the rounds.
 *
 *   npm run bench -- writes
 *   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- writes
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../src/db/open.js";

const ROUNDS = 6;
const WINDOW_MS = 2000;

interface Contender {
  name: string;
  handle: DatabaseHandle;
  rates: number[];
  cleanUp(): Promise<void>;
}

async function pgliteContender(
  name: string,
  durability: "fsync" | "unsafe-no-fsync",
): Promise<Contender> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `gatehouse-bench-${name}-`));
  const handle = await openDatabase({ kind: "pglite", dataDir, durability });
  return {
    name,
    handle,
    rates: [],
    async cleanUp() {
      await handle.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function postgresContender(server: string): Promise<Contender> {
  const dbName = `gatehouse_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(server);
  url.pathname = `/${dbName}`;
  const handle = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 1 });
  return {
    name: "postgres",
    handle,
    rates: [],
    async cleanUp() {
      await handle.close();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    },
  };
}

/** Commits one insert after another for `ms`; returns commits per second. */
async function writeWindow(handle: DatabaseHandle, ms: number): Promise<number> {
  const started = performance.now();
  const deadline = started + ms;
  let commits = 0;
  while (performance.now() < deadline) {
    await sql`insert into bench_writes (payload) values (${randomBytes(32).toString("hex")})`.execute(
      handle.db,
    );
    commits++;
  }
  return commits / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const contenders: Contender[] = [];
try {
  contenders.push(await pgliteContender("pglite_fsync", "fsync"));
  contenders.push(await pgliteContender("pglite_unsafe_no_fsync", "unsafe-no-fsync"));
  const server = process.env.BENCH_POSTGRES_URL;
  if (server) contenders.push(await postgresContender(server));
  for (const { handle } of contenders) {
    await sql`create table bench_writes (id bigint generated always as identity primary key, payload text not null)`.execute(
      handle.db,
    );
    await writeWindow(handle, WINDOW_MS / 4);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (let turn = 0; turn < contenders.length; turn++) {
      const contender = contenders[(round + turn) % contenders.length];
      contender?.rates.push(await writeWindow(contender.handle, WINDOW_MS));
    }
  }
  console.log(
    JSON.stringify({
      bench: "writes",
      rounds: ROUNDS,
      window_ms: WINDOW_MS,
      ...Object.fromEntries(
        contenders.map(({ name, rates }) => [
          `${name}_writes_per_s`,
          {
            median: Math.round(median(rates)),
            min: Math.round(Math.min(...rates)),
            max: Math.round(Math.max(...rates)),
          },
        ]),
      ),
    }),
  );
} finally {
  for (const contender of contenders) await contender.cleanUp();
}
