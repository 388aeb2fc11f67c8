import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/*
 * CPU time of a whole process tree, for benchmarks that must say how much of the
 * machine a configuration used, not only how long it took. Linux /proc only: where
 * /proc is missing the functions return null and the benches print '-'.
 */

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (usually 100). */
let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** One /proc/<pid>/stat line: parent pid and utime + stime in ticks (null when unreadable). */
export function parseProcStat(line: string): { ppid: number; ticks: number } | null {
  // The command name (field 2) is in parentheses and may hold spaces or ')': split after the last ')'.
  const close = line.lastIndexOf(')');
  if (close < 0) return null;
  const rest = line.slice(close + 2).split(' ');
  // rest[0] is field 3 (state): ppid is field 4, utime and stime fields 14 and 15.
  const ppid = Number(rest[1]);
  const ticks = Number(rest[11]) + Number(rest[12]);
  return Number.isFinite(ppid) && Number.isFinite(ticks) ? { ppid, ticks } : null;
}

/**
 * User + system CPU milliseconds used so far by `rootPid` and every live descendant
 * (all their threads), read from /proc. A child that has exited is no longer counted,
 * so sample while the tree runs.
 *
 * @param rootPid the tree's root process.
 * @returns ms of CPU, or null without /proc or when `rootPid` is gone.
 */
export function processTreeCpuMs(rootPid: number): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const e of entries) {
    try {
      const s = parseProcStat(readFileSync(`/proc/${e}/stat`, 'utf8'));
      if (s !== null) stats.set(Number(e), s);
    } catch {
      // The process exited between readdir and read.
    }
  }
  if (!stats.has(rootPid)) return null;
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) {
    const siblings = children.get(s.ppid);
    if (siblings === undefined) children.set(s.ppid, [pid]);
    else siblings.push(pid);
  }
  let ticks = 0;
  const todo = [rootPid];
  while (todo.length > 0) {
    const pid = todo.pop() as number;
    ticks += stats.get(pid)?.ticks ?? 0;
    todo.push(...(children.get(pid) ?? []));
  }
  return (ticks * 1000) / clockTicks();
}

/** This process's user + system CPU milliseconds (all its threads, ZeroMQ's I/O thread included). */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
