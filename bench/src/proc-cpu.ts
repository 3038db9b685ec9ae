import { readFileSync, readdirSync } from 'node:fs';

/**
 * CPU time of processes and threads from /proc (Linux; 0 and null elsewhere), for the benches
 * that say where the CPU went (ingest, ledger).
 */

/** A clock tick (CLK_TCK 100) in µs. */
export const USEC_PER_TICK = 10_000;

/** utime + stime of a process (or one of its threads) so far, in clock ticks; 0 when unknown. */
export function cpuTicks(pid: number | null, thread?: number): number {
  if (pid === null) return 0;
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Every thread of a process and its CPU ticks so far. */
export function threadTicks(pid: number): Map<number, number> {
  const ticks = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) ticks.set(Number(tid), cpuTicks(pid, Number(tid)));
  } catch {
    // gone
  }
  return ticks;
}

/** The first nats-server process (with `arg` among its command-line arguments, when given), or null. */
export function natsServerPid(arg?: string): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'nats-server') continue;
      if (arg === undefined || readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(arg)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}
