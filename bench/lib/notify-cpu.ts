import { readFileSync } from "node:fs";
import type { Sql } from "postgres";

/**
 * CPU time (user + system) actually consumed by processes, from /proc: on a shared 2-core
 * machine this tells what each request costs regardless of who else was running.
 */
const TICK_MS = 10; // USER_HZ is 100 on Linux

function ownCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat (1-based), i.e. 11 and 12 after ")".
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU of a process and its descendants (next start runs the server in a child process). */
export function treeCpuMs(pid: number): number {
  return ownCpuMs(pid) + children(pid).reduce((sum, child) => sum + treeCpuMs(child), 0);
}

/** The PostgreSQL backends serving `database` right now. */
export async function backendPids(sql: Sql, database: string): Promise<number[]> {
  const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
  return rows.map((r) => r.pid);
}

/** CPU consumed between start() and stop() by some processes, sampled at both ends. */
export function cpuMeter(pidsAtStart: () => Promise<number[]> | number[]) {
  let before = new Map<number, number>();
  return {
    async start() {
      before = new Map((await pidsAtStart()).map((pid) => [pid, treeCpuMs(pid)]));
    },
    async stop(): Promise<number> {
      const pids = new Set([...before.keys(), ...(await pidsAtStart())]);
      let total = 0;
      for (const pid of pids) total += Math.max(0, treeCpuMs(pid) - (before.get(pid) ?? 0));
      return total;
    },
  };
}
