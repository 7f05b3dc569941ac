import { readdirSync, readFileSync } from "node:fs";

/**
 * Where a benchmark's CPU goes: the server child's, PostgreSQL's (every `postgres` process on
 * this machine, so the bench's server should be the only busy one) and the load's own, read from
 * /proc (Linux) in clock ticks of 10 ms; a window of a few seconds makes that fine enough.
 */
export interface CpuMs {
  server: number;
  postgres: number;
  load: number;
}

const TICK_MS = 10;

/** utime + stime of a process, in ms; 0 when it has gone. */
function processMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

function postgresMs(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres")
        total += processMs(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

export function cpuNow(serverPid: number): CpuMs {
  const own = process.cpuUsage();
  return {
    server: processMs(serverPid),
    postgres: postgresMs(),
    load: (own.user + own.system) / 1000,
  };
}

export function cpuSince(before: CpuMs, serverPid: number): CpuMs {
  const now = cpuNow(serverPid);
  return {
    server: now.server - before.server,
    postgres: now.postgres - before.postgres,
    load: now.load - before.load,
  };
}
