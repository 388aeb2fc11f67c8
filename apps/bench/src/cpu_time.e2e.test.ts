import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseProcStat, processTreeCpuMs } from './cpu_time';

void test('parseProcStat: reads ppid and utime + stime after a command name holding spaces and parentheses', () => {
  // Fields 3.. of a real line: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
  const line = '4242 (node (x) y) S 17 4242 17 0 -1 4194560 900 0 0 0 123 45 0 0 20 0 11 0';
  assert.deepEqual(parseProcStat(line), { ppid: 17, ticks: 168 });
  assert.equal(parseProcStat('garbage'), null);
});

void test('processTreeCpuMs: counts a grandchild busy on the CPU, and is null for a pid that is gone', { skip: !existsSync('/proc/self/stat') }, async () => {
  // child → grandchild; the grandchild spins until its own getrusage says 400 ms, prints
  // that figure, then idles until killed. The tree's count must include it (the /proc
  // ticks are 10 ms, so allow two ticks of rounding and nothing more).
  const grandchild = `const t=()=>{const u=process.cpuUsage();return (u.user+u.system)/1000};while(t()<400){}process.stdout.write(t()+"\\n");setInterval(()=>{},1000)`;
  const child = spawn(
    process.execPath,
    ['-e', `require('child_process').spawn(process.execPath,['-e',${JSON.stringify(grandchild)}],{stdio:'inherit'});setInterval(()=>{},1000)`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const own = Number(line);
    assert.ok(own >= 400, `grandchild reports ${own} ms`);
    const tree = processTreeCpuMs(child.pid as number);
    assert.ok(tree !== null, 'tree readable');
    assert.ok(tree >= own - 20, `tree ${tree} ms should include the grandchild's ${own} ms`);
  } finally {
    process.kill(-(child.pid as number), 'SIGKILL');
  }
  await exited; // reaped: no zombie left in /proc
  assert.equal(processTreeCpuMs(child.pid as number), null);
});
