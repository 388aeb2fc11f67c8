import { readFileSync } from 'node:fs';
import * as zmq from 'zeromq';

/*
 * Child process of the plan benchmark's path calibration, run inside a host's network
 * namespace so that its bytes take the run's own path (veth, bridge, tbf):
 *
 *   node path_echo.js server <bind>                        a raw ZeroMQ ROUTER echo, prints {"bound": …}
 *   node path_echo.js client <endpoint> <MB,…> <rounds>    timed round trips, one JSON line per size
 *
 * The client reads the whole machine's busy jiffies (/proc/stat is not per namespace)
 * around each size's rounds: the processes' CPU and the kernel's network work together.
 */

/** Busy and total jiffies of the whole machine (idle and iowait count as not busy). */
function machineJiffies(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - f[4], total };
}

const JIFFY_MS = 10; // USER_HZ is 100 on Linux

async function server(bind: string): Promise<void> {
  const socket = new zmq.Router({ linger: 0, sendHighWaterMark: 16, receiveHighWaterMark: 16 });
  await socket.bind(bind);
  process.stdout.write(`${JSON.stringify({ bound: socket.lastEndpoint })}\n`);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
  for (;;) await socket.send(await socket.receive());
}

async function client(endpoint: string, sizesMB: readonly number[], rounds: number): Promise<void> {
  const sock = new zmq.Dealer({ linger: 0, sendHighWaterMark: 16, receiveHighWaterMark: 16 });
  sock.connect(endpoint);
  const header = Buffer.alloc(64);
  // Other tenants' load, read over an idle second before any trip: taken off each size's busy CPU.
  const i0 = machineJiffies();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 1000));
  const i1 = machineJiffies();
  const idleWall = performance.now() - t0;
  process.stdout.write(`${JSON.stringify({ baseline_busy_cores: ((i1.busy - i0.busy) * JIFFY_MS) / idleWall })}\n`);
  for (const mb of sizesMB) {
    const payload = Buffer.alloc(Math.round(mb * 1e6), 1);
    const trip = async (): Promise<void> => {
      await sock.send([header, payload]);
      const frames = await sock.receive();
      if (frames[1]?.length !== payload.length) throw new Error(`path_echo: the echo returned ${frames[1]?.length ?? 0} bytes, sent ${payload.length}`);
    };
    for (let i = 0; i < 2; i++) await trip();
    const j0 = machineJiffies();
    const w0 = performance.now();
    // At least `rounds` trips and a second and a half: jiffies are 10 ms, a short size needs many trips.
    let n = 0;
    while (n < rounds || performance.now() - w0 < 1500) {
      await trip();
      n++;
    }
    const wall = performance.now() - w0;
    const j1 = machineJiffies();
    process.stdout.write(`${JSON.stringify({ bytes: payload.length, wallMs: wall / n, busyCpuMs: ((j1.busy - j0.busy) * JIFFY_MS) / n })}\n`);
  }
  sock.close();
}

if (require.main === module) {
  const [mode, a, b, c] = process.argv.slice(2);
  const done =
    mode === 'server' && a !== undefined
      ? server(a)
      : mode === 'client' && a !== undefined && b !== undefined && c !== undefined
        ? client(a, b.split(',').map(Number), Number(c))
        : Promise.reject(new Error(`usage: path_echo.js server <bind> | client <endpoint> <MB,...> <rounds>; got ${process.argv.slice(2).join(' ')}`));
  done.catch((err: unknown) => {
    process.stderr.write(`path_echo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
